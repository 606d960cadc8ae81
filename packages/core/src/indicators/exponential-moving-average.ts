import { assertPeriod } from './validate-parameters.js';

/**
 * Streaming exponential moving average with TA-Lib's seeding: the first value is the simple average of the first
 * `period` inputs (emitted at input index `period - 1`), then `ema += (x - ema) * k` with `k = 2 / (period + 1)`.
 *
 * @example
 * ```ts
 * import { ExponentialMovingAverage } from '@quantum-trader/core';
 *
 * const ema3 = new ExponentialMovingAverage(3);
 * for (const close of [1, 2, 3, 4]) ema3.update(close);
 * ema3.value; // 3 (seed (1+2+3)/3 = 2, then 2 + (4-2)*0.5)
 * ```
 */
export class ExponentialMovingAverage {
  /** Number of inputs in the seed average; also sets the smoothing factor. */
  readonly period: number;
  /** The smoothing factor `2 / (period + 1)`. */
  readonly k: number;
  private count = 0;
  private seedSum = 0;
  private last = Number.NaN;

  /**
   * Creates the indicator; throws `PARAMETER_OUT_OF_RANGE` unless `period` is an integer ≥ 1.
   *
   * @example
   * ```ts
   * import { ExponentialMovingAverage } from '@quantum-trader/core';
   *
   * const ema12 = new ExponentialMovingAverage(12);
   * ```
   */
  constructor(period: number) {
    assertPeriod('ExponentialMovingAverage', 'period', period);
    this.period = period;
    this.k = 2 / (period + 1);
  }

  /**
   * Adds one input and returns the new average, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { ExponentialMovingAverage } from '@quantum-trader/core';
   *
   * const ema2 = new ExponentialMovingAverage(2);
   * ema2.update(1); // NaN
   * ema2.update(3); // 2
   * ```
   */
  update(x: number): number {
    if (this.count < this.period) {
      this.seedSum += x;
      if (++this.count < this.period) return Number.NaN;
      return (this.last = this.seedSum / this.period);
    }
    const prev = this.last;
    return (this.last = (x - prev) * this.k + prev);
  }

  /**
   * The latest average, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { ExponentialMovingAverage } from '@quantum-trader/core';
   *
   * const ema1 = new ExponentialMovingAverage(1);
   * ema1.update(7);
   * ema1.value; // 7
   * ```
   */
  get value(): number {
    return this.last;
  }

  /**
   * True once `period` inputs have been seen.
   *
   * @example
   * ```ts
   * import { ExponentialMovingAverage } from '@quantum-trader/core';
   *
   * new ExponentialMovingAverage(5).isReady; // false
   * ```
   */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /**
   * Forgets every input, as if just constructed.
   *
   * @example
   * ```ts
   * import { ExponentialMovingAverage } from '@quantum-trader/core';
   *
   * const ema3 = new ExponentialMovingAverage(3);
   * ema3.reset();
   * ```
   */
  reset(): void {
    this.count = 0;
    this.seedSum = 0;
    this.last = Number.NaN;
  }
}

/**
 * Exponential moving average of a whole series with TA-Lib's seeding (SMA of the first `period` values at index
 * `period - 1`, `NaN` before). Bit-for-bit equal to feeding {@link ExponentialMovingAverage} one value at a time.
 *
 * @example
 * ```ts
 * import { ema } from '@quantum-trader/core';
 *
 * ema(Float64Array.of(1, 2, 3, 4), 3); // [NaN, NaN, 2, 3]
 * ```
 */
export function ema(values: Float64Array, period: number): Float64Array {
  assertPeriod('ema()', 'period', period);
  const len = values.length;
  const out = new Float64Array(len);
  const k = 2 / (period + 1);
  const seed = Math.min(len, period);
  let sum = 0;
  for (let i = 0; i < seed; i++) {
    sum += values[i]!;
    out[i] = Number.NaN;
  }
  if (seed < period) return out;
  let prev = sum / period;
  out[period - 1] = prev;
  for (let i = period; i < len; i++) {
    prev = (values[i]! - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}
