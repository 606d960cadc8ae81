import { describe, expect, it } from 'vitest';
import { binanceInstrument, SimulatedExchange } from '../../src/broker/index.js';
import { isQuantumTraderError } from '../../src/errors/quantum-trader-error.js';
import { symbolId, type SymbolId } from '../../src/model/ids.js';
import type { SubmitOrder } from '../../src/model/orders.js';
import { bar, coid, feed, harness, LIN, ManualClock, mustAccept, SPOT, T0, TF, usdt } from './helpers.js';

const BTC_SPOT = symbolId('BTC/USDT');
const BTC_PERP = symbolId('BTC/USDT:USDT');

function order(o: Partial<SubmitOrder> & Pick<SubmitOrder, 'symbol'>): SubmitOrder {
  return { clientOrderId: coid('o1'), side: 'buy', type: 'limit', qty: 1, price: 100, reduceOnly: false, ...o };
}

function binanceExchange(balances: Record<string, number> = { USDT: 10_000 }): SimulatedExchange {
  return new SimulatedExchange({
    instruments: [binanceInstrument(BTC_SPOT), binanceInstrument(BTC_PERP)],
    balances,
    scheduler: new ManualClock(),
  });
}

describe('SimulatedExchange rejects orders that break the instrument rules or the account', () => {
  const cases: ReadonlyArray<{ name: string; order: SubmitOrder; code: string; mentions: readonly string[] }> = [
    {
      name: 'a quantity that is not a multiple of the lot step',
      order: order({ symbol: BTC_SPOT, qty: 0.000015, price: 30_000 }),
      code: 'LOT_SIZE',
      mentions: ['0.000015', 'lot step 0.00001'],
    },
    {
      name: 'a quantity below the minimum quantity',
      order: order({ symbol: BTC_PERP, qty: 0.0005, price: 30_000 }),
      code: 'LOT_SIZE',
      mentions: ['0.0005', 'minimum quantity 0.001'],
    },
    {
      name: 'a limit price that is not on the tick size',
      order: order({ symbol: BTC_PERP, qty: 0.001, price: 30_000.05 }),
      code: 'PRICE_FILTER',
      mentions: ['30000.05', 'tick size 0.1'],
    },
    {
      name: 'a stop price that is not on the tick size',
      order: order({ symbol: BTC_SPOT, type: 'stop_market', side: 'buy', qty: 0.001, stopPrice: 30_000.005 }),
      code: 'PRICE_FILTER',
      mentions: ['stopPrice 30000.005', 'tick size 0.01'],
    },
    {
      name: 'a notional below the minimum notional',
      order: order({ symbol: BTC_SPOT, qty: 0.0003, price: 30_000 }),
      code: 'MIN_NOTIONAL',
      mentions: ['notional 9', 'minimum notional 10'],
    },
    {
      name: 'a leverage above the instrument maximum',
      order: order({ symbol: BTC_PERP, qty: 0.001, price: 30_000, leverage: 150 }),
      code: '-4028',
      mentions: ['leverage 150', 'maximum leverage 125'],
    },
    {
      name: 'a linear order whose initial margin exceeds the free balance',
      order: order({ symbol: BTC_PERP, qty: 1, price: 30_000, leverage: 2 }),
      code: '-2019',
      mentions: ['Margin is insufficient', '10000'],
    },
    {
      name: 'a spot buy that costs more than the free quote',
      order: order({ symbol: BTC_SPOT, qty: 1, price: 30_000 }),
      code: '-2010',
      mentions: ['insufficient balance', '10000 USDT is free'],
    },
    {
      name: 'a spot sell of base that is not held (spot cannot go short)',
      order: order({ symbol: BTC_SPOT, side: 'sell', qty: 0.01, price: 30_000 }),
      code: '-2010',
      mentions: ['selling 0.01 BTC', 'short'],
    },
    {
      name: 'an unknown symbol',
      order: order({ symbol: symbolId('DOGE/USDT') }),
      code: '-1121',
      mentions: ['DOGE/USDT', 'BTC/USDT'],
    },
    {
      name: 'a limit order without a price',
      order: order({ symbol: BTC_PERP, qty: 0.001, price: undefined }),
      code: '-1102',
      mentions: ["'price'"],
    },
  ];

  it.each(cases)('$name ($code)', ({ order: o, code, mentions }) => {
    const ex = binanceExchange();
    const res = ex.submit(o);
    expect(res.status).toBe('rejected');
    if (res.status !== 'rejected') return;
    expect(res.code).toBe(code);
    for (const m of mentions) expect(res.reason).toContain(m);
    expect(ex.openOrders()).toEqual([]);
  });

  it('checks a market order against MIN_NOTIONAL at the last close', () => {
    const h = harness();
    feed(h, LIN, [bar(0, 100, 101, 99, 100)]);
    const res = h.ex.submit({ clientOrderId: coid('m'), symbol: LIN, side: 'buy', type: 'market', qty: 0.04, reduceOnly: false });
    expect(res).toMatchObject({ status: 'rejected', code: 'MIN_NOTIONAL' });
  });

  it('exempts reduce-only orders from MIN_NOTIONAL', () => {
    const ex = binanceExchange();
    const res = ex.submit(order({ symbol: BTC_PERP, side: 'sell', qty: 0.001, price: 3_000, reduceOnly: true }));
    expect(res.status).toBe('accepted');
  });

  it('rejects a duplicate client order id and leaves the existing order untouched', () => {
    const ex = binanceExchange();
    const first = ex.submit(order({ symbol: BTC_PERP, qty: 0.01, price: 30_000 }));
    expect(first.status).toBe('accepted');
    const dup = ex.submit(order({ symbol: BTC_PERP, qty: 0.02, price: 31_000, side: 'sell' }));
    expect(dup).toMatchObject({ status: 'rejected', code: 'DUPLICATE_CLIENT_ORDER_ID' });
    expect(ex.getOrder(coid('o1'), BTC_PERP)).toMatchObject({ side: 'buy', qty: 0.01, price: 30_000, status: 'open' });
    expect(ex.openOrders()).toHaveLength(1);
  });
});

