import fc from 'fast-check';
import type { IntrabarMode, SimulatedExchange } from '../../src/broker/index.js';
import type { Candle } from '../../src/model/candle.js';
import type { BrokerEvent, OrderFilled } from '../../src/model/events.js';
import type { SymbolId } from '../../src/model/ids.js';
import type { OrderSide } from '../../src/model/orders.js';
import { bar, coid, LIN, SPOT } from './helpers.js';

export interface Action {
  readonly kind: 'market' | 'limit' | 'stop' | 'cancel';
  readonly side: OrderSide;
  /** In lots of 0.01. */
  readonly lots: number;
  /** Price offset from the last close, in ticks of 0.01. */
  readonly offset: number;
  readonly reduceOnly: boolean;
  readonly leverage: number;
  readonly pick: number;
}

export interface RandomRun {
  readonly symbol: SymbolId;
  readonly intrabar: IntrabarMode;
  readonly slippageBps: number;
  readonly participation: number | undefined;
  readonly quote: number;
  /** React to entry fills by placing reduce-only TP and SL legs (re-entrant submissions). */
  readonly legs: boolean;
  readonly candles: readonly Candle[];
  /** actions[i] run just before candle i opens. */
  readonly actions: ReadonlyArray<readonly Action[]>;
}

const actionArb: fc.Arbitrary<Action> = fc.record({
  kind: fc.constantFrom('market', 'limit', 'limit', 'stop', 'stop', 'cancel'),
  side: fc.constantFrom('buy', 'sell'),
  lots: fc.integer({ min: 1, max: 1_500 }),
  offset: fc.integer({ min: -600, max: 600 }),
  reduceOnly: fc.boolean(),
  leverage: fc.integer({ min: 1, max: 20 }),
  pick: fc.nat(),
});

/** A random walk of valid OHLC candles (prices on the 0.01 tick, sometimes gapping) and random order actions. */
export const randomRunArb: fc.Arbitrary<RandomRun> = fc
  .record({
    symbol: fc.constantFrom(LIN, SPOT),
    intrabar: fc.constantFrom<IntrabarMode>('conservative', 'ohlc', 'olhc'),
    slippageBps: fc.constantFrom(0, 0, 3, 25),
    participation: fc.option(fc.constantFrom(0.05, 0.3, 1), { nil: undefined }),
    quote: fc.constantFrom(40, 300, 2_000, 10_000),
    legs: fc.boolean(),
    bars: fc.array(
      fc.record({
        gap: fc.oneof(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -1_500, max: 1_500 })),
        body: fc.integer({ min: -600, max: 600 }),
        up: fc.integer({ min: 0, max: 500 }),
        down: fc.integer({ min: 0, max: 500 }),
        volume: fc.integer({ min: 0, max: 60 }),
      }),
      { minLength: 4, maxLength: 30 },
    ),
    actions: fc.array(fc.array(actionArb, { maxLength: 3 }), { maxLength: 30 }),
  })
  .map((r) => {
    let prev = 10_000; // in ticks
    const candles = r.bars.map((b, i) => {
      const open = Math.max(200, prev + b.gap);
      const close = Math.max(200, open + b.body);
      const high = Math.max(open, close) + b.up;
      const low = Math.max(100, Math.min(open, close) - b.down);
      prev = close;
      return bar(i, open / 100, high / 100, low / 100, close / 100, b.volume);
    });
    return { ...r, candles, actions: candles.map((_, i) => r.actions[i] ?? []) };
  });

/** Runs the run's actions before candle `i` (deterministic from the exchange's state). */
export function act(ex: SimulatedExchange, run: RandomRun, i: number): void {
  const last = ex.lastPrice(run.symbol) ?? 100;
  (run.actions[i] ?? []).forEach((a, j) => {
    const id = coid(`a-${i}-${j}`);
    if (a.kind === 'cancel') {
      const open = ex.openOrders(run.symbol);
      const victim = open[a.pick % Math.max(1, open.length)];
      if (victim !== undefined) ex.cancel(victim.clientOrderId, run.symbol);
      return;
    }
    const price = Math.max(1, Math.round(last * 100) + a.offset) / 100;
    const leverage = run.symbol === LIN ? a.leverage : 1;
    const base = { clientOrderId: id, symbol: run.symbol, side: a.side, qty: a.lots / 100, reduceOnly: a.reduceOnly, leverage };
    if (a.kind === 'market') ex.submit({ ...base, type: 'market' });
    else if (a.kind === 'limit') ex.submit({ ...base, type: 'limit', price });
    else ex.submit({ ...base, type: 'stop_market', stopPrice: price });
  });
}

/** The re-entrant reaction: after a non-reduce-only fill, place reduce-only TP (+2 %) and SL (−2 %) legs. */
export function reactLegs(ex: SimulatedExchange, run: RandomRun, e: BrokerEvent): void {
  if (!run.legs || e.type !== 'OrderFilled' || e.reduceOnly) return;
  const f: OrderFilled = e;
  const exit: OrderSide = f.side === 'buy' ? 'sell' : 'buy';
  const up = f.side === 'buy' ? 1.02 : 0.98;
  const down = f.side === 'buy' ? 0.98 : 1.02;
  const common = { symbol: run.symbol, side: exit, qty: f.qty, reduceOnly: true } as const;
  ex.submit({ ...common, clientOrderId: coid(`tp-${f.clientOrderId}-${f.fillSeq}`), type: 'limit', price: Math.round(f.price * up * 100) / 100 });
  ex.submit({ ...common, clientOrderId: coid(`sl-${f.clientOrderId}-${f.fillSeq}`), type: 'stop_market', stopPrice: Math.round(f.price * down * 100) / 100 });
}
