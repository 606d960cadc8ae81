import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import type { Candle } from '../../model/candle.js';
import type { CandleRefiner } from './candle-refiner.js';
import type { IntrabarMode, IntrabarPath } from './intrabar-path.js';
import { isWorking, remainingOf, type SimOrder, type SymbolBook } from './simulated-book.js';
import type { SimLedger } from './simulated-ledger.js';

/** Matching settings fixed at construction. @internal */
export interface MatchConfig {
  readonly mode: IntrabarMode;
  /** Adverse slippage as a fraction (5 bps = 0.0005). */
  readonly slip: number;
  /** Fraction of a candle's volume that may fill per candle (Infinity: no cap). */
  readonly participation: number;
  /** Order arrival latency in ms: an order works from the first candle opening at or after `createdAt + latency`. */
  readonly latency: number;
  /** Extra adverse slippage (fraction) of a market-like fill taking the whole candle's volume; 0: off. */
  readonly impact: number;
  /** Exponent of the participation in the impact term (0.5: square-root law, 1: linear). */
  readonly impactExponent: number;
}

/** Counters of how candles were matched. @internal */
export interface MatchCounters {
  /** Candles where triggers on both sides of the open made the intrabar order matter. */
  ambiguous: number;
  /** Ambiguous candles resolved from finer candles. */
  refined: number;
}

/**
 * Matches the working orders of one symbol against one closed candle, walking the intrabar path and executing
 * orders (and a liquidation) in the order the path reaches them. Only orders in the book when matching starts
 * and that arrived (submission + latency) at or before the candle's open time take part. An ambiguous candle —
 * one where a trigger above the open and another below it are both reached, so their order depends on the path —
 * is walked through its finer candles when the refiner has a complete set for it. Allocates nothing unless
 * something fills or a candle is refined.
 *
 * @internal
 */
export function matchCandle(
  ledger: SimLedger,
  book: SymbolBook,
  candle: Candle,
  path: IntrabarPath,
  cfg: MatchConfig,
  refiner: CandleRefiner | undefined,
  counters: MatchCounters,
): void {
  const orders = book.orders;
  // Orders submitted re-entrantly while this candle is matched are appended after `n`: never matched here.
  const n = orders.length;
  const arrivedBy = candle.ts - cfg.latency;
  prepareAll(book, candle, path, cfg, n, arrivedBy);
  const budget = cfg.participation === Infinity ? Infinity : cfg.participation * candle.volume;
  if (isAmbiguous(book, candle, n)) {
    counters.ambiguous++;
    const subs = refiner?.subCandles(book.symbol, candle);
    if (subs !== undefined) {
      counters.refined++;
      let left = budget;
      for (let k = 0; k < subs.length; k++) {
        // Finer data may disagree slightly with the coarse candle; keep every fill inside the coarse range.
        const sub = clampInto(subs[k]!, candle);
        prepareAll(book, sub, path, cfg, n, arrivedBy);
        left = walk(ledger, book, sub, candle.volume, path, cfg, n, left);
      }
      return;
    }
  }
  walk(ledger, book, candle, candle.volume, path, cfg, n, budget);
}

/**
 * Whether anything in the book can execute on this candle: the liquidation price or a working order's trigger
 * inside the candle's range, a market order, or a stop that already triggered. Only compares prices (the intrabar
 * path covers exactly `[low, high]`), so a candle that reaches nothing skips {@link matchCandle}, which would
 * execute nothing on it. Errs on the side of yes (an order that has not arrived yet still counts).
 *
 * @internal
 */
export function mayTrigger(book: SymbolBook, candle: Candle): boolean {
  return mayTriggerWithin(book, candle.low, candle.high);
}

/**
 * The prices at which a candle starts to reach something in the book, for scanning many candles: it may trigger when
 * `low <= out[0]` (buy limits, sell stops, a long's liquidation) or `high >= out[1]` (sell limits, buy stops, a
 * short's liquidation) — the same comparisons as {@link mayTriggerWithin}. Returns false when a market order or a
 * triggered stop is working (every candle acts on it).
 *
 * @internal
 */
