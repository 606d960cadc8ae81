import { describe, expect, it } from 'vitest';
import type { SimulatedExchangeOptions } from '../../src/broker/index.js';
import type { Candle } from '../../src/model/candle.js';
import type { SymbolId } from '../../src/model/ids.js';
import type { OrderSide, PositionSide, SubmitOrder } from '../../src/model/orders.js';
import { bar, coid, feed, harness, LIN, mustAccept, SPOT, usdt } from './helpers.js';

type Extra = Partial<Pick<SubmitOrder, 'reduceOnly' | 'leverage' | 'symbol'>>;
const mkt = (id: string, side: OrderSide, qty: number, x: Extra = {}): SubmitOrder => ({
  clientOrderId: coid(id), symbol: LIN, side, type: 'market', qty, reduceOnly: false, ...x,
});
const lim = (id: string, side: OrderSide, qty: number, price: number, x: Extra = {}): SubmitOrder => ({
  clientOrderId: coid(id), symbol: LIN, side, type: 'limit', qty, price, reduceOnly: false, ...x,
});
const stop = (id: string, side: OrderSide, qty: number, stopPrice: number, x: Extra = {}): SubmitOrder => ({
  clientOrderId: coid(id), symbol: LIN, side, type: 'stop_market', qty, stopPrice, reduceOnly: false, ...x,
});
const RO = { reduceOnly: true } as const;

/** Candles from [open, high, low, close, volume?] rows, one minute apart. */
const series = (...rows: ReadonlyArray<readonly number[]>): Candle[] =>
  rows.map((r, i) => bar(i, r[0]!, r[1]!, r[2]!, r[3]!, r[4] ?? 1_000));

interface ExpectedFill {
  readonly id: string;
  readonly candle: number;
  readonly qty: number;
  readonly price: number;
  readonly fee: number;
  readonly liquidity: 'maker' | 'taker';
  readonly liquidation?: true;
}

interface Scenario {
  readonly name: string;
  readonly options?: Partial<SimulatedExchangeOptions>;
  readonly symbol?: SymbolId;
  readonly candles: readonly Candle[];
  /** Orders submitted just before candle i opens (after candle i − 1 closed). */
  readonly before: Readonly<Record<number, readonly SubmitOrder[]>>;
  /** Orders submitted re-entrantly from the events$ subscriber when the given order first fills. */
  readonly onFill?: Readonly<Record<string, readonly SubmitOrder[]>>;
  readonly fills: readonly ExpectedFill[];
  readonly cancels?: ReadonlyArray<{ readonly id: string; readonly candle: number; readonly reason: string }>;
  /** USDT wallet balance at the end. */
  readonly quote: number;
  readonly position: { readonly side: PositionSide; readonly qty: number; readonly entryPrice: number } | null;
}

const NO_POSITION = 'reduce-only: no position to reduce';

