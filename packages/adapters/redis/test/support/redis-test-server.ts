import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';

/** The Redis every machine of this project and CI runs. */
export const REDIS_HOST = '127.0.0.1';
export const REDIS_PORT = 6379;

async function reachable(port: number): Promise<boolean> {
  const probe = new Redis({ host: REDIS_HOST, port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const redisUp = await reachable(REDIS_PORT);

/**
 * A describe block that needs the shared Redis: skipped when it is unreachable, except in CI (`CI=true`), where
 * an unreachable server fails the suite.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisUp) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it(`reaches Redis at ${REDIS_HOST}:${REDIS_PORT}`, () => {
        throw new Error(`Redis is not reachable at ${REDIS_HOST}:${REDIS_PORT}; CI must start it (see .ci/run)`);
      });
    });
  } else describe.skip(`${name} (no Redis at ${REDIS_HOST}:${REDIS_PORT})`, body);
}

/** A key prefix no other test uses. */
export function uniquePrefix(label: string): string {
  return `qt-test:${label}:${randomBytes(6).toString('hex')}`;
}

/** Opens ioredis clients that reconnect quickly, and closes them all at the end. */
export class Clients {
  private readonly open: Redis[] = [];

  constructor(private readonly port = REDIS_PORT) {}

  client(): Redis {
    const c = new Redis({ host: REDIS_HOST, port: this.port, retryStrategy: () => 50, maxRetriesPerRequest: null });
    c.on('error', () => undefined);
    this.open.push(c);
    return c;
  }

  /** Deletes every key under `{prefix}` (queue and bus keys), then disconnects everything. */
  async close(...prefixes: string[]): Promise<void> {
    const c = this.open[0];
    if (c !== undefined && c.status === 'ready') {
      for (const prefix of prefixes) {
        const keys = await c.keys(`{${prefix}}*`);
        if (keys.length > 0) await c.del(...keys);
      }
    }
    for (const x of this.open.splice(0)) x.disconnect();
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, REDIS_HOST, () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
