import type { Observable } from 'rxjs';
import type { DomainEvent, QueueDelivery } from '@quantum-trader/core';
import type { RedisClient } from '../redis-client.js';
import { Batcher } from '../stream/batcher.js';
import { defaultConsumerName, ensureGroup } from '../stream/consumer-group.js';
import {
  consumerTuning,
  positiveInteger,
  type ConsumerTuning,
  type ResolvedTuning,
} from '../stream/consumer-tuning.js';
import { moveToDeadLetter, readDeadLetters, type DeadLetter } from '../stream/dead-letter.js';
import { streamConsumer } from '../stream/stream-consumer.js';
import type { StreamEntry } from '../stream/stream-entry.js';
import type { BusMessage, EventBus } from '@quantum-trader/core';

/**
 * Options of a {@link RedisEventBus}.
 *
 * @example
 * ```ts
 * const options: RedisEventBusOptions = { client: new Redis(), prefix: 'bot1:events', maxLength: 1_000_000 };
 * ```
 */
export interface RedisEventBusOptions extends ConsumerTuning {
  /** The connection commands go through; each subscription opens one more (`client.duplicate()`) for blocking reads. */
  readonly client: RedisClient;
  /**
   * Names the bus's keys: `{prefix}:stream` (the events) and `{prefix}:dead:<group>` (each group's dead letters).
   * Default `qt:events`.
   */
  readonly prefix?: string;
  /**
   * Events kept in the stream (`XADD … MAXLEN ~`, so a little more). Trimming does not wait for slow groups: keep it
   * above the largest backlog a group may build up. Default 100 000.
   */
  readonly maxLength?: number;
  /** Unacked deliveries for one consumer. Default 256. */
  readonly prefetch?: number;
}

/**
 * {@link EventBus} on one Redis stream: `XADD … MAXLEN ~` to publish, one consumer group per subscriber role,
 * ack (`XACK`, coalesced per tick) after the consumer's effects are committed, `XAUTOCLAIM` of a dead consumer's
 * events, and a dead-letter stream per group for events delivered `maxDeliveries` times without an ack.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const bus = new RedisEventBus({ client: new Redis('redis://127.0.0.1:6379'), prefix: 'bot1:events' });
 * await bus.ensureGroup('portfolio');
 * bus.subscribe('portfolio').pipe(concatMap(async (d) => { await apply(d.value); await d.ack(); })).subscribe();
 * await bus.publish([filled]);
 * ```
 */
export class RedisEventBus<E extends BusMessage = DomainEvent> implements EventBus<E> {
  private readonly client: RedisClient;
  private readonly prefix: string;
  private readonly stream: string;
  private readonly maxLength: number;
  private readonly prefetch: number;
  private readonly consumer: string;
  private readonly tuning: ResolvedTuning;
  private readonly acks = new Map<string, Batcher<StreamEntry>>();

  constructor(options: RedisEventBusOptions) {
    this.client = options.client;
    this.prefix = options.prefix ?? 'qt:events';
    this.stream = `{${this.prefix}}:stream`;
    this.maxLength = positiveInteger('RedisEventBus', 'maxLength', options.maxLength ?? 100_000);
    this.prefetch = positiveInteger('RedisEventBus', 'prefetch', options.prefetch ?? 256);
    this.tuning = consumerTuning('RedisEventBus', options);
    this.consumer = options.consumer ?? defaultConsumerName();
  }

  /**
   * Appends events to the stream in order (pipelined, not atomic: after a crash, publish again; consumers
   * recognise repeats by id).
   *
   * @example
   * ```ts
   * await bus.publish([orderFilled, positionOpened]);
   * ```
   */
  async publish(events: readonly E[]): Promise<void> {
    const sends: Array<Promise<unknown>> = [];
    for (const e of events) {
      const data = JSON.stringify(e);
      sends.push(
        this.client.call('XADD', this.stream, 'MAXLEN', '~', this.maxLength, '*', 'id', e.id, 'type', e.type, 'data', data),
      );
    }
    await Promise.all(sends);
  }

  /**
   * Creates `group` unless it exists, positioned after the last event: it gets every event published from now on.
   *
   * @example
   * ```ts
   * await bus.ensureGroup('exits'); // before the first publish it must see
   * ```
   */
  ensureGroup(group: string): Promise<void> {
    return ensureGroup(this.client, this.stream, group, '$');
  }

  /**
   * Consumes `group` as this bus's consumer (`options.consumer`, or a name unique to this object): its own unacked
   * events first, then new and reclaimed ones.
   *
   * @example
   * ```ts
   * const sub = bus
   *   .subscribe('portfolio')
   *   .pipe(concatMap(async (d) => { await apply(d.value); await d.ack(); }))
   *   .subscribe();
   * ```
   */
  subscribe(group: string): Observable<QueueDelivery<E>> {
    const target = {
      client: this.client,
      stream: this.stream,
      group,
      deadStream: this.deadStream(group),
      deadMaxLength: this.tuning.deadLetterMaxLength,
      deleteEntry: false,
    };
    return streamConsumer<E>({
      client: this.client,
      stream: this.stream,
      group,
      consumer: this.consumer,
      groupStart: '$',
      prefetch: this.prefetch,
      blockMs: this.tuning.blockMs,
      reclaimIdleMs: this.tuning.reclaimIdleMs,
      reclaimIntervalMs: this.tuning.reclaimIntervalMs,
      maxDeliveries: this.tuning.maxDeliveries,
      decode: decodeMessage<E>,
      ack: (entry) => this.ackBatcher(group).add(entry),
      deadLetter: (entry, deliveries, reason) => moveToDeadLetter(target, entry, this.consumer, deliveries, reason),
    });
  }

  /**
   * The oldest `count` events `group` set aside in its dead-letter stream, with why.
   *
   * @example
   * ```ts
   * const dead = await bus.deadLetters('portfolio');
   * ```
   */
  deadLetters(group: string, count = 100): Promise<DeadLetter[]> {
    return readDeadLetters(this.client, this.deadStream(group), count);
  }

  private deadStream(group: string): string {
    return `{${this.prefix}}:dead:${group}`;
  }

  private ackBatcher(group: string): Batcher<StreamEntry> {
    let batcher = this.acks.get(group);
    if (batcher === undefined) {
      batcher = new Batcher((entries) =>
        this.client.call('XACK', this.stream, group, ...entries.map((e) => e.streamId)),
      );
      this.acks.set(group, batcher);
    }
    return batcher;
  }
}

function decodeMessage<E extends BusMessage>(entry: StreamEntry): E {
  const value: unknown = JSON.parse(entry.data);
  if (typeof value !== 'object' || value === null || (value as { id?: unknown }).id !== entry.id) {
    throw new Error(`entry ${entry.streamId} is not the message ${JSON.stringify(entry.id)}`);
  }
  return value as E;
}
