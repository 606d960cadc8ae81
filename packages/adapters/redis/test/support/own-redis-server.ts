import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';
import { REDIS_HOST, sleep } from './redis-test-server.js';

const binaryFound = spawnSync('redis-server', ['--version']).status === 0;

/**
 * A describe block that starts its own redis-server: skipped when the binary is not on PATH, except in CI
 * (`CI=true`), where that fails the suite.
 */
export function describeWithRedisServerBinary(name: string, body: () => void): void {
  if (binaryFound) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('finds redis-server on PATH', () => {
        throw new Error('redis-server is not on PATH; CI must install it');
      });
    });
  } else describe.skip(`${name} (no redis-server on PATH)`, body);
}

/**
 * A redis-server of the test's own, on `port`, with its AOF in `dir` fsynced on every write: started, killed
 * (SIGKILL) and started again on the same files.
 */
export class OwnRedisServer {
  private process: ChildProcess | undefined;
  private log = '';

  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', REDIS_HOST, '--dir', this.dir, '--appendonly', 'yes',
      '--appendfsync', 'always', '--save', '', '--daemonize', 'no'];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (this.log += c.toString()));
    this.process = child;
    const probe = new Redis({ host: REDIS_HOST, port: this.port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${this.log}`);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') break;
      } catch {
        probe.disconnect();
      }
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${this.port}:\n${this.log}`);
      await sleep(20);
    }
    probe.disconnect();
  }

  /** SIGKILL: no shutdown, no final fsync; only what the AOF already holds survives. */
  async kill(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    this.process = undefined;
  }
}
