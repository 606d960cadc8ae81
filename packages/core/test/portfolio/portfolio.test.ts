import { describe, expect, it } from 'vitest';
import type { OrderFilled, OrderSubmitting } from '../../src/model/events.js';
import { symbolId, type ClientOrderId } from '../../src/model/ids.js';
import type { OrderSide } from '../../src/model/orders.js';
import { Portfolio } from '../../src/portfolio/portfolio.js';

const S = symbolId('ETH/USDT:USDT');
let seq = 0;
function submitting(coid: string, side: OrderSide, leg: string, reduceOnly = leg !== 'entry'): OrderSubmitting {
  return {
    id: `sub-${coid}`,
    type: 'OrderSubmitting',
    ts: 0,
    order: { clientOrderId: coid as ClientOrderId, symbol: S, side, type: 'market', qty: 1, reduceOnly, leg, leverage: 2 },
  };
}
function fill(coid: string, side: OrderSide, qty: number, price: number, fee: number, reduceOnly = false, ts = ++seq): OrderFilled {
  return {
    id: `fill-${coid}-${ts}`,
    type: 'OrderFilled',
    ts,
    clientOrderId: coid as ClientOrderId,
    venueOrderId: 'v' as never,
    symbol: S,
    side,
    orderType: 'market',
    fillSeq: ts,
    qty,
    price,
    fee,
    feeCurrency: 'USDT',
    liquidity: 'taker',
    remainingQty: 0,
    reduceOnly,
  };
}

describe('Portfolio', () => {
  it('opens a long, takes partial profit, stops out the rest, and accounts every fee', () => {
    const p = new Portfolio(10_000);
    p.apply(submitting('e', 'buy', 'entry'));
    p.apply(submitting('tp1', 'sell', 'tp1'));
    p.apply(submitting('sl', 'sell', 'sl'));
    const [opened] = p.apply(fill('e', 'buy', 1, 2000, 0.8));
    expect(opened).toMatchObject({ type: 'PositionOpened', side: 'long', qty: 1, entryPrice: 2000, leverage: 2 });
    const [changed] = p.apply(fill('tp1', 'sell', 0.3, 2039, 0.1, true));
    // 0.3 × 39 = 11.7 gross, minus 0.8 + 0.1 fees
    expect(changed).toMatchObject({ type: 'PositionChanged', qty: 0.7, realizedPnl: 10.8 });
    p.mark(S, 1990);
    expect(p.unrealizedPnl()).toBeCloseTo(-7, 9);
    const [closed] = p.apply(fill('sl', 'sell', 0.7, 1960, 0.2, true));
    // 10.8 + 0.7 × (1960 − 2000) − 0.2 = 10.8 − 28 − 0.2
    expect(closed).toMatchObject({ type: 'PositionClosed', exitReason: 'stop_loss', realizedPnl: -17.4, qty: 1, fees: 1.1 });
    expect(closed?.type === 'PositionClosed' && closed.exitPrice).toBeCloseTo((0.3 * 2039 + 0.7 * 1960) / 1, 9);
    const s = p.stats();
    expect(s).toMatchObject({ closedTrades: 1, wins: 0, losses: 1, openPositions: 0 });
    expect(s.equity).toBeCloseTo(10_000 - 17.4, 9);
  });

  it('mirrors a short: profit when price falls', () => {
    const p = new Portfolio(1_000);
    p.apply(submitting('e', 'sell', 'entry'));
    p.apply(submitting('tp3', 'buy', 'tp3'));
    p.apply(fill('e', 'sell', 2, 100, 0));
    const [closed] = p.apply(fill('tp3', 'buy', 2, 95, 0, true));
    expect(closed).toMatchObject({ type: 'PositionClosed', side: 'short', realizedPnl: 10, exitReason: 'tp3' });
    expect(p.stats().winRate).toBe(1);
  });

  it('never lets a reduce-only fill flip the position', () => {
    const p = new Portfolio(1_000);
    p.apply(fill('e', 'buy', 1, 100, 0));
    const out = p.apply(fill('x', 'sell', 3, 110, 0, true));
    expect(out.map((e) => e.type)).toEqual(['PositionClosed']);
    expect(p.position(S)).toBeUndefined();
  });

  it('flips on a larger non-reduce-only fill: closes, then opens the rest the other way', () => {
    const p = new Portfolio(1_000);
    p.apply(fill('e', 'buy', 1, 100, 0));
    const out = p.apply(fill('f', 'sell', 3, 110, 0));
    expect(out.map((e) => e.type)).toEqual(['PositionClosed', 'PositionOpened']);
    expect(p.position(S)).toMatchObject({ side: 'short', qty: 2 });
  });

  it('tracks max drawdown from sampled equity', () => {
    const p = new Portfolio(1_000);
    p.apply(fill('e', 'buy', 1, 100, 0));
    for (const [t, m] of [[1, 100], [2, 150], [3, 75], [4, 120]] as const) {
      p.mark(S, m);
      p.sample(t);
    }
    // peak 1050, trough 975
    expect(p.stats().maxDrawdown).toBeCloseTo(75 / 1050, 12);
  });
});

describe('Portfolio valuation cache', () => {
  // equity() is cached between changes; this recomputes it from first principles after every step.
  const T = symbolId('BTC/USDT:USDT');
  const byHand = (p: Portfolio, marks: Map<string, number>) => {
    let u = 0;
    let r = 0;
    for (const pos of p.openPositions()) {
      const m = marks.get(pos.symbol) ?? pos.entryPrice;
      u += (pos.side === 'long' ? m - pos.entryPrice : pos.entryPrice - m) * pos.qty;
      r += pos.realizedPnl;
    }
    return { u, r };
  };

  it('follows every mark, fill and restore exactly', () => {
    const p = new Portfolio(1_000);
    const marks = new Map<string, number>();
    let closed = 0; // realized PnL of closed positions, by hand
    const check = () => {
      const { u, r } = byHand(p, marks);
      expect(p.unrealizedPnl()).toBe(u);
      expect(p.realizedPnl()).toBeCloseTo(closed + r, 12);
      expect(p.equity()).toBe(1_000 + p.realizedPnl() + p.unrealizedPnl());
    };
    const mark = (s: typeof S, px: number) => {
      p.mark(s, px);
      marks.set(s, px);
      check();
    };
    mark(T, 50_000); // a mark without a position
    check();
    p.apply(submitting('e1', 'buy', 'entry'));
    p.apply(fill('e1', 'buy', 1, 2_000, 1));
    check(); // opened before its symbol was ever marked: valued at the entry
    mark(S, 2_010);
    mark(S, 2_010); // the same price again
    mark(T, 50_100); // another symbol's price moves: no effect on this position
    mark(S, 1_990);
    p.apply(submitting('t1', 'sell', 'tp1'));
    p.apply(fill('t1', 'sell', 0.4, 2_050, 0.2, true));
    check();
    mark(S, 2_100);
    p.apply(submitting('s1', 'sell', 'sl'));
    p.apply(fill('s1', 'sell', 0.6, 1_950, 0.3, true));
    closed = -1 + 0.4 * 50 - 0.2 - 0.6 * 50 - 0.3;
    check();
    expect(p.openPositions()).toEqual([]);
    expect(p.equity()).toBeCloseTo(1_000 - 1 + 0.4 * 50 - 0.2 - 0.6 * 50 - 0.3, 9);
  });
});