export function triggerBand(book: SymbolBook, out: Float64Array): boolean {
  let down = Number.NEGATIVE_INFINITY;
  let up = Number.POSITIVE_INFINITY;
  if (!book.spot && book.posQty !== 0) {
    const liq = book.liqPrice;
    if (book.posQty > 0) {
      if (liq > down) down = liq;
    } else if (liq < up) up = liq;
  }
  const orders = book.orders;
  for (let i = 0; i < orders.length; i++) {
    const o = orders[i]!;
    if (!isWorking(o)) continue;
    if (o.type === 'market' || o.triggered) return false;
    const buy = o.side === 'buy';
    const p = o.type === 'limit' ? o.price! : o.stopPrice!;
    // buy limit and sell stop are reached from above (low), sell limit and buy stop from below (high)
    if (buy === (o.type === 'limit')) {
      if (p > down) down = p;
    } else if (p < up) up = p;
  }
  out[0] = down;
  out[1] = up;
  return true;
}

const BAND = new Float64Array(2);

/** {@link mayTrigger} on a candle's range given as numbers: the comparisons of {@link triggerBand}. @internal */
export function mayTriggerWithin(book: SymbolBook, low: number, high: number): boolean {
  return !triggerBand(book, BAND) || low <= BAND[0]! || high >= BAND[1]!;
}

function prepareAll(book: SymbolBook, candle: Candle, path: IntrabarPath, cfg: MatchConfig, n: number, arrivedBy: number): void {
  const open = candle.open;
  const pos = book.posQty;
  const lowFirst =
    cfg.mode === 'olhc'
      ? true
      : cfg.mode === 'ohlc'
        ? false
        : pos > 0
          ? true
          : pos < 0
            ? false
            : open - candle.low <= candle.high - open;
  path.reset(candle, lowFirst);
  const orders = book.orders;
  for (let i = 0; i < n; i++) {
    const o = orders[i]!;
    if (isWorking(o) && o.createdAt <= arrivedBy) prepare(o, book, path, cfg.slip, candle);
    else o.trigT = Infinity;
  }
}

/** Executes what the path reaches, in path order; returns the volume budget left. */
function walk(
  ledger: SimLedger,
  book: SymbolBook,
  candle: Candle,
  volume: number,
  path: IntrabarPath,
  cfg: MatchConfig,
  n: number,
  budget: number,
): number {
  const low = candle.low;
  const high = candle.high;
  const orders = book.orders;
  let curT = 0;
  for (;;) {
    let liqT = Infinity;
    let liqPx = 0;
    if (!book.spot && book.posQty !== 0 && path.firstCross(book.liqPrice, book.posQty < 0, curT)) {
      liqT = path.crossT;
      liqPx = clamp(path.crossPrice, low, high);
    }
    let best: SimOrder | undefined;
    let bestT = Infinity;
    for (let i = 0; i < n; i++) {
      const o = orders[i]!;
      if (o.trigT < bestT && isWorking(o)) {
        best = o;
        bestT = o.trigT;
      }
    }
    // A liquidation wins a tie: the venue liquidates before a stop at the same price can run past the margin.
    if (liqT <= bestT) {
      if (liqT === Infinity) break;
      assertInside(liqPx, candle, book);
      ledger.liquidate(book, liqPx);
      curT = liqT;
      continue;
    }
    if (best === undefined) break;
    best.trigT = Infinity;
    curT = bestT;

    if (best.type === 'stop_market') best.triggered = true;
    let q = remainingOf(best, book);
    if (best.reduceOnly) {
      if (!ledger.canReduce(book, best)) {
        ledger.cancel(book, best, 'reduce-only: no position to reduce');
        continue;
      }
      const abs = Math.abs(book.posQty);
      if (q > abs) q = abs;
    }
    if (budget !== Infinity) {
      const cap = book.floorQty(budget);
      if (q > cap) q = cap;
      if (q <= 0) continue;
      budget -= q;
    }
    let px = best.trigPx;
    if (cfg.impact > 0 && !best.trigMaker && best.type !== 'limit') {
      // Volume-participation slippage: the larger the fill's share of the candle's volume, the worse the price.
      const share = volume > 0 ? Math.min(1, q / volume) : 1;
      px = clamp(slipped(best.trigBase, best.side === 'buy', cfg.slip + cfg.impact * share ** cfg.impactExponent, book), low, high);
    }
    assertInside(px, candle, book);
    ledger.execute(book, best, q, px, best.trigMaker);
  }
  return budget;
}

