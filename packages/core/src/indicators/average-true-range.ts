import { assertPeriod, assertSameLength } from './validate-parameters.js';

/**
 * Streaming average true range with TA-Lib's seeding and Wilder smoothing.
 *
 * The true range of a bar is `max(high - low, |high - prevClose|, |low - prevClose|)`; bar 0 has no previous close,
 * so, as in TA-Lib, it has no true range. The first value is emitted at bar index `period`: the simple average of the
 * true ranges of bars `1..period`; after that `atr = (atr * (period - 1) + tr) / period`.
 *
 * @example
 * ```ts
 * import { AverageTrueRange } from '@quantum-trader/core';
 *
 * const atr2 = new AverageTrueRange(2);
 * atr2.update(11, 9, 10); // NaN (bar 0 has no true range)
 * atr2.update(12, 10, 11); // NaN (TR 2)
 * atr2.update(12, 11, 11); // 1.5 (TR 1; (2 + 1) / 2)
 * ```
 */
export class AverageTrueRange {
  /** Number of true ranges in the seed average and the Wilder smoothing length. */
  readonly period: number;
  private count = 0;
  private prevClose = 0;
  private acc = 0;
  private last = Number.NaN;

  /**
   * Creates the indicator; throws `PARAMETER_OUT_OF_RANGE` unless `period` is an integer ≥ 1.
   *
   * @example
   * ```ts
   * import { AverageTrueRange } from '@quantum-trader/core';
   *
   * const atr14 = new AverageTrueRange(14);
   * ```
   */
  constructor(period: number) {
    assertPeriod('AverageTrueRange', 'period', period);
    this.period = period;
  }

  /**
   * Adds one bar and returns the new ATR, or `NaN` during warm-up (bars `0..period-1`).
   *
   * @example
   * ```ts
   * import { AverageTrueRange } from '@quantum-trader/core';
   *
   * const atr14 = new AverageTrueRange(14);
   * atr14.update(29031.34, 28690.17, 28995.13); // NaN
   * ```
   */
  update(high: number, low: number, close: number): number {
    const n = this.period;
    const tr = trueRange(high, low, this.prevClose);
    this.prevClose = close;
    if (this.count > n) {
      return (this.last = (this.last * (n - 1) + tr) / n);
    }
    // Warm-up: acc sums the true ranges of bars 1..period.
    if (this.count++ === 0) return Number.NaN;
    this.acc += tr;
    if (this.count <= n) return Number.NaN;
    return (this.last = this.acc / n);
  }

  /**
   * Takes bars `[from, to)` of the columns, as {@link AverageTrueRange.update} for each would, with the same
   * operations in the same order (so the same value, bit for bit), in one loop over locals.
   *
   * @example
   * ```ts
   * import { AverageTrueRange } from '@quantum-trader/core';
   *
   * const atr14 = new AverageTrueRange(14);
   * atr14.updateMany(cols.high, cols.low, cols.close, 0, cols.length);
   * ```
   */
  updateMany(high: Float64Array, low: Float64Array, close: Float64Array, from: number, to: number): void {
    const n = this.period;
    let j = from;
    for (; j < to && this.count <= n; j++) this.update(high[j]!, low[j]!, close[j]!); // warm-up
    if (j >= to) return;
    let last = this.last;
    let prev = this.prevClose;
    for (; j < to; j++) {
      last = (last * (n - 1) + trueRange(high[j]!, low[j]!, prev)) / n;
      prev = close[j]!;
    }
    this.last = last;
    this.prevClose = prev;
  }

  /**
   * The latest ATR, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { AverageTrueRange } from '@quantum-trader/core';
   *
   * const atr1 = new AverageTrueRange(1);
   * atr1.update(11, 9, 10);
   * atr1.update(12, 10, 11);
   * atr1.value; // 2
   * ```
   */
  get value(): number {
    return this.last;
  }

  /**
   * True once `period + 1` bars have been seen.
   *
   * @example
   * ```ts
   * import { AverageTrueRange } from '@quantum-trader/core';
   *
   * new AverageTrueRange(14).isReady; // false
   * ```
   */
  get isReady(): boolean {
    return this.count > this.period;
  }

  /**
   * Forgets every bar, as if just constructed.
   *
   * @example
   * ```ts
   * import { AverageTrueRange } from '@quantum-trader/core';
   *
   * const atr14 = new AverageTrueRange(14);
   * atr14.reset();
   * ```
   */
  reset(): void {
    this.count = 0;
    this.prevClose = 0;
    this.acc = 0;
    this.last = Number.NaN;
  }
}

/**
 * Average true range of whole columns with TA-Lib's seeding and Wilder smoothing (`NaN` for indices `< period`).
 * Bit-for-bit equal to feeding {@link AverageTrueRange} one bar at a time; throws `DATA_INVALID` if the columns
 * differ in length.
 *
 * @example
 * ```ts
 * import { atr } from '@quantum-trader/core';
 *
 * atr(Float64Array.of(11, 12, 12), Float64Array.of(9, 10, 11), Float64Array.of(10, 11, 11), 2); // [NaN, NaN, 1.5]
 * ```
 */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  assertPeriod('atr()', 'period', period);
  assertSameLength('atr()', ['high', 'low', 'close'], [high.length, low.length, close.length]);
  const len = close.length;
  const out = new Float64Array(len);
  const n = period;
  const seed = Math.min(len, n + 1);
  let acc = 0;
  for (let i = 0; i < seed; i++) {
    out[i] = Number.NaN;
    if (i > 0) acc += trueRange(high[i]!, low[i]!, close[i - 1]!);
  }
  if (seed <= n) return out;
  acc /= n;
  out[n] = acc;
  for (let i = n + 1; i < len; i++) {
    acc = (acc * (n - 1) + trueRange(high[i]!, low[i]!, close[i - 1]!)) / n;
    out[i] = acc;
  }
  return out;
}

function trueRange(high: number, low: number, prevClose: number): number {
  let tr = high - low;
  const up = Math.abs(high - prevClose);
  if (up > tr) tr = up;
  const down = Math.abs(low - prevClose);
  if (down > tr) tr = down;
  return tr;
}
