import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis-client.js';

/** Creates the consumer group (and the stream) unless it exists; `start` is `0` (everything) or `$` (new only). */
export async function ensureGroup(client: RedisClient, stream: string, group: string, start: '0' | '$'): Promise<void> {
  try {
    await client.call('XGROUP', 'CREATE', stream, group, start, 'MKSTREAM');
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('BUSYGROUP')) throw err;
  }
}

/** True for the error Redis answers when the stream or its group is gone (deleted, or lost by a server). */
export function isNoGroupError(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOGROUP');
}

/** A consumer name unique to this process and object: `host:pid:random`. */
export function defaultConsumerName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