const scenarios: Scenario[] = [
  {
    name: 'a market entry fills at the next open, slipped adversely by slippageBps (101 × 1.001 → 101.11), taker fee',
    options: { slippageBps: 10 },
    candles: series(
      [100, 101, 99, 100.5],
      [101, 102, 100, 101.5],
      [101.5, 103, 101, 102],
      [102, 102.5, 100.5, 101],
      [101, 101.5, 100, 100.8],
      [100.8, 101, 99.5, 100],
    ),
    before: { 1: [mkt('e1', 'buy', 10)] },
    fills: [{ id: 'e1', candle: 1, qty: 10, price: 101.11, fee: 0.40444, liquidity: 'taker' }],
    quote: 10_000 - 0.40444,
    position: { side: 'long', qty: 10, entryPrice: 101.11 },
  },
  {
    name: 'a slipped market price beyond the candle is clamped to its high',
    options: { slippageBps: 10 },
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 100.05, 99.5, 99.8],
      [99.8, 100, 99.5, 99.9],
      [99.9, 100.2, 99.7, 100],
      [100, 100.3, 99.8, 100.1],
      [100.1, 100.4, 99.9, 100.2],
    ),
    before: { 1: [mkt('e1b', 'buy', 10)] },
    fills: [{ id: 'e1b', candle: 1, qty: 10, price: 100.05, fee: 0.4002, liquidity: 'taker' }],
    quote: 10_000 - 0.4002,
    position: { side: 'long', qty: 10, entryPrice: 100.05 },
  },
  {
    name: 'a long takes profit on half at the TP limit (maker), then the SL stop closes the rest clamped to the position',
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 101, 99, 100.5],
      [100.5, 103, 100, 102],
      [102, 106, 101, 105],
      [105, 105.5, 101, 102],
      [102, 102.5, 97, 97.5],
      [97.5, 98, 96, 97],
    ),
    before: { 1: [mkt('e2', 'buy', 10)] },
    onFill: { e2: [lim('tp2', 'sell', 5, 105, RO), stop('sl2', 'sell', 10, 98, RO)] },
    fills: [
      { id: 'e2', candle: 1, qty: 10, price: 100, fee: 0.4, liquidity: 'taker' },
      { id: 'tp2', candle: 3, qty: 5, price: 105, fee: 0.105, liquidity: 'maker' },
      { id: 'sl2', candle: 5, qty: 5, price: 98, fee: 0.196, liquidity: 'taker' },
    ],
    cancels: [{ id: 'sl2', candle: 5, reason: NO_POSITION }],
    quote: 10_000 - 0.4 + 25 - 0.105 - 10 - 0.196,
    position: null,
  },
  {
    name: 'a candle that gaps through the stop fills it at the open (93), not at the stop (95)',
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 101, 99, 100.5],
      [100.5, 101, 96, 96.5],
      [93, 94, 92, 93.5],
      [93.5, 94, 93, 93.5],
      [93.5, 94, 93, 93.5],
    ),
    before: { 1: [mkt('e3', 'buy', 10)] },
    onFill: { e3: [stop('sl3', 'sell', 10, 95, RO)] },
    fills: [
      { id: 'e3', candle: 1, qty: 10, price: 100, fee: 0.4, liquidity: 'taker' },
      { id: 'sl3', candle: 3, qty: 10, price: 93, fee: 0.372, liquidity: 'taker' },
    ],
    quote: 10_000 - 0.4 - 70 - 0.372,
    position: null,
  },
  {
    name: "TP and SL inside one candle: 'conservative' walks a long's adverse low first and exits at the SL",
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 101, 99, 100.5],
      [100.5, 101.5, 99.5, 100],
      [100, 105, 96, 101],
      [101, 101.5, 100.5, 101],
      [101, 101.5, 100.5, 101],
    ),
    before: { 1: [mkt('e4', 'buy', 10)] },
    onFill: { e4: [lim('tp4', 'sell', 10, 104, RO), stop('sl4', 'sell', 10, 97, RO)] },
    fills: [
      { id: 'e4', candle: 1, qty: 10, price: 100, fee: 0.4, liquidity: 'taker' },
      { id: 'sl4', candle: 3, qty: 10, price: 97, fee: 0.388, liquidity: 'taker' },
    ],
    cancels: [{ id: 'tp4', candle: 3, reason: NO_POSITION }],
    quote: 10_000 - 0.4 - 30 - 0.388,
    position: null,
  },
  {
    name: "TP and SL inside one candle: 'ohlc' walks the high first and exits at the TP",
    options: { intrabar: 'ohlc' },
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 101, 99, 100.5],
      [100.5, 101.5, 99.5, 100],
      [100, 105, 96, 101],
      [101, 101.5, 100.5, 101],
      [101, 101.5, 100.5, 101],
    ),
    before: { 1: [mkt('e5', 'buy', 10)] },
    onFill: { e5: [lim('tp5', 'sell', 10, 104, RO), stop('sl5', 'sell', 10, 97, RO)] },
    fills: [
      { id: 'e5', candle: 1, qty: 10, price: 100, fee: 0.4, liquidity: 'taker' },
      { id: 'tp5', candle: 3, qty: 10, price: 104, fee: 0.208, liquidity: 'maker' },
    ],
    cancels: [{ id: 'sl5', candle: 3, reason: NO_POSITION }],
    quote: 10_000 - 0.4 + 40 - 0.208,
    position: null,
  },
  {
    name: "flat under 'conservative', the extreme nearer the open comes first (high 2.5 away before low 3 away)",
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 102.5, 97, 99],
      [99, 99.5, 98.5, 99],
      [99, 99.5, 98.5, 99],
      [99, 99.5, 98.5, 99],
      [99, 99.5, 98.5, 99],
    ),
    before: { 1: [lim('b6', 'buy', 1, 98), lim('s6', 'sell', 1, 102)] },
    fills: [
      { id: 's6', candle: 1, qty: 1, price: 102, fee: 0.0204, liquidity: 'maker' },
      { id: 'b6', candle: 1, qty: 1, price: 98, fee: 0.0196, liquidity: 'maker' },
    ],
    quote: 10_000 + 4 - 0.0204 - 0.0196,
    position: null,
  },
  {
    name: 'a reduce-only order is clamped to the position (15 → 10, rest canceled) and canceled when there is none',
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 101, 99, 100.5],
      [100.5, 101, 100, 100.5],
      [100.5, 101, 100, 100.8],
      [100.8, 101, 100.5, 100.8],
      [100.8, 101.5, 100.5, 101],
      [101, 101.5, 100.5, 101],
    ),
    before: {
      1: [mkt('e7', 'buy', 10)],
      3: [mkt('ro7', 'sell', 15, RO)],
      5: [lim('ro8', 'sell', 5, 101, RO)],
    },
    fills: [
      { id: 'e7', candle: 1, qty: 10, price: 100, fee: 0.4, liquidity: 'taker' },
      { id: 'ro7', candle: 3, qty: 10, price: 100.5, fee: 0.402, liquidity: 'taker' },
    ],
    cancels: [
      { id: 'ro7', candle: 3, reason: NO_POSITION },
      { id: 'ro8', candle: 5, reason: NO_POSITION },
    ],
    quote: 10_000 - 0.4 + 5 - 0.402,
    position: null,
  },
  {
    name: 'maker vs taker: a resting limit pays the maker fee, a limit marketable at the open fills at the open as taker',
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 100.5, 99, 100],
      [100, 100.4, 99.8, 100.2],
      [100.2, 100.5, 100, 100.3],
      [100.3, 100.5, 100, 100.3],
      [100.3, 100.5, 100, 100.3],
    ),
    before: {
      1: [lim('m8', 'buy', 1, 99.5), lim('t8', 'buy', 1, 101)],
      3: [mkt('x8', 'sell', 2, RO)],
    },
    fills: [
      { id: 't8', candle: 1, qty: 1, price: 100, fee: 0.04, liquidity: 'taker' },
      { id: 'm8', candle: 1, qty: 1, price: 99.5, fee: 0.0199, liquidity: 'maker' },
      { id: 'x8', candle: 3, qty: 2, price: 100.2, fee: 0.08016, liquidity: 'taker' },
    ],
    quote: 10_000 - 0.04 - 0.0199 - 0.08016 + 0.2 + 0.7,
    position: null,
  },
  {
    name: "a short on a linear perpetual: 'conservative' walks its adverse high first, then the TP buys back at 90",
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 100.5, 99, 99.5],
      [99.5, 99.8, 95, 96],
      [96, 96.5, 89.5, 90.5],
      [90.5, 91, 90, 90.5],
      [90.5, 91, 90, 90.5],
    ),
    before: { 1: [mkt('s9', 'sell', 10)] },
    onFill: { s9: [lim('c9', 'buy', 10, 90, RO)] },
    fills: [
      { id: 's9', candle: 1, qty: 10, price: 100, fee: 0.4, liquidity: 'taker' },
      { id: 'c9', candle: 3, qty: 10, price: 90, fee: 0.18, liquidity: 'maker' },
    ],
    quote: 10_000 - 0.4 + 100 - 0.18,
    position: null,
  },
  {
    name: 'a 10x long is liquidated at 100 × (1 − 1/10 + 0.004) = 90.4 before its SL at 85, which is canceled',
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 101, 99.5, 100.5],
      [100.5, 101, 95, 96],
      [96, 96.5, 89, 90],
      [90, 90.5, 84, 85],
      [85, 86, 84, 85],
    ),
    before: { 1: [mkt('l10', 'buy', 10, { leverage: 10 })] },
    onFill: { l10: [stop('sl10', 'sell', 10, 85, RO)] },
    fills: [
      { id: 'l10', candle: 1, qty: 10, price: 100, fee: 0.4, liquidity: 'taker' },
      { id: 'liq-XYZ/USDT:USDT-1', candle: 3, qty: 10, price: 90.4, fee: 0.3616, liquidity: 'taker', liquidation: true },
    ],
    cancels: [{ id: 'sl10', candle: 3, reason: 'canceled: position liquidated' }],
    quote: 10_000 - 0.4 - 96 - 0.3616,
    position: null,
  },
  {
    name: 'with maxVolumeParticipation 0.1 a market order fills 10 % of each candle volume (3 of 30) at each open',
    options: { maxVolumeParticipation: 0.1 },
    candles: series(
      [100, 100.5, 99.5, 100, 30],
      [100, 101, 99.5, 100.5, 30],
      [101, 101.5, 100.5, 101, 30],
      [102, 102.5, 101.5, 102, 30],
      [103, 103.5, 102.5, 103, 30],
      [103, 103.5, 102.5, 103, 30],
    ),
    before: { 1: [mkt('p11', 'buy', 10)] },
    fills: [
      { id: 'p11', candle: 1, qty: 3, price: 100, fee: 0.12, liquidity: 'taker' },
      { id: 'p11', candle: 2, qty: 3, price: 101, fee: 0.1212, liquidity: 'taker' },
      { id: 'p11', candle: 3, qty: 3, price: 102, fee: 0.1224, liquidity: 'taker' },
      { id: 'p11', candle: 4, qty: 1, price: 103, fee: 0.0412, liquidity: 'taker' },
    ],
    quote: 10_000 - 0.4048,
    position: { side: 'long', qty: 10, entryPrice: 101.2 },
  },
  {
    name: 'spot round trip: a buy spends quote plus the 0.1 % fee, a limit sell returns the proceeds less its fee',
    symbol: SPOT,
    candles: series(
      [100, 100.5, 99.5, 100],
      [100, 101, 99, 100.5],
      [100.5, 101, 100, 100.5],
      [100.5, 101.5, 100, 101],
      [101, 102.5, 100.5, 102],
      [102, 102.5, 101.5, 102],
    ),
    before: {
      1: [mkt('sb', 'buy', 10, { symbol: SPOT })],
      3: [lim('ss', 'sell', 10, 102, { symbol: SPOT })],
    },
    fills: [
      { id: 'sb', candle: 1, qty: 10, price: 100, fee: 1, liquidity: 'taker' },
      { id: 'ss', candle: 4, qty: 10, price: 102, fee: 1.02, liquidity: 'maker' },
    ],
    quote: 10_000 - 1_000 - 1 + 1_020 - 1.02,
    position: null,
  },
];

