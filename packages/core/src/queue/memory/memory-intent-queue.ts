import { Observable, type Subscriber } from 'rxjs';
import type { IntentId } from '../../model/ids.js';
import type { TradeIntent } from '../../model/orders.js';
import type { IntentQueue, QueueDelivery } from '../../ports/intent-queue.js';

interface Entry {
  readonly intent: TradeIntent;
  attempt: number;
  inFlight: boolean;
}

/**
 * In-process {@link IntentQueue}: delivers synchronously to its one consumer (so backtests stay in virtual
 * time), keeps a message until it is acked, redelivers on `nack`, and ignores a publish of an intent id that is
 * still pending. Not durable: use the Redis queue when intents must survive the process.
 *
 * @example
 * ```ts
 * const queue = new MemoryIntentQueue();
 * queue.consume().subscribe((d) => { execute(d.value); d.ack(); });
 * queue.publish(intent);
 * ```
 */
export class MemoryIntentQueue implements IntentQueue {
  private readonly entries = new Map<IntentId, Entry>();
  private consumer: Subscriber<QueueDelivery<TradeIntent>> | undefined;

  publish(intent: TradeIntent): void {
    if (this.entries.has(intent.id)) return;
    const entry: Entry = { intent, attempt: 0, inFlight: false };
    this.entries.set(intent.id, entry);
    this.deliver(entry);
  }

  consume(): Observable<QueueDelivery<TradeIntent>> {
    return new Observable((subscriber) => {
      this.consumer = subscriber;
      for (const e of this.entries.values()) if (!e.inFlight) this.deliver(e);
      return () => {
        if (this.consumer === subscriber) this.consumer = undefined;
        for (const e of this.entries.values()) e.inFlight = false;
      };
    });
  }

  depth(): number {
    return this.entries.size;
  }

  private deliver(entry: Entry): void {
    const consumer = this.consumer;
    if (consumer === undefined || entry.inFlight) return;
    entry.inFlight = true;
    entry.attempt++;
    const attempt = entry.attempt;
    let settled = false;
    consumer.next({
      value: entry.intent,
      attempt,
      ack: () => {
        if (settled) return;
        settled = true;
        // A late ack (its consumer stopped) still counts, but only for this entry: not for a newer publish of the id.
        if (this.entries.get(entry.intent.id) === entry) this.entries.delete(entry.intent.id);
      },
      nack: () => {
        if (settled) return;
        settled = true;
        // Only the current delivery gives the intent back; a stale one must not hand it out a second time.
        if (this.entries.get(entry.intent.id) !== entry || entry.attempt !== attempt) return;
        entry.inFlight = false;
        this.deliver(entry);
      },
    });
  }
}