/** True if triggers on both sides of the open are reached, so the unknown intrabar order decides the outcome. */
function isAmbiguous(book: SymbolBook, candle: Candle, n: number): boolean {
  const open = candle.open;
  let up = false;
  let down = false;
  const orders = book.orders;
  for (let i = 0; i < n; i++) {
    const o = orders[i]!;
    if (!(o.trigT > 0 && o.trigT !== Infinity)) continue;
    const level = o.type === 'limit' ? o.price! : o.stopPrice!;
    if (level > open) up = true;
    else if (level < open) down = true;
  }
  if (!book.spot && book.posQty !== 0) {
    const liq = book.liqPrice;
    if (book.posQty > 0 && liq < open && liq >= candle.low) down = true;
    if (book.posQty < 0 && liq > open && liq <= candle.high) up = true;
  }
  return up && down;
}

function clampInto(c: Candle, outer: Candle): Candle {
  return {
    ts: c.ts,
    open: clamp(c.open, outer.low, outer.high),
    high: clamp(c.high, outer.low, outer.high),
    low: clamp(c.low, outer.low, outer.high),
    close: clamp(c.close, outer.low, outer.high),
    volume: c.volume,
  };
}

/** Works out where on the path an order triggers and at what price it fills. */
function prepare(
  o: SimOrder,
  book: SymbolBook,
  path: IntrabarPath,
  slip: number,
  candle: Candle,
): void {
  const low = candle.low;
  const high = candle.high;
  if (o.type === 'market' || (o.type === 'stop_market' && o.triggered)) {
    o.trigT = 0;
    o.trigBase = candle.open;
    o.trigPx = clamp(slipped(candle.open, o.side === 'buy', slip, book), low, high);
    o.trigMaker = false;
  } else if (o.type === 'stop_market') {
    if (path.firstCross(o.stopPrice!, o.side === 'buy', 0)) {
      o.trigT = path.crossT;
      o.trigBase = path.crossPrice;
      // crossPrice is the stop, or the open when the candle gapped through it.
      o.trigPx = clamp(slipped(path.crossPrice, o.side === 'buy', slip, book), low, high);
      o.trigMaker = false;
    } else {
      o.trigT = Infinity;
    }
  } else if (path.firstCross(o.price!, o.side === 'sell', 0)) {
    o.trigT = path.crossT;
    // crossPrice is the limit, or the better open when the order was already marketable at the open.
    o.trigPx = clamp(path.crossPrice, low, high);
    o.trigMaker = path.crossPrice === o.price;
  } else {
    o.trigT = Infinity;
  }
}

function slipped(p: number, buy: boolean, slip: number, book: SymbolBook): number {
  if (slip === 0) return p;
  return book.roundPriceDir(buy ? p * (1 + slip) : p * (1 - slip), buy);
}

function clamp(p: number, low: number, high: number): number {
  return p < low ? low : p > high ? high : p;
}

function assertInside(price: number, candle: Candle, book: SymbolBook): void {
  if (!(price >= candle.low && price <= candle.high)) {
    throw new QuantumTraderError(
      'INVARIANT_VIOLATED',
      `SimulatedExchange: fill price ${price} on ${book.symbol} lies outside the candle at ${candle.ts} [${candle.low}, ${candle.high}]`,
    );
  }
}
