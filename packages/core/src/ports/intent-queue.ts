import type { Observable } from 'rxjs';
import type { TradeIntent } from '../model/orders.js';
import type { MaybePromise } from './maybe-promise.js';

/**
 * One delivery of a message. `ack()` only after the consumer's effects are committed; an un-acked message is
 * delivered again (at-least-once), so consumers recognise redeliveries by `intent.id`.
 */
export interface QueueDelivery<T> {
  readonly value: T;
  /** How many times this message has been delivered, from 1. */
  readonly attempt: number;
  ack(): MaybePromise<void>;
  /** Gives the message back for redelivery (e.g. the consumer could not reach the venue). */
  nack(): MaybePromise<void>;
}

/**
 * The durable intent queue between risk and execution. In-memory for backtests; Redis Streams in shared
 * deployments. `publish` is idempotent by intent id while the intent is pending.
 *
 * @example
 * ```ts
 * queue.consume().subscribe(async (d) => { await execute(d.value); await d.ack(); });
 * await queue.publish(intent);
 * ```
 */
export interface IntentQueue {
  publish(intent: TradeIntent): MaybePromise<void>;
  consume(): Observable<QueueDelivery<TradeIntent>>;
  /** Messages published and not yet acked. */
  depth(): MaybePromise<number>;
}
