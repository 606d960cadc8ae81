import { rollingMomentsInto } from './rolling-moments.js';
import { RollingStdDev } from './rolling-std-dev.js';
import { assertPeriod } from './validate-parameters.js';

/**
 * Streaming realized volatility: the population standard deviation of the last `period` simple returns
 * (`close / prevClose - 1`), as a per-bar fraction; first emitted at input index `period` (it needs `period + 1`
 * closes). Not annualized: multiply by `Math.sqrt(barsPerYear)` for that. Closes are expected to be positive.
 *
 * @example
 * ```ts
 * import { RealizedVolatility } from '@quantum-trader/core';
 *
 * const vol2 = new RealizedVolatility(2);
 * for (const close of [100, 110, 99]) vol2.update(close);
 * vol2.value; // ≈ 0.1 (returns +10 % and -10 %)
 * ```
 */
export class RealizedVolatility {
  /** Number of returns in the window. */
  readonly period: number;
  private readonly sd: RollingStdDev;
  private started = 0;
  private prevClose = 0;

  /**
   * Creates the indicator; throws `PARAMETER_OUT_OF_RANGE` unless `period` is an integer ≥ 1.
   *
   * @example
   * ```ts
   * import { RealizedVolatility } from '@quantum-trader/core';
   *
   * const vol288 = new RealizedVolatility(288); // 24 h of 5 m candles
   * ```
   */
  constructor(period: number) {
    assertPeriod('RealizedVolatility', 'period', period);
    this.period = period;
    this.sd = new RollingStdDev(period);
  }

  /**
   * Adds one close and returns the new volatility, or `NaN` during warm-up (the first `period` closes).
   *
   * @example
   * ```ts
   * import { RealizedVolatility } from '@quantum-trader/core';
   *
   * const vol1 = new RealizedVolatility(1);
   * vol1.update(100); // NaN
   * vol1.update(101); // 0 (a single return has no spread)
   * ```
   */
  update(close: number): number {
    const prev = this.prevClose;
    this.prevClose = close;
    if (this.started === 0) {
      this.started = 1;
      return Number.NaN;
    }
    return this.sd.update(close / prev - 1);
  }

  /**
   * Adds `closes[from]` … `closes[to - 1]`, in order: the same state as {@link RealizedVolatility.update} for each.
   *
   * @example
   * ```ts
   * import { RealizedVolatility } from '@quantum-trader/core';
   *
   * const vol2 = new RealizedVolatility(2);
   * vol2.updateMany(Float64Array.of(100, 101, 100, 102), 0, 4);
   * vol2.value; // stddev of the last two returns
   * ```
   */
  updateMany(closes: Float64Array, from: number, to: number): void {
    let i = from;
    if (i < to && this.started === 0) this.update(closes[i++]!);
    if (i >= to) return;
    this.sd.updateReturns(closes, i, to, this.prevClose);
    this.prevClose = closes[to - 1]!;
  }

  /**
   * The latest volatility, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { RealizedVolatility } from '@quantum-trader/core';
   *
   * new RealizedVolatility(20).value; // NaN
   * ```
   */
  get value(): number {
    return this.sd.value;
  }

  /**
   * True once `period + 1` closes have been seen.
   *
   * @example
   * ```ts
   * import { RealizedVolatility } from '@quantum-trader/core';
   *
   * new RealizedVolatility(20).isReady; // false
   * ```
   */
  get isReady(): boolean {
    return this.sd.isReady;
  }

  /**
   * Forgets every input, as if just constructed.
   *
   * @example
   * ```ts
   * import { RealizedVolatility } from '@quantum-trader/core';
   *
   * const vol20 = new RealizedVolatility(20);
   * vol20.reset();
   * ```
   */
  reset(): void {
    this.sd.reset();
    this.started = 0;
    this.prevClose = 0;
  }
}

/**
 * Realized volatility of a whole series: `out[i]` is the population standard deviation of the `period` simple
 * returns ending at close `i` (`NaN` for `i < period`). Bit-for-bit equal to feeding {@link RealizedVolatility} one
 * close at a time.
 *
 * @example
 * ```ts
 * import { realizedVolatility } from '@quantum-trader/core';
 *
 * realizedVolatility(Float64Array.of(100, 110, 99), 2); // [NaN, NaN, ≈ 0.1]
 * ```
 */
export function realizedVolatility(closes: Float64Array, period: number): Float64Array {
  assertPeriod('realizedVolatility()', 'period', period);
  const len = closes.length;
  const out = new Float64Array(len);
  if (len === 0) return out;
  out[0] = Number.NaN;
  const returns = new Float64Array(len - 1);
  for (let i = 1; i < len; i++) returns[i - 1] = closes[i]! / closes[i - 1]! - 1;
  rollingMomentsInto(returns, period, out.subarray(1), undefined);
  return out;
}
