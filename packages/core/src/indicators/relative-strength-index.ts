import { assertPeriod } from './validate-parameters.js';

/**
 * Streaming relative strength index (0–100) with TA-Lib's seeding and Wilder smoothing.
 *
 * The first value is emitted at input index `period`: average gain and average loss are the simple averages of the
 * first `period` price changes; after that each is smoothed as `(prev * (period - 1) + x) / period`. The value is
 * `100 * avgGain / (avgGain + avgLoss)`, and `0` when both are zero (a flat market), as in TA-Lib. TA-Lib 0.4 treats
 * any sum below 1e-8 as zero; this compares with exact zero so that coins priced in fractions of a cent still work.
 *
 * @example
 * ```ts
 * import { RelativeStrengthIndex } from '@quantum-trader/core';
 *
 * const rsi14 = new RelativeStrengthIndex(14);
 * for (const close of [44.34, 44.09, 44.15, 43.61, 44.33]) rsi14.update(close);
 * rsi14.isReady; // false: 14 price changes (15 closes) are needed
 * ```
 */
export class RelativeStrengthIndex {
  /** Number of price changes in the seed averages and the Wilder smoothing length. */
  readonly period: number;
  private count = 0;
  private prev = 0;
  private avgGain = 0;
  private avgLoss = 0;
  private last = Number.NaN;

  /**
   * Creates the indicator; throws `PARAMETER_OUT_OF_RANGE` unless `period` is an integer ≥ 1.
   *
   * @example
   * ```ts
   * import { RelativeStrengthIndex } from '@quantum-trader/core';
   *
   * const rsi14 = new RelativeStrengthIndex(14);
   * ```
   */
  constructor(period: number) {
    assertPeriod('RelativeStrengthIndex', 'period', period);
    this.period = period;
  }

  /**
   * Adds one close and returns the new RSI, or `NaN` during warm-up (the first `period` closes).
   *
   * @example
   * ```ts
   * import { RelativeStrengthIndex } from '@quantum-trader/core';
   *
   * const rsi2 = new RelativeStrengthIndex(2);
   * rsi2.update(10); // NaN
   * rsi2.update(12); // NaN
   * rsi2.update(11); // 66.66…: average gain 1, average loss 0.5
   * ```
   */
  update(close: number): number {
    const n = this.period;
    const diff = close - this.prev;
    this.prev = close;
    const gain = diff > 0 ? diff : 0;
    const loss = diff < 0 ? -diff : 0;
    if (this.count > n) {
      this.avgGain = (this.avgGain * (n - 1) + gain) / n;
      this.avgLoss = (this.avgLoss * (n - 1) + loss) / n;
    } else {
      // Warm-up: avgGain/avgLoss hold the running sums until the seed average at count === n.
      if (this.count++ === 0) return Number.NaN;
      this.avgGain += gain;
      this.avgLoss += loss;
      if (this.count <= n) return Number.NaN;
      this.avgGain /= n;
      this.avgLoss /= n;
    }
    const total = this.avgGain + this.avgLoss;
    return (this.last = total !== 0 ? 100 * (this.avgGain / total) : 0);
  }

  /**
   * The latest RSI, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { RelativeStrengthIndex } from '@quantum-trader/core';
   *
   * const rsi1 = new RelativeStrengthIndex(1);
   * rsi1.update(1);
   * rsi1.update(2);
   * rsi1.value; // 100
   * ```
   */
  get value(): number {
    return this.last;
  }

  /**
   * True once `period + 1` closes have been seen.
   *
   * @example
   * ```ts
   * import { RelativeStrengthIndex } from '@quantum-trader/core';
   *
   * new RelativeStrengthIndex(14).isReady; // false
   * ```
   */
  get isReady(): boolean {
    return this.count > this.period;
  }

  /**
   * Forgets every input, as if just constructed.
   *
   * @example
   * ```ts
   * import { RelativeStrengthIndex } from '@quantum-trader/core';
   *
   * const rsi14 = new RelativeStrengthIndex(14);
   * rsi14.reset();
   * ```
   */
  reset(): void {
    this.count = 0;
    this.prev = 0;
    this.avgGain = 0;
    this.avgLoss = 0;
    this.last = Number.NaN;
  }
}

/**
 * Relative strength index of a whole series with TA-Lib's seeding and Wilder smoothing (`NaN` for indices
 * `< period`). Bit-for-bit equal to feeding {@link RelativeStrengthIndex} one close at a time.
 *
 * @example
 * ```ts
 * import { rsi } from '@quantum-trader/core';
 *
 * rsi(Float64Array.of(10, 12, 11), 2); // [NaN, NaN, 66.66…]
 * ```
 */
export function rsi(values: Float64Array, period: number): Float64Array {
  assertPeriod('rsi()', 'period', period);
  const len = values.length;
  const out = new Float64Array(len);
  const n = period;
  const seed = Math.min(len, n + 1);
  let avgGain = 0;
  let avgLoss = 0;
  for (let i = 0; i < seed; i++) {
    out[i] = Number.NaN;
    if (i === 0) continue;
    const diff = values[i]! - values[i - 1]!;
    avgGain += diff > 0 ? diff : 0;
    avgLoss += diff < 0 ? -diff : 0;
  }
  if (seed <= n) return out;
  avgGain /= n;
  avgLoss /= n;
  let total = avgGain + avgLoss;
  out[n] = total !== 0 ? 100 * (avgGain / total) : 0;
  for (let i = n + 1; i < len; i++) {
    const diff = values[i]! - values[i - 1]!;
    avgGain = (avgGain * (n - 1) + (diff > 0 ? diff : 0)) / n;
    avgLoss = (avgLoss * (n - 1) + (diff < 0 ? -diff : 0)) / n;
    total = avgGain + avgLoss;
    out[i] = total !== 0 ? 100 * (avgGain / total) : 0;
  }
  return out;
}
