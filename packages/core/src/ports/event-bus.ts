import type { Observable } from 'rxjs';
import type { DomainEvent } from '../model/events.js';
import type { QueueDelivery } from './intent-queue.js';
import type { MaybePromise } from './maybe-promise.js';

/**
 * What a bus carries: anything with an id (for redelivery checks) and a type.
 *
 * @example
 * ```ts
 * const m: BusMessage = { id: 'OrderFilled:qt-1:1', type: 'OrderFilled' };
 * ```
 */
export interface BusMessage {
  readonly id: string;
  readonly type: string;
}

/**
 * The event bus between process roles: every event published reaches every consumer group once it exists; inside
 * a group, each event goes to one of its consumers, is acked after that consumer's effects are committed, and is
 * delivered again (to the same or another consumer) if it is nacked or its consumer dies. Delivery is
 * at-least-once, so handlers recognise a redelivered event by `id`.
 *
 * @example
 * ```ts
 * await bus.ensureGroup('portfolio');
 * bus.subscribe('portfolio').pipe(concatMap(async (d) => { await apply(d.value); await d.ack(); })).subscribe();
 * await bus.publish([filled]);
 * ```
 */
export interface EventBus<E extends BusMessage = DomainEvent> {
  /** Appends events, in order, for every existing group. */
  publish(events: readonly E[]): MaybePromise<void>;
  /**
   * Creates the group unless it exists; it receives every event published from then on, even while no consumer
   * is subscribed. `subscribe` creates a missing group too, but only from the moment it does.
   */
  ensureGroup(group: string): MaybePromise<void>;
  /** One consumer of `group`: the events of the group it is given, until unsubscribed. */
  subscribe(group: string): Observable<QueueDelivery<E>>;
}