describe('SimulatedExchange order lifecycle', () => {
  it('numbers venue order ids sim-1, sim-2, … and stamps orders with scheduler.now()', () => {
    const h = harness();
    h.clock.t = T0 + 5;
    const a = h.ex.submit({ clientOrderId: coid('a'), symbol: LIN, side: 'buy', type: 'limit', qty: 1, price: 90, reduceOnly: false });
    const b = h.ex.submit({ clientOrderId: coid('b'), symbol: LIN, side: 'buy', type: 'limit', qty: 1, price: 91, reduceOnly: false });
    expect(a).toMatchObject({ status: 'accepted', order: { venueOrderId: 'sim-1', ts: T0 + 5, status: 'open' } });
    expect(b).toMatchObject({ status: 'accepted', order: { venueOrderId: 'sim-2' } });
  });

  it('cancels an open order with reason "canceled by client"; canceling again or an unknown id is a no-op', () => {
    const h = harness();
    mustAccept(h.ex, { clientOrderId: coid('a'), symbol: LIN, side: 'buy', type: 'limit', qty: 1, price: 90, reduceOnly: false });
    expect(usdt(h.ex).used).toBeCloseTo(90, 9);
    h.ex.cancel(coid('a'), LIN);
    h.ex.cancel(coid('a'), LIN);
    h.ex.cancel(coid('zzz'), LIN);
    expect(h.rec.cancels.map((c) => [c.id, c.reason])).toEqual([['OrderCanceled:a', 'canceled by client']]);
    expect(h.ex.getOrder(coid('a'), LIN)?.status).toBe('canceled');
    expect(h.ex.openOrders()).toEqual([]);
    expect(usdt(h.ex)).toMatchObject({ total: 10_000, free: 10_000, used: 0 });
  });

  it('emits fills with deterministic ids, event time and the remaining quantity', () => {
    const h = harness({ maxVolumeParticipation: 0.5 });
    mustAccept(h.ex, { clientOrderId: coid('a'), symbol: LIN, side: 'buy', type: 'market', qty: 3, reduceOnly: false });
    feed(h, LIN, [bar(0, 100, 101, 99, 100, 4), bar(1, 100, 101, 99, 100, 4)]);
    expect(h.rec.fills.map((f) => [f.id, f.ts, f.fillSeq, f.qty, f.remainingQty, f.venueOrderId])).toEqual([
      ['OrderFilled:a:1', T0 + TF, 1, 2, 1, 'sim-1'],
      ['OrderFilled:a:2', T0 + 2 * TF, 2, 1, 0, 'sim-1'],
    ]);
    expect(h.ex.getOrder(coid('a'), LIN)).toMatchObject({ status: 'filled', filledQty: 3, avgFillPrice: 100 });
  });

  it('never fills an order on a candle that opened before the order existed (no look-ahead)', () => {
    const h = harness();
    h.clock.t = T0 + 30_000; // in the middle of candle 0
    mustAccept(h.ex, { clientOrderId: coid('a'), symbol: LIN, side: 'buy', type: 'limit', qty: 1, price: 99.5, reduceOnly: false });
    h.clock.t = T0 + TF;
    h.ex.onCandle(LIN, bar(0, 100, 101, 99, 100));
    expect(h.rec.fills).toEqual([]);
    h.clock.t = T0 + 2 * TF;
    h.ex.onCandle(LIN, bar(1, 100, 101, 99, 100));
    expect(h.rec.fills.map((f) => [f.clientOrderId, f.price])).toEqual([['a', 99.5]]);
  });

  it('does not match orders submitted by an events$ subscriber against the candle being processed', () => {
    const h = harness();
    h.ex.events$.subscribe((e) => {
      if (e.type === 'OrderFilled' && e.clientOrderId === 'entry') {
        // Both would trade inside candle 1 if they were matched against it.
        mustAccept(h.ex, { clientOrderId: coid('tp'), symbol: LIN, side: 'sell', type: 'limit', qty: 1, price: 100.5, reduceOnly: true });
        mustAccept(h.ex, { clientOrderId: coid('mk'), symbol: LIN, side: 'buy', type: 'market', qty: 1, reduceOnly: false });
        h.ex.cancel(coid('other'), LIN);
      }
    });
    feed(h, LIN, [bar(0, 100, 100.5, 99.5, 100), bar(1, 100, 102, 99, 101), bar(2, 101, 101.2, 100.8, 101)], {
      1: (ex) => {
        mustAccept(ex, { clientOrderId: coid('entry'), symbol: LIN, side: 'buy', type: 'market', qty: 1, reduceOnly: false });
        mustAccept(ex, { clientOrderId: coid('other'), symbol: LIN, side: 'buy', type: 'limit', qty: 1, price: 99.5, reduceOnly: false });
      },
    });
    expect(h.rec.fills.map((f) => [f.clientOrderId, f.candle, f.price])).toEqual([
      ['entry', 1, 100],
      ['tp', 2, 101],
      ['mk', 2, 101],
    ]);
    expect(h.rec.cancels.map((c) => c.clientOrderId)).toEqual(['other']);
  });

  it('reports positions with unrealized PnL at the last close and the documented liquidation price', () => {
    const h = harness();
    feed(h, LIN, [bar(0, 100, 100.5, 99.5, 100), bar(1, 100, 101, 97.5, 98)], {
      1: (ex) => {
        mustAccept(ex, { clientOrderId: coid('l'), symbol: LIN, side: 'buy', type: 'market', qty: 10, reduceOnly: false, leverage: 10 });
      },
    });
    expect(h.ex.positions()).toEqual([
      { symbol: LIN, side: 'long', qty: 10, entryPrice: 100, leverage: 10, liquidationPrice: 90.4, unrealizedPnl: -20 },
    ]);
    expect(h.ex.lastPrice(LIN)).toBe(98);
    const b = usdt(h.ex);
    expect(b.total).toBeCloseTo(10_000 - 0.4, 9);
    expect(b.used).toBeCloseTo(100, 9);
    expect(b.free).toBeCloseTo(10_000 - 0.4 - 100, 9);
  });

  it('liquidates a 5x short at entry × (1 + 1/5 − 0.004) and never takes more than its margin on a gap', () => {
    const h = harness({ balances: { USDT: 25 } });
    feed(h, LIN, [bar(0, 100, 100.5, 99.5, 100), bar(1, 100, 101, 99, 100), bar(2, 150, 160, 149, 155)], {
      1: (ex) => {
        mustAccept(ex, { clientOrderId: coid('s'), symbol: LIN, side: 'sell', type: 'market', qty: 1, reduceOnly: false, leverage: 5 });
      },
    });
    expect(h.rec.fills.map((f) => [f.clientOrderId, f.candle, f.price, f.liquidation])).toEqual([
      ['s', 1, 100, undefined],
      ['liq-XYZ/USDT:USDT-1', 2, 150, true],
    ]);
    // Liquidation price 119.6 was gapped through: the fill is at the open, the loss capped at the 20 USDT margin.
    expect(usdt(h.ex).total).toBeCloseTo(25 - 0.04 - 20, 9);
    expect(h.ex.positions()).toEqual([]);
  });

  it('cancels a market buy at fill time when the price moved beyond what the wallet can pay (spot)', () => {
    const h = harness({ balances: { USDT: 101 } });
    feed(h, SPOT, [bar(0, 100, 100.5, 99.5, 100), bar(1, 120, 121, 119, 120)], {
      1: (ex) => mustAccept(ex, { clientOrderId: coid('b'), symbol: SPOT, side: 'buy', type: 'market', qty: 1, reduceOnly: false }),
    });
    expect(h.rec.fills).toEqual([]);
    expect(h.rec.cancels[0]?.reason).toMatch(/insufficient balance.*-2010/);
    expect(usdt(h.ex).total).toBe(101);
  });

  it('throws QuantumTraderError for a candle of an unknown symbol or an invalid candle', () => {
    const h = harness();
    expect(() => h.ex.onCandle('NOPE/USDT' as SymbolId, bar(0, 1, 2, 0.5, 1))).toThrowError(/NOPE\/USDT/);
    try {
      h.ex.onCandle(LIN, bar(0, 100, 99, 101, 100));
      expect.unreachable();
    } catch (err) {
      expect(isQuantumTraderError(err, 'DATA_INVALID')).toBe(true);
    }
  });

  it('refuses invalid options with CONFIG_INVALID', () => {
    const scheduler = new ManualClock();
    for (const bad of [{ slippageBps: -1 }, { maxVolumeParticipation: 0 }, { maxVolumeParticipation: 2 }]) {
      expect(() => new SimulatedExchange({ instruments: [], balances: {}, scheduler, ...bad })).toThrow(/CONFIG|must/);
    }
  });
});

