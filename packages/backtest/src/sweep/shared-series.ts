import type { Candle } from '@quantum-trader/core';
import type { BacktestSeries } from '../backtest/backtest-options.js';

/** Candles of one symbol as columns over one SharedArrayBuffer: shared by every worker without copying. */
export interface SharedSeries {
  readonly symbol: string;
  readonly length: number;
  /** ts, open, high, low, close, volume, each `length` float64 values, one after the other. */
  readonly buffer: SharedArrayBuffer;
}

/**
 * Packs candle series into shared memory for worker threads.
 *
 * @internal
 */
export function shareSeries(series: readonly BacktestSeries[]): SharedSeries[] {
  return series.map((s) => {
    const n = s.candles.length;
    const buffer = new SharedArrayBuffer(n * 6 * 8);
    const f = new Float64Array(buffer);
    for (let i = 0; i < n; i++) {
      const c = s.candles[i]!;
      f[i] = c.ts;
      f[n + i] = c.open;
      f[2 * n + i] = c.high;
      f[3 * n + i] = c.low;
      f[4 * n + i] = c.close;
      f[5 * n + i] = c.volume;
    }
    return { symbol: s.symbol, length: n, buffer };
  });
}

/**
 * Rebuilds candle objects from shared columns (once per worker).
 *
 * @internal
 */
export function unshareSeries(series: readonly SharedSeries[]): BacktestSeries[] {
  return series.map((s) => {
    const n = s.length;
    const f = new Float64Array(s.buffer);
    const candles: Candle[] = new Array<Candle>(n);
    for (let i = 0; i < n; i++) {
      candles[i] = { ts: f[i]!, open: f[n + i]!, high: f[2 * n + i]!, low: f[3 * n + i]!, close: f[4 * n + i]!, volume: f[5 * n + i]! };
    }
    return { symbol: s.symbol, candles };
  });
}
