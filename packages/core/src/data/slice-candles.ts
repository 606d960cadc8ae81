import type { Candle } from '../model/candle.js';
import type { UnixMillis } from '../model/ids.js';

/**
 * The candles whose open time lies in `[from, to)`: `from` inclusive, `to` exclusive, either bound optional.
 *
 * `candles` must be sorted by `ts` (as {@link parseCandlesCsv} guarantees); the bounds are found by binary search and
 * the result is a new array (the input is not changed).
 *
 * @example
 * ```ts
 * import { loadCandlesCsv, sliceCandles } from '@quantum-trader/core';
 *
 * const candles = loadCandlesCsv('data/binance_BTCUSDT_5m.csv');
 * const march = sliceCandles(candles, Date.UTC(2021, 2, 1), Date.UTC(2021, 3, 1));
 * ```
 */
export function sliceCandles(candles: readonly Candle[], from?: UnixMillis, to?: UnixMillis): Candle[] {
  const start = from === undefined ? 0 : firstIndexAtOrAfter(candles, from);
  const stop = to === undefined ? candles.length : firstIndexAtOrAfter(candles, to);
  return candles.slice(start, Math.max(start, stop));
}

function firstIndexAtOrAfter(candles: readonly Candle[], ts: UnixMillis): number {
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (candles[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
