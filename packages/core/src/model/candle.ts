import type { UnixMillis } from './ids.js';

/**
 * One OHLCV candle. `ts` is the candle's open time; it covers `[ts, ts + timeframe)`.
 *
 * @example
 * ```ts
 * const c: Candle = { ts: 1_609_459_200_000, open: 28923.63, high: 29031.34, low: 28690.17, close: 28995.13, volume: 2311.81 };
 * ```
 */
export interface Candle {
  readonly ts: UnixMillis;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * Candles in bulk, stored as columns of typed arrays (one allocation per column, not per candle).
 *
 * @example
 * ```ts
 * const cols = candleColumnsFrom([c1, c2]);
 * cols.close[1]; // c2.close
 * ```
 */
export interface CandleColumns {
  readonly length: number;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/**
 * Allocates empty columns for `length` candles.
 *
 * @example
 * ```ts
 * const cols = allocCandleColumns(1000);
 * ```
 */
export function allocCandleColumns(length: number): CandleColumns {
  return {
    length,
    ts: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

/**
 * Converts an array of candles to columns.
 *
 * @example
 * ```ts
 * const cols = candleColumnsFrom([{ ts: 0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }]);
 * ```
 */
export function candleColumnsFrom(candles: readonly Candle[]): CandleColumns {
  const cols = allocCandleColumns(candles.length);
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    cols.ts[i] = c.ts;
    cols.open[i] = c.open;
    cols.high[i] = c.high;
    cols.low[i] = c.low;
    cols.close[i] = c.close;
    cols.volume[i] = c.volume;
  }
  return cols;
}

/**
 * Reads candle `i` of a column set as an object (allocates; not for hot loops).
 *
 * @example
 * ```ts
 * const c = candleAt(cols, 0);
 * ```
 */
export function candleAt(cols: CandleColumns, i: number): Candle {
  return {
    ts: cols.ts[i]!,
    open: cols.open[i]!,
    high: cols.high[i]!,
    low: cols.low[i]!,
    close: cols.close[i]!,
    volume: cols.volume[i]!,
  };
}

/** Timeframes understood by the engine, with their length in milliseconds. */
export const TIMEFRAME_MS = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
} as const;

/** A timeframe name such as `5m`. */
export type Timeframe = keyof typeof TIMEFRAME_MS;
