import type { Observable } from 'rxjs';
import { QuantumTraderError, type IntentQueue, type QueueDelivery, type TradeIntent } from '@quantum-trader/core';
import type { RedisClient } from '../redis-client.js';
import { Batcher } from '../stream/batcher.js';
import { defaultConsumerName } from '../stream/consumer-group.js';
import { moveToDeadLetter, readDeadLetters, type DeadLetter, type DeadLetterTarget } from '../stream/dead-letter.js';
import { RedisScript } from '../stream/redis-script.js';
import { streamConsumer } from '../stream/stream-consumer.js';
import type { StreamEntry } from '../stream/stream-entry.js';
import {
  consumerTuning,
  positiveInteger,
  type ConsumerTuning,
  type ResolvedTuning,
} from '../stream/consumer-tuning.js';

/**
 * Options of a {@link RedisIntentQueue}.
 *
 * @example
 * ```ts
 * const options: RedisIntentQueueOptions = { client: new Redis(), prefix: 'bot1:intents', maxDeliveries: 3 };
 * ```
 */
export interface RedisIntentQueueOptions extends ConsumerTuning {
  /** The connection commands go through; each `consume()` opens one more (`client.duplicate()`) for blocking reads. */
  readonly client: RedisClient;
  /**
   * Names the queue's keys: `{prefix}:stream` (the intents), `{prefix}:pending` (pending intent ids, the dedupe
   * index), `{prefix}:dead` (dead letters). The braces keep them in one Redis Cluster slot. Default `qt:intents`.
   */
  readonly prefix?: string;
  /** The consumer group that executes intents. Default `execution`. */
  readonly group?: string;
  /**
   * Bound on pending intents: the stream holds only pending intents (acked ones are deleted), and a publish that
   * would exceed the bound is refused rather than trimming an intent nobody executed. Default 10 000.
   */
  readonly maxLength?: number;
  /** Unacked deliveries for one consumer. Default 16. */
  readonly prefetch?: number;
}

// KEYS: stream, pending hash. ARGV: intent id, data, max length.
// 0 = already pending (idempotent publish), -1 = full, 1 = added.
const publishScript = new RedisScript(`
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then return -1 end
local sid = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'id', ARGV[1], 'data', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], sid)
return 1
`);

// KEYS: stream, pending hash. ARGV: group, then stream id and intent id pairs.
const ackScript = new RedisScript(`
local n = 0
for i = 2, #ARGV, 2 do
  n = n + redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
  redis.call('XDEL', KEYS[1], ARGV[i])
  if redis.call('HGET', KEYS[2], ARGV[i + 1]) == ARGV[i] then redis.call('HDEL', KEYS[2], ARGV[i + 1]) end
end
return n
`);

/**
 * Durable {@link IntentQueue} on a Redis stream and one consumer group: publish is idempotent by intent id while
 * the intent is pending, an intent is acked (and deleted) only after the consumer's effects are committed, a dead
 * consumer's intents are reclaimed with `XAUTOCLAIM` after `reclaimIdleMs`, and an intent delivered
 * `maxDeliveries` times without an ack goes to a dead-letter stream.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const queue = new RedisIntentQueue({ client: new Redis('redis://127.0.0.1:6379'), prefix: 'bot1:intents' });
 * queue.consume().pipe(concatMap(async (d) => { await execute(d.value); await d.ack(); })).subscribe();
 * await queue.publish(intent);
 * ```
 */
export class RedisIntentQueue implements IntentQueue {
  private readonly client: RedisClient;
  private readonly keys: { readonly stream: string; readonly pending: string; readonly dead: string };
  private readonly group: string;
  private readonly maxLength: number;
  private readonly consumer: string;
  private readonly tuning: ResolvedTuning;
  private readonly prefetch: number;
  private readonly deadTarget: DeadLetterTarget;
  private readonly acks: Batcher<StreamEntry>;

