import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import type { Candle } from '../../model/candle.js';
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
}

/**
 * Matches the working orders of one symbol against one closed candle, walking the intrabar path and executing
 * orders (and a liquidation) in the order the path reaches them. Only orders in the book when matching starts
 * and submitted at or before the candle's open time take part. Allocates nothing unless something fills.
 *
 * @internal
 */
export function matchCandle(
  ledger: SimLedger,
  book: SymbolBook,
  candle: Candle,
  path: IntrabarPath,
  cfg: MatchConfig,
): void {
  const open = candle.open;
  const high = candle.high;
  const low = candle.low;
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
            : open - low <= high - open;
  path.reset(candle, lowFirst);

  const orders = book.orders;
  // Orders submitted re-entrantly while this candle is matched are appended after `n`: never matched here.
  const n = orders.length;
  for (let i = 0; i < n; i++) {
    const o = orders[i]!;
    if (isWorking(o) && o.createdAt <= candle.ts) prepare(o, book, path, cfg.slip, candle);
    else o.trigT = Infinity;
  }

  let budget = cfg.participation === Infinity ? Infinity : cfg.participation * candle.volume;
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
    assertInside(best.trigPx, candle, book);
    ledger.execute(book, best, q, best.trigPx, best.trigMaker);
  }
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
    o.trigPx = clamp(slipped(candle.open, o.side === 'buy', slip, book), low, high);
    o.trigMaker = false;
  } else if (o.type === 'stop_market') {
    if (path.firstCross(o.stopPrice!, o.side === 'buy', 0)) {
      o.trigT = path.crossT;
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
