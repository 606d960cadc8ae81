/**
 * The few methods of an ioredis client the Redis adapters call, so that no public type here (and nothing in core)
 * depends on ioredis itself. An ioredis `Redis` instance satisfies it as is.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const client: RedisClient = new Redis('redis://127.0.0.1:6379');
 * ```
 */
export interface RedisClient {
  /** Sends one command and resolves with its raw reply. */
  call(command: string, ...args: Array<string | number>): Promise<unknown>;
  /** A new connection with the same options; each consumer's blocking `XREADGROUP … BLOCK` gets its own. */
  duplicate(): RedisClient;
  /** Closes the connection now, failing the commands still in flight. */
  disconnect(): void;
  /** Listens to connection errors (the adapters listen on the connections they open themselves). */
  on(event: 'error', listener: (err: Error) => void): unknown;
}