describe('SimulatedExchange scenarios', () => {
  it.each(scenarios)('$name', (s) => {
    const h = harness(s.options);
    const pending = new Map(Object.entries(s.onFill ?? {}));
    h.ex.events$.subscribe((e) => {
      if (e.type !== 'OrderFilled') return;
      const legs = pending.get(e.clientOrderId);
      if (legs === undefined) return;
      pending.delete(e.clientOrderId);
      for (const leg of legs) mustAccept(h.ex, leg);
    });
    const before: Record<number, (ex: typeof h.ex) => void> = {};
    for (const [i, orders] of Object.entries(s.before)) {
      before[Number(i)] = (ex) => orders.forEach((o) => mustAccept(ex, o));
    }
    feed(h, s.symbol ?? LIN, s.candles, before);

    expect(h.rec.fills.map((f) => ({ id: f.clientOrderId, candle: f.candle, qty: f.qty }))).toEqual(
      s.fills.map((f) => ({ id: f.id, candle: f.candle, qty: f.qty })),
    );
    s.fills.forEach((want, i) => {
      const got = h.rec.fills[i]!;
      expect(got.price, `${want.id} price`).toBeCloseTo(want.price, 9);
      expect(got.fee, `${want.id} fee`).toBeCloseTo(want.fee, 9);
      expect(got.liquidity, `${want.id} liquidity`).toBe(want.liquidity);
      expect(got.liquidation, `${want.id} liquidation`).toBe(want.liquidation);
      const c = s.candles[got.candle]!;
      expect(got.price).toBeGreaterThanOrEqual(c.low);
      expect(got.price).toBeLessThanOrEqual(c.high);
    });
    expect(h.rec.cancels.map((c) => ({ id: c.clientOrderId, candle: c.candle, reason: c.reason }))).toEqual(
      s.cancels ?? [],
    );
    expect(usdt(h.ex).total).toBeCloseTo(s.quote, 9);
    const positions = h.ex.positions();
    if (s.position === null) {
      expect(positions).toEqual([]);
    } else {
      expect(positions).toHaveLength(1);
      expect(positions[0]!.side).toBe(s.position.side);
      expect(positions[0]!.qty).toBe(s.position.qty);
      expect(positions[0]!.entryPrice).toBeCloseTo(s.position.entryPrice, 9);
    }
  });
});
