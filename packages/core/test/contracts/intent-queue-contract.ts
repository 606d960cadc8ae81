import { concatMap, map, type Observable, type Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strategyId, symbolId, type IntentId } from '../../src/model/ids.js';
import type { TradeIntent } from '../../src/model/orders.js';
import type { IntentQueue, QueueDelivery } from '../../src/ports/intent-queue.js';
import { fromMaybe } from '../../src/ports/maybe-promise.js';

/** What an intent queue implementation hands the contract suite. */
export interface IntentQueueUnderTest {
  readonly queue: IntentQueue;
  /** Given by durable implementations: another handle on the same queue, as a second process would open it. */
  readonly reopen?: () => Promise<IntentQueue>;
  /** How long to wait before concluding that nothing more will be delivered (0 for a synchronous queue). */
  readonly quietMs: number;
  /** Stops whatever is still running and removes the queue's data. */
  readonly cleanup: () => Promise<void>;
}

const T0 = 1_617_235_200_000;

/** A distinct, valid intent per `n`. */
export function intent(n: number, overrides: Partial<TradeIntent> = {}): TradeIntent {
  return {
    id: `momentum-24h|BTC/USDT|${T0 + n * 300_000}|buy` as IntentId,
    strategyId: strategyId('momentum-24h'),
    symbol: symbolId('BTC/USDT'),
    side: 'buy',
    qty: 0.01 + n / 1_000,
    leverage: 1,
    refPrice: 50_000 + n,
    ts: T0 + n * 300_000 + 1,
    signalTs: T0 + n * 300_000,
    volatility: 0.02,
    ...overrides,
  };
}

