import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis-client.js';

/** A Lua script run by `EVALSHA`, falling back to `EVAL` when the server does not know it (e.g. after a restart). */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisClient, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await client.call('EVALSHA', this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return client.call('EVAL', this.source, keys.length, ...keys, ...args);
    }
  }
}
