import type { RedisClient } from '../redis-client.js';
import { RedisScript } from './redis-script.js';
import { parseRangeReply, type StreamEntry } from './stream-entry.js';

/**
 * A message moved to a dead-letter stream because it was delivered too often without an ack, or could not be decoded.
 *
 * @example
 * ```ts
 * for (const d of await queue.deadLetters()) console.log(d.messageId, d.deliveries, d.reason);
 * ```
 */
export interface DeadLetter {
  /** Its id in the dead-letter stream. */
  readonly streamId: string;
  /** The message's own id (intent id, event id). */
  readonly messageId: string;
  /** The message as it was stored (JSON). */
  readonly data: string;
  /** How many times it was delivered before it was set aside. */
  readonly deliveries: number;
  readonly reason: string;
  /** The consumer that set it aside. */
  readonly consumer: string;
  /** Its id in the stream it came from. */
  readonly sourceStreamId: string;
}

// KEYS: stream, dead-letter stream[, pending-ids hash]. ARGV: group, streamId, messageId, data, deliveries,
// reason, consumer, dead-letter max length, delete-from-stream flag.
// Only the caller whose XACK removes the entry from the group's pending list moves it, so it is moved once.
const moveScript = new RedisScript(`
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], '*', 'id', ARGV[3], 'data', ARGV[4], 'deliveries', ARGV[5],
  'reason', ARGV[6], 'consumer', ARGV[7], 'source', ARGV[2])
if ARGV[9] == '1' then redis.call('XDEL', KEYS[1], ARGV[2]) end
if KEYS[3] and redis.call('HGET', KEYS[3], ARGV[3]) == ARGV[2] then redis.call('HDEL', KEYS[3], ARGV[3]) end
return 1
`);

/** Where and how a consumer sets messages aside. */
export interface DeadLetterTarget {
  readonly client: RedisClient;
  readonly stream: string;
  readonly group: string;
  readonly deadStream: string;
  readonly deadMaxLength: number;
  /** The hash of pending message ids to clear (the intent queue's dedupe index). */
  readonly pendingHash?: string;
  /** Deletes the entry from its stream too (the intent queue: one group, an acked entry is garbage). */
  readonly deleteEntry: boolean;
}

/** Moves one pending entry to the dead-letter stream and acks it, atomically. */
export async function moveToDeadLetter(
  target: DeadLetterTarget,
  entry: StreamEntry,
  consumer: string,
  deliveries: number,
  reason: string,
): Promise<void> {
  const keys = target.pendingHash === undefined
    ? [target.stream, target.deadStream]
    : [target.stream, target.deadStream, target.pendingHash];
  await moveScript.run(target.client, keys, [
    target.group,
    entry.streamId,
    entry.id,
    entry.data,
    deliveries,
    reason,
    consumer,
    target.deadMaxLength,
    target.deleteEntry ? '1' : '0',
  ]);
}

/** Reads the oldest `count` dead letters of a dead-letter stream. */
export async function readDeadLetters(client: RedisClient, deadStream: string, count: number): Promise<DeadLetter[]> {
  const raw = await client.call('XRANGE', deadStream, '-', '+', 'COUNT', count);
  return parseRangeReply(raw).map(({ streamId, fields }) => ({
    streamId,
    messageId: fields.get('id') ?? '',
    data: fields.get('data') ?? '',
    deliveries: Number(fields.get('deliveries') ?? 0),
    reason: fields.get('reason') ?? '',
    consumer: fields.get('consumer') ?? '',
    sourceStreamId: fields.get('source') ?? '',
  }));
}
