import { describe, expect, it } from 'vitest';
import { newSimOrder, type SimOrder } from '../../src/broker/simulated/simulated-book.js';
import { FinishedOrders } from '../../src/broker/simulated/simulated-finished-orders.js';
import type { VenueOrder } from '../../src/model/orders.js';
import type { ClientOrderId, IntentId, PositionId, VenueOrderId } from '../../src/model/ids.js';
import { bar, coid, feed, harness, LIN, mustAccept, T0 } from './helpers.js';

/** A finished order whose fields all differ from the defaults, varied by `i`. */
function finished(i: number): SimOrder {
  const type = (['market', 'limit', 'stop_market'] as const)[i % 3]!;
  return newSimOrder({
    clientOrderId: `c-${i}` as ClientOrderId,
    venueOrderId: `sim-${i + 1}` as VenueOrderId,
    symbol: LIN,
    side: i % 2 === 0 ? 'buy' : 'sell',
    type,
    qty: 0.01 * (i + 1),
    price: type === 'limit' ? 100 + i / 7 : undefined,
    stopPrice: type === 'stop_market' ? 90 - i / 3 : undefined,
    reduceOnly: i % 4 === 1,
    leverage: 1 + (i % 5),
    intentId: i % 3 === 0 ? (`intent-${i}` as IntentId) : undefined,
    positionId: i % 2 === 1 ? (`pos-${i}` as PositionId) : undefined,
    leg: i % 5 === 0 ? undefined : `tp${i % 5}`,
    seq: i + 1,
    createdAt: T0 + i * 60_000,
    refPrice: 100.5 + i,
    liquidation: i % 11 === 3,
    updatedAt: T0 + i * 60_000 + 17,
    status: i % 3 === 1 ? 'canceled' : 'filled',
    filledQty: i % 3 === 1 ? 0 : 0.01 * (i + 1),
    avgFillPrice: i % 3 === 1 ? 0 : 99.25 + i / 9,
    fees: i % 3 === 1 ? 0 : 0.0004 * i,
    fillCount: i % 3 === 1 ? 0 : 1 + (i % 2),
    triggered: type === 'stop_market' && i % 2 === 0,
  });
}

describe('FinishedOrders', () => {
  it('gives every order back field for field, past several growths, in the order they finished', () => {
    const store = new FinishedOrders();
    const orders = Array.from({ length: 300 }, (_, i) => finished(i));
    for (const o of orders) store.add(o);
    expect(store.size).toBe(300);
    for (const o of orders) {
      expect(store.has(o.clientOrderId)).toBe(true);
      expect(store.order(o.clientOrderId)).toStrictEqual(o);
    }
    expect([...store.orders()]).toStrictEqual(orders);
    expect(store.has('c-300' as ClientOrderId)).toBe(false);
    expect(store.order('c-300' as ClientOrderId)).toBeUndefined();
  });

  it('keeps an absent price apart from a price of 0 and an absent text field apart from an empty one', () => {
    const store = new FinishedOrders();
    const o = { ...finished(1), type: 'limit' as const, price: 0, leg: '', positionId: undefined };
    store.add(o);
    const back = store.order(o.clientOrderId)!;
    expect(back.price).toBe(0);
    expect(back.stopPrice).toBeUndefined();
    expect(back.leg).toBe('');
    expect('positionId' in back && back.positionId === undefined).toBe(true);
  });

  it('forgets everything on clear()', () => {
    const store = new FinishedOrders();
    store.add(finished(0));
    store.clear();
    expect(store.size).toBe(0);
    expect(store.has(finished(0).clientOrderId)).toBe(false);
    expect([...store.orders()]).toEqual([]);
    store.add(finished(2));
    expect(store.order(finished(2).clientOrderId)).toStrictEqual(finished(2));
  });
});

describe('SimulatedExchange with finished orders kept in columns', () => {
  it('reports a filled and a canceled order exactly as they were when they finished, and refuses their ids again', () => {
    const h = harness();
    const seen = new Map<string, VenueOrder>();
    h.ex.events$.subscribe((e) => {
      // what getOrder answers at the moment the venue reports the order finished (the order has left the working set)
      if (e.type === 'OrderCanceled' || (e.type === 'OrderFilled' && e.remainingQty === 0)) seen.set(e.clientOrderId, h.ex.getOrder(e.clientOrderId, LIN)!);
    });
    mustAccept(h.ex, { clientOrderId: coid('tp'), symbol: LIN, side: 'buy', type: 'limit', qty: 2, price: 99.5, reduceOnly: false });
    mustAccept(h.ex, { clientOrderId: coid('sl'), symbol: LIN, side: 'buy', type: 'stop_market', qty: 1, stopPrice: 120, reduceOnly: false });
    feed(h, LIN, [bar(0, 100, 101, 99, 100)]);
    h.ex.cancel(coid('sl'), LIN);

    const tp = h.ex.getOrder(coid('tp'), LIN);
    const sl = h.ex.getOrder(coid('sl'), LIN);
    expect(tp).toStrictEqual(seen.get('tp'));
    expect(sl).toStrictEqual(seen.get('sl'));
    expect(tp).toMatchObject({ status: 'filled', filledQty: 2, avgFillPrice: 99.5, price: 99.5, venueOrderId: 'sim-1', ts: T0 });
    expect(sl).toMatchObject({ status: 'canceled', filledQty: 0, stopPrice: 120, venueOrderId: 'sim-2' });
    expect(sl).not.toHaveProperty('price');
    expect(h.ex.getOrder(coid('tp'), 'OTHER/USDT:USDT' as typeof LIN)).toBeUndefined();

    for (const id of ['tp', 'sl']) {
      const again = h.ex.submit({ clientOrderId: coid(id), symbol: LIN, side: 'sell', type: 'market', qty: 1, reduceOnly: false });
      expect(again).toMatchObject({ status: 'rejected', code: 'DUPLICATE_CLIENT_ORDER_ID' });
    }
    h.ex.cancel(coid('tp'), LIN); // a finished order: nothing happens
    expect(h.rec.cancels.map((c) => c.clientOrderId)).toEqual(['sl']);
    expect(h.ex.exportState().orders.map((o) => [o.clientOrderId, o.status])).toEqual([
      ['tp', 'filled'],
      ['sl', 'canceled'],
    ]);
  });
});
