import { Observable, type Subscriber } from 'rxjs';
import type { DomainEvent } from '../../model/events.js';
import type { BusMessage, EventBus } from '../../ports/event-bus.js';
import type { QueueDelivery } from '../../ports/intent-queue.js';

interface Entry<E> {
  readonly event: E;
  attempt: number;
  /** The consumer holding the current delivery, if any. */
  holder: Subscriber<QueueDelivery<E>> | undefined;
}

/** One consumer group: its unacked events and its consumers, served round-robin. */
class MemoryGroup<E> {
  private readonly entries = new Set<Entry<E>>();
  private readonly consumers: Array<Subscriber<QueueDelivery<E>>> = [];
  private turn = 0;

  push(event: E): void {
    const entry: Entry<E> = { event, attempt: 0, holder: undefined };
    this.entries.add(entry);
    this.deliver(entry);
  }

  attach(consumer: Subscriber<QueueDelivery<E>>): () => void {
    this.consumers.push(consumer);
    for (const e of this.entries) if (e.holder === undefined) this.deliver(e);
    return () => {
      this.consumers.splice(this.consumers.indexOf(consumer), 1);
      for (const e of this.entries) {
        if (e.holder !== consumer) continue;
        e.holder = undefined;
        this.deliver(e);
      }
    };
  }

  private deliver(entry: Entry<E>): void {
    if (this.consumers.length === 0 || entry.holder !== undefined) return;
    const consumer = this.consumers[this.turn++ % this.consumers.length]!;
    entry.holder = consumer;
    entry.attempt++;
    const attempt = entry.attempt;
    let settled = false;
    consumer.next({
      value: entry.event,
      attempt,
      ack: () => {
        if (settled) return;
        settled = true;
        // A late ack still counts: its consumer committed the effects.
        this.entries.delete(entry);
      },
      nack: () => {
        if (settled) return;
        settled = true;
        // Only the current delivery gives the event back; a stale one (its consumer left) has nothing to give.
        if (entry.attempt !== attempt || !this.entries.has(entry)) return;
        entry.holder = undefined;
        this.deliver(entry);
      },
    });
  }
}

/**
 * In-process {@link EventBus}: synchronous delivery, groups that keep unacked events for as long as the process
 * lives, consumers of a group served in turn. Not durable: use {@link RedisEventBus} across processes.
 * Written to move to core (`src/bus/memory/memory-event-bus.ts`) together with the port.
 *
 * @example
 * ```ts
 * const bus = new MemoryEventBus();
 * bus.subscribe('portfolio').subscribe((d) => { apply(d.value); d.ack(); });
 * bus.publish([filled]);
 * ```
 */
export class MemoryEventBus<E extends BusMessage = DomainEvent> implements EventBus<E> {
  private readonly groups = new Map<string, MemoryGroup<E>>();

  publish(events: readonly E[]): void {
    for (const group of this.groups.values()) for (const e of events) group.push(e);
  }

  ensureGroup(group: string): void {
    this.group(group);
  }

  subscribe(group: string): Observable<QueueDelivery<E>> {
    return new Observable<QueueDelivery<E>>((subscriber) => this.group(group).attach(subscriber));
  }

  private group(name: string): MemoryGroup<E> {
    let g = this.groups.get(name);
    if (g === undefined) {
      g = new MemoryGroup<E>();
      this.groups.set(name, g);
    }
    return g;
  }
}