  constructor(options: RedisIntentQueueOptions) {
    const prefix = options.prefix ?? 'qt:intents';
    this.client = options.client;
    this.keys = { stream: `{${prefix}}:stream`, pending: `{${prefix}}:pending`, dead: `{${prefix}}:dead` };
    this.group = options.group ?? 'execution';
    this.maxLength = positiveInteger('RedisIntentQueue', 'maxLength', options.maxLength ?? 10_000);
    this.prefetch = positiveInteger('RedisIntentQueue', 'prefetch', options.prefetch ?? 16);
    this.tuning = consumerTuning('RedisIntentQueue', options);
    this.consumer = options.consumer ?? defaultConsumerName();
    this.deadTarget = {
      client: this.client,
      stream: this.keys.stream,
      group: this.group,
      deadStream: this.keys.dead,
      deadMaxLength: this.tuning.deadLetterMaxLength,
      pendingHash: this.keys.pending,
      deleteEntry: true,
    };
    this.acks = new Batcher((entries) => {
      const args: string[] = [this.group];
      for (const e of entries) args.push(e.streamId, e.id);
      return ackScript.run(this.client, [this.keys.stream, this.keys.pending], args);
    });
  }

  /**
   * Adds an intent unless one with the same id is pending; refuses (throws) when `maxLength` intents are pending.
   *
   * @example
   * ```ts
   * await queue.publish(intent);
   * await queue.publish(intent); // no-op: already pending
   * ```
   */
  async publish(intent: TradeIntent): Promise<void> {
    const added = await publishScript.run(this.client, [this.keys.stream, this.keys.pending], [
      intent.id,
      JSON.stringify(intent),
      this.maxLength,
    ]);
    if (added === -1) {
      throw new QuantumTraderError(
        'QUEUE_FAILED',
        `intent queue ${this.keys.stream} is full: ${this.maxLength} intents are pending and none was acked; ` +
          `check that an execution consumer is running, or raise maxLength`,
      );
    }
  }

  /**
   * Delivers pending intents to this consumer: its own unacked ones first (after a restart with the same
   * `consumer` name), then new ones and reclaimed ones. Ack each delivery after its effects are committed.
   *
   * @example
   * ```ts
   * const sub = queue.consume().pipe(concatMap(async (d) => { await execute(d.value); await d.ack(); })).subscribe();
   * sub.unsubscribe(); // unacked intents stay pending for the next consumer
   * ```
   */
  consume(): Observable<QueueDelivery<TradeIntent>> {
    return streamConsumer<TradeIntent>({
      client: this.client,
      stream: this.keys.stream,
      group: this.group,
      consumer: this.consumer,
      groupStart: '0',
      prefetch: this.prefetch,
      blockMs: this.tuning.blockMs,
      reclaimIdleMs: this.tuning.reclaimIdleMs,
      reclaimIntervalMs: this.tuning.reclaimIntervalMs,
      maxDeliveries: this.tuning.maxDeliveries,
      decode: decodeIntent,
      ack: (entry) => this.acks.add(entry),
      deadLetter: (entry, deliveries, reason) =>
        moveToDeadLetter(this.deadTarget, entry, this.consumer, deliveries, reason),
    });
  }

  /**
   * Intents published and not yet acked (nor dead-lettered).
   *
   * @example
   * ```ts
   * const pending = await queue.depth();
   * ```
   */
  async depth(): Promise<number> {
    return Number(await this.client.call('HLEN', this.keys.pending));
  }

  /**
   * The oldest `count` intents set aside in the dead-letter stream, with why.
   *
   * @example
   * ```ts
   * for (const d of await queue.deadLetters()) console.log(d.messageId, d.reason);
   * ```
   */
  deadLetters(count = 100): Promise<DeadLetter[]> {
    return readDeadLetters(this.client, this.keys.dead, count);
  }
}

function decodeIntent(entry: StreamEntry): TradeIntent {
  const value: unknown = JSON.parse(entry.data);
  if (typeof value !== 'object' || value === null || (value as { id?: unknown }).id !== entry.id) {
    throw new Error(`entry ${entry.streamId} is not the intent ${JSON.stringify(entry.id)}`);
  }
  return value as TradeIntent;
}