describe('binanceInstrument', () => {
  it('knows the 2021 spot and USDⓈ-M perpetual rules of BTC, ETH and BNB', () => {
    expect(binanceInstrument(BTC_SPOT)).toEqual({
      symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', contractType: 'spot', tickSize: 0.01, lotStep: 0.00001,
      minQty: 0.00001, minNotional: 10, maxLeverage: 1, makerFee: 0.001, takerFee: 0.001,
    });
    expect(binanceInstrument(BTC_PERP)).toEqual({
      symbol: 'BTC/USDT:USDT', base: 'BTC', quote: 'USDT', contractType: 'linear', tickSize: 0.1, lotStep: 0.001,
      minQty: 0.001, minNotional: 5, maxLeverage: 125, maintenanceMarginRate: 0.004, makerFee: 0.0002, takerFee: 0.0004,
    });
    expect(binanceInstrument(symbolId('ETH/USDT:USDT'))).toMatchObject({ tickSize: 0.01, lotStep: 0.001 });
    expect(binanceInstrument(symbolId('BNB/USDT:USDT'))).toMatchObject({ tickSize: 0.01, lotStep: 0.01 });
    expect(binanceInstrument(symbolId('ETH/USDT'))).toMatchObject({ contractType: 'spot', base: 'ETH' });
    expect(binanceInstrument(symbolId('BNB/USDT'))).toMatchObject({ contractType: 'spot', base: 'BNB' });
  });

  it('throws UNKNOWN_SYMBOL naming the symbol and the known ones', () => {
    try {
      binanceInstrument(symbolId('DOGE/USDT'));
      expect.unreachable();
    } catch (err) {
      expect(isQuantumTraderError(err, 'UNKNOWN_SYMBOL')).toBe(true);
      expect((err as Error).message).toContain('DOGE/USDT');
      expect((err as Error).message).toContain('BTC/USDT:USDT');
    }
  });
});