/** Resolves once `predicate` holds, polling; fails with `what` after `timeoutMs`. */
export async function eventually(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Records every delivery of an Observable. */
export class Recorder<T> {
  readonly deliveries: Array<QueueDelivery<T>> = [];
  readonly sub: Subscription;

  constructor(source: Observable<QueueDelivery<T>>, onDelivery?: (d: QueueDelivery<T>) => void) {
    this.sub = source.subscribe({
      next: (d) => {
        this.deliveries.push(d);
        onDelivery?.(d);
      },
      error: (err: unknown) => {
        throw err;
      },
    });
  }

  get ids(): string[] {
    return this.deliveries.map((d) => (d.value as { id: string }).id);
  }

  async count(n: number, what = `${n} deliveries`): Promise<void> {
    await eventually(() => this.deliveries.length >= n, `${what} (got ${this.deliveries.length})`);
  }

  stop(): void {
    this.sub.unsubscribe();
  }
}

/**
 * The IntentQueue contract: the same tests for every implementation (memory, Redis …).
 *
 * @example
 * ```ts
 * describeIntentQueueContract('MemoryIntentQueue', async () => ({
 *   queue: new MemoryIntentQueue(), quietMs: 0, cleanup: async () => {},
 * }));
 * ```
 */
export function describeIntentQueueContract(name: string, open: () => Promise<IntentQueueUnderTest>): void {
  describe(`IntentQueue contract: ${name}`, () => {
    let h: IntentQueueUnderTest;
    let q: IntentQueue;
    const recorders: Array<Recorder<TradeIntent>> = [];
    const record = (queue: IntentQueue = q, onDelivery?: (d: QueueDelivery<TradeIntent>) => void) => {
      const r = new Recorder(queue.consume(), onDelivery);
      recorders.push(r);
      return r;
    };
    const quiet = () => new Promise((r) => setTimeout(r, h.quietMs));

    beforeEach(async () => {
      h = await open();
      q = h.queue;
    });
    afterEach(async () => {
      for (const r of recorders.splice(0)) r.stop();
      await h.cleanup();
    });

    it('starts empty', async () => {
      expect(await q.depth()).toBe(0);
    });

    it('delivers a published intent once, as attempt 1, and forgets it once acked', async () => {
      const r = record();
      await q.publish(intent(1));
      await r.count(1);
      const [d] = r.deliveries;
      expect(d!.value).toEqual(intent(1));
      expect(d!.attempt).toBe(1);
      await d!.ack();
      await quiet();
      expect(r.deliveries).toHaveLength(1);
      expect(await q.depth()).toBe(0);
    });

    it('delivers intents in the order they were published', async () => {
      // Acked as they come: an implementation may hold back deliveries while too many are unacked.
      const r = record(q, (d) => void d.ack());
      for (let i = 0; i < 20; i++) await q.publish(intent(i));
      await r.count(20);
      expect(r.ids).toEqual(Array.from({ length: 20 }, (_, i) => intent(i).id));
    });

    it('keeps intents published while nobody consumes, and delivers them to the next consumer', async () => {
      await q.publish(intent(1));
      await q.publish(intent(2));
      expect(await q.depth()).toBe(2);
      const r = record();
      await r.count(2);
      expect(r.ids).toEqual([intent(1).id, intent(2).id]);
      expect(r.deliveries.map((d) => d.attempt)).toEqual([1, 1]);
    });

    it('ignores a second publish of an intent id that is still pending, delivered or not', async () => {
      await q.publish(intent(1));
      await q.publish(intent(1, { qty: 99 }));
      expect(await q.depth()).toBe(1);
      const r = record();
      await r.count(1);
      await q.publish(intent(1));
      await quiet();
      expect(r.deliveries).toHaveLength(1);
      expect(r.deliveries[0]!.value.qty).toBe(intent(1).qty);
      expect(await q.depth()).toBe(1);
    });

    it('accepts the same intent id again once the first was acked', async () => {
      const r = record();
      await q.publish(intent(1));
      await r.count(1);
      await r.deliveries[0]!.ack();
      await q.publish(intent(1));
      await r.count(2);
      expect(r.deliveries[1]!.attempt).toBe(1);
    });

    it('counts intents in depth() from publish until ack, in flight or not', async () => {
      for (let i = 0; i < 3; i++) await q.publish(intent(i));
      const r = record();
      await r.count(3);
      expect(await q.depth()).toBe(3);
      await r.deliveries[1]!.ack();
      expect(await q.depth()).toBe(2);
      await r.deliveries[0]!.nack();
      await r.count(4);
      expect(await q.depth()).toBe(2);
      for (const d of r.deliveries.slice(2)) await d.ack();
      expect(await q.depth()).toBe(0);
    });

    it('delivers a nacked intent again, as the next attempt, until it is acked', async () => {
      const r = record();
      await q.publish(intent(1));
      await r.count(1);
      await r.deliveries[0]!.nack();
      await r.count(2, 'the redelivery');
      expect(r.deliveries[1]!.value).toEqual(intent(1));
      expect(r.deliveries[1]!.attempt).toBe(2);
      await r.deliveries[1]!.ack();
      await quiet();
      expect(r.deliveries).toHaveLength(2);
      expect(await q.depth()).toBe(0);
    });

    it('ignores a second ack, and a nack after an ack', async () => {
      const r = record();
      await q.publish(intent(1));
      await r.count(1);
      const d = r.deliveries[0]!;
      await d.ack();
      await d.ack();
      await d.nack();
      await quiet();
      expect(r.deliveries).toHaveLength(1);
      expect(await q.depth()).toBe(0);
    });

    it('delivers an unacked intent again after the consumer restarts, and an acked one never', async () => {
      const first = record();
      await q.publish(intent(1));
      await q.publish(intent(2));
      await first.count(2);
      await first.deliveries[0]!.ack();
      first.stop();

      const second = record();
      await second.count(1, 'the unacked intent');
      await quiet();
      expect(second.ids).toEqual([intent(2).id]);
      expect(second.deliveries[0]!.attempt).toBe(2);
      await second.deliveries[0]!.ack();
      expect(await q.depth()).toBe(0);
    });

    it('accepts the late ack of a consumer that stopped after committing its effects', async () => {
      const first = record();
      await q.publish(intent(1));
      await first.count(1);
      first.stop();
      await first.deliveries[0]!.ack();
      expect(await q.depth()).toBe(0);
      const second = record();
      await quiet();
      expect(second.deliveries).toHaveLength(0);
    });

    it('does not let the late ack of an old delivery remove a newer publish of the same id', async () => {
      const first = record();
      await q.publish(intent(1));
      await first.count(1);
      first.stop();
      const second = record();
      await second.count(1);
      await second.deliveries[0]!.ack();
      await q.publish(intent(1));
      await second.count(2, 'the new publish');
      await first.deliveries[0]!.ack();
      expect(await q.depth()).toBe(1);
      await second.deliveries[1]!.ack();
      expect(await q.depth()).toBe(0);
    });

    it('ignores the nack of a delivery whose consumer stopped and whose intent went to another', async () => {
      const first = record();
      await q.publish(intent(1));
      await first.count(1);
      first.stop();
      const second = record();
      await second.count(1);
      await first.deliveries[0]!.nack();
      await quiet();
      expect(second.deliveries).toHaveLength(1);
      await second.deliveries[0]!.ack();
      expect(await q.depth()).toBe(0);
    });

    it('takes intents published while the consumer was away, after its restart', async () => {
      const first = record();
      await q.publish(intent(1));
      await first.count(1);
      await first.deliveries[0]!.ack();
      first.stop();
      await q.publish(intent(2));
      const second = record();
      await second.count(1);
      expect(second.ids).toEqual([intent(2).id]);
      expect(second.deliveries[0]!.attempt).toBe(1);
    });

    it('executes every intent, loses none, behind concatMap with asynchronous acks as the kernel consumes it', async () => {
      const executed = new Map<string, number>();
      let nacked = 0;
      const sub = q
        .consume()
        .pipe(
          concatMap(async (d) => {
            await Promise.resolve();
            // Every fifth intent fails its first delivery: the consumer gives it back.
            if (d.attempt === 1 && Number(d.value.signalTs % 1_500_000) === 0) {
              nacked++;
              await d.nack();
              return undefined;
            }
            // Idempotent by intent id: a redelivery of an executed intent is acked, not executed again.
            executed.set(d.value.id, (executed.get(d.value.id) ?? 0) + 1);
            return d;
          }),
          concatMap((d) => (d === undefined ? fromMaybe(undefined) : fromMaybe(d.ack()).pipe(map(() => d)))),
        )
        .subscribe();
      try {
        const n = 100;
        for (let i = 0; i < n; i++) await q.publish(intent(i));
        await eventually(() => executed.size === n, `${n} executed intents (got ${executed.size})`, 10_000);
        expect(nacked).toBe(20);
        expect([...executed.values()].every((c) => c === 1)).toBe(true);
        let depth = -1;
        for (let tries = 0; tries < 100 && depth !== 0; tries++) {
          depth = await q.depth();
          if (depth !== 0) await new Promise((r) => setTimeout(r, 10));
        }
        expect(depth).toBe(0);
      } finally {
        sub.unsubscribe();
      }
    });

    describe('durable implementations', () => {
      it('share pending intents and the dedupe index between handles', async (ctx) => {
        if (h.reopen === undefined) return ctx.skip();
        const other = await h.reopen();
        await q.publish(intent(1));
        await other.publish(intent(1));
        expect(await other.depth()).toBe(1);
        const r = record(other);
        await r.count(1);
        expect(r.deliveries[0]!.value).toEqual(intent(1));
        await r.deliveries[0]!.ack();
        expect(await q.depth()).toBe(0);
      });

      it("hand a stopped consumer's unacked intents to a consumer of another handle", async (ctx) => {
        if (h.reopen === undefined) return ctx.skip();
        const first = record();
        await q.publish(intent(1));
        await first.count(1);
        first.stop();
        const other = await h.reopen();
        const second = record(other);
        await second.count(1, 'the reclaimed intent');
        expect(second.deliveries[0]!.value).toEqual(intent(1));
        expect(second.deliveries[0]!.attempt).toBe(2);
        await second.deliveries[0]!.ack();
        expect(await q.depth()).toBe(0);
      });
    });
  });
}
