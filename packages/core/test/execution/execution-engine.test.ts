import { describe, expect, it } from 'vitest';
import { ExecutionEngine } from '../../src/execution/execution-engine.js';
import { MemoryJournal } from '../../src/journal/memory/memory-journal.js';
import type { DomainEvent, OrderFilled } from '../../src/model/events.js';
import type { SubmitOrder } from '../../src/model/orders.js';
import type { Broker, SubmitResult } from '../../src/ports/broker.js';
import { bar, coid, feed, harness, LIN, linearXyz, T0, type Harness } from '../broker/helpers.js';

/**
 * The execution engine on the real simulated venue: every event it records, and every event the venue reports, goes
 * to a MemoryJournal and back to the engine, as the kernel does. `sent` lists the orders that reached the venue,
 * `asked` the orders looked up there.
 */
function rig(): { engine: ExecutionEngine; broker: Broker; h: Harness; journal: MemoryJournal; sent: string[]; asked: string[] } {
  const h = harness();
  const journal = new MemoryJournal();
  const sent: string[] = [];
  const asked: string[] = [];
  const broker = new Proxy(h.ex, {
    get(target, key, receiver) {
      if (key === 'submit') {
        return (o: SubmitOrder): SubmitResult => {
          sent.push(o.clientOrderId);
          return target.submit(o);
        };
      }
      if (key === 'getOrder') {
        return (id: Parameters<typeof target.getOrder>[0], symbol: Parameters<typeof target.getOrder>[1]) => {
          asked.push(id);
          return target.getOrder(id, symbol);
        };
      }
      const v = Reflect.get(target, key, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const deliver = (events: readonly DomainEvent[]): void => {
    journal.append(events);
    for (const e of events) engine.onEvent(e);
  };
  const engine = new ExecutionEngine({ broker, record: deliver, instrument: () => linearXyz });
  h.ex.events$.subscribe((e) => deliver([e]));
  return { engine, broker, h, journal, sent, asked };
}

const limit = (id: string, price: number, qty = 0.1): SubmitOrder => ({
  clientOrderId: coid(id),
  symbol: LIN,
  side: 'buy',
  type: 'limit',
  qty,
  price,
  reduceOnly: false,
});

describe('ExecutionEngine: finished orders', () => {
  it('answers a filled, a canceled and a rejected order again from memory, without sending it twice', () => {
    const { engine, h, sent } = rig();
    engine.submit(limit('fills', 101), T0);
    engine.submit(limit('stays', 90), T0);
    const rejected = engine.submit(limit('too-small', 100, 0.01), T0) as SubmitResult;
    expect(rejected.status).toBe('rejected');
    feed(h, LIN, [bar(0, 100, 102, 99, 101)]);
    engine.cancel(coid('stays'), LIN, 'test', T0 + 60_000);
    expect(engine.status(coid('fills'))).toBe('filled');
    expect(engine.status(coid('stays'))).toBe('canceled');
    expect(engine.status(coid('too-small'))).toBe('rejected');
    expect(sent).toEqual(['fills', 'stays', 'too-small']);

    const again = (id: string, price: number, qty?: number) => engine.submit(limit(id, price, qty), T0 + 120_000) as SubmitResult;
    const filled = again('fills', 101);
    expect(filled).toMatchObject({ status: 'accepted', order: { clientOrderId: 'fills', status: 'filled', filledQty: 0.1, price: 101 } });
    expect(again('stays', 90)).toMatchObject({ status: 'accepted', order: { status: 'canceled', filledQty: 0 } });
    expect(again('too-small', 100, 0.01)).toStrictEqual(rejected);
    expect(sent).toEqual(['fills', 'stays', 'too-small']); // nothing sent twice
    // a cancel of a finished order does not reach the venue (it would be a no-op there too)
    expect(() => engine.cancel(coid('fills'), LIN, 'late', T0 + 120_000)).not.toThrow();
    expect(engine.status(coid('fills'))).toBe('filled');
  });

  it('keeps the state of hundreds of orders apart as they fill and cancel in any order', () => {
    const { engine, h } = rig();
    const n = 300;
    for (let i = 0; i < n; i++) engine.submit(limit(`o-${i}`, i % 3 === 0 ? 101 : 80 + (i % 7)), T0);
    for (let i = n - 1; i >= 0; i -= 2) if (i % 3 !== 0) engine.cancel(coid(`o-${i}`), LIN, 'test', T0);
    feed(h, LIN, [bar(0, 100, 102, 99, 101)]);
    for (let i = 0; i < n; i++) {
      const want = i % 3 === 0 ? 'filled' : i % 2 === 1 ? 'canceled' : 'open';
      expect(engine.status(coid(`o-${i}`)), `o-${i}`).toBe(want);
    }
    expect(engine.status(coid('o-300'))).toBeUndefined();
  });

  it('takes a finished order back among the live ones when a later event changes it again', async () => {
    const { engine, h, asked } = rig();
    engine.submit(limit('late', 90, 0.2), T0);
    engine.cancel(coid('late'), LIN, 'test', T0);
    expect(engine.status(coid('late'))).toBe('canceled');
    const fill = (qty: number, remainingQty: number, fillSeq: number): OrderFilled => ({
      id: `OrderFilled:late:${fillSeq}`,
      type: 'OrderFilled',
      ts: T0 + fillSeq,
      clientOrderId: coid('late'),
      venueOrderId: h.ex.getOrder(coid('late'), LIN)!.venueOrderId,
      symbol: LIN,
      side: 'buy',
      orderType: 'limit',
      fillSeq,
      qty,
      price: 90,
      fee: 0,
      feeCurrency: 'USDT',
      liquidity: 'maker',
      remainingQty,
      reduceOnly: false,
    });
    engine.onEvent(fill(0.1, 0.1, 1));
    expect(engine.status(coid('late'))).toBe('partially_filled');
    // live again: a recovery now looks it up at the venue (it skips finished orders)
    await engine.recover(T0 + 30_000);
    expect(asked).toEqual(['late']);
    engine.onEvent(fill(0.1, 0, 2));
    expect(engine.status(coid('late'))).toBe('filled');
    const res = engine.submit(limit('late', 90, 0.2), T0 + 60_000) as SubmitResult;
    expect(res).toMatchObject({ status: 'accepted', order: { status: 'filled', filledQty: 0.2 } });
  });

  it('restores finished and live orders from the journal; only the live ones are looked up at the venue on recovery', async () => {
    const first = rig();
    first.engine.submit(limit('done', 101), T0);
    first.engine.submit(limit('resting', 90), T0);
    feed(first.h, LIN, [bar(0, 100, 102, 99, 101)]);
    expect(first.engine.status(coid('done'))).toBe('filled');

    // a restarted engine: the same venue, its state only from the journal
    const engine = new ExecutionEngine({ broker: first.broker, record: () => undefined, instrument: () => linearXyz });
    engine.restore(first.journal.orders(), first.journal.fills());
    expect(engine.status(coid('done'))).toBe('filled');
    expect(engine.status(coid('resting'))).toBe('open');
    await engine.recover(T0 + 120_000);
    expect(first.asked).toEqual(['resting']);
    expect(engine.submit(limit('done', 101), T0 + 120_000)).toMatchObject({ status: 'accepted', order: { status: 'filled', filledQty: 0.1 } });
  });
});
