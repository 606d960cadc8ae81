import { rollingMomentsInto } from './rolling-moments.js';
import { RollingStdDev } from './rolling-std-dev.js';
import { assertPeriod, assertPositive } from './validate-parameters.js';

/**
 * The three Bollinger bands of a series, one column each (`NaN` during warm-up).
 *
 * @example
 * ```ts
 * import { bollinger, type BollingerBandsColumns } from '@quantum-trader/core';
 *
 * const closes = Float64Array.of(100, 101, 99, 102, 103);
 * const bands: BollingerBandsColumns = bollinger(closes, 3, 2);
 * bands.middle[2]; // 100
 * ```
 */
export interface BollingerBandsColumns {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/**
 * Streaming Bollinger bands: the middle band is the SMA of the last `period` inputs and the outer bands are
 * `middle ± k · σ`, with σ the population standard deviation of the same window (TA-Lib `BBANDS` with an SMA and
 * `nbDevUp = nbDevDn = k`); first emitted at input index `period - 1`.
 *
 * `update` returns the middle band; read `upper` and `lower` after it. Allocation-free per update.
 *
 * @example
 * ```ts
 * import { BollingerBands } from '@quantum-trader/core';
 *
 * const bb = new BollingerBands(4, 2);
 * for (const x of [2, 4, 4, 6]) bb.update(x);
 * [bb.lower, bb.middle, bb.upper]; // [1.17…, 4, 6.83…]
 * ```
 */
export class BollingerBands {
  /** Number of inputs in the window. */
  readonly period: number;
  /** Width of the outer bands in standard deviations. */
  readonly k: number;
  private readonly sd: RollingStdDev;
  private mid = Number.NaN;
  private up = Number.NaN;
  private low = Number.NaN;

  /**
   * Creates the indicator; throws `PARAMETER_OUT_OF_RANGE` unless `period` is an integer ≥ 1 and `k` a finite
   * number > 0.
   *
   * @example
   * ```ts
   * import { BollingerBands } from '@quantum-trader/core';
   *
   * const bb = new BollingerBands(20, 2);
   * ```
   */
  constructor(period: number, k: number) {
    assertPeriod('BollingerBands', 'period', period);
    assertPositive('BollingerBands', 'k', k);
    this.period = period;
    this.k = k;
    this.sd = new RollingStdDev(period);
  }

  /**
   * Adds one input and returns the new middle band, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { BollingerBands } from '@quantum-trader/core';
   *
   * const bb = new BollingerBands(2, 2);
   * bb.update(1); // NaN
   * bb.update(3); // 2 (upper 4, lower 0)
   * ```
   */
  update(x: number): number {
    const sd = this.sd;
    const sigma = sd.update(x);
    if (sigma !== sigma) return Number.NaN; // warm-up
    const mid = sd.mean;
    const width = this.k * sigma;
    this.up = mid + width;
    this.low = mid - width;
    return (this.mid = mid);
  }

  /**
   * The latest middle band (same as {@link BollingerBands.middle}), or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { BollingerBands } from '@quantum-trader/core';
   *
   * new BollingerBands(20, 2).value; // NaN
   * ```
   */
  get value(): number {
    return this.mid;
  }

  /**
   * The latest upper band, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { BollingerBands } from '@quantum-trader/core';
   *
   * const bb = new BollingerBands(1, 2);
   * bb.update(5);
   * bb.upper; // 5
   * ```
   */
  get upper(): number {
    return this.up;
  }

  /**
   * The latest middle band (the SMA of the window, up to rounding), or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { BollingerBands } from '@quantum-trader/core';
   *
   * const bb = new BollingerBands(1, 2);
   * bb.update(5);
   * bb.middle; // 5
   * ```
   */
  get middle(): number {
    return this.mid;
  }

  /**
   * The latest lower band, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { BollingerBands } from '@quantum-trader/core';
   *
   * const bb = new BollingerBands(1, 2);
   * bb.update(5);
   * bb.lower; // 5
   * ```
   */
  get lower(): number {
    return this.low;
  }

  /**
   * True once `period` inputs have been seen.
   *
   * @example
   * ```ts
   * import { BollingerBands } from '@quantum-trader/core';
   *
   * new BollingerBands(20, 2).isReady; // false
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
   * import { BollingerBands } from '@quantum-trader/core';
   *
   * const bb = new BollingerBands(20, 2);
   * bb.reset();
   * ```
   */
  reset(): void {
    this.sd.reset();
    this.mid = Number.NaN;
    this.up = Number.NaN;
    this.low = Number.NaN;
  }
}

/**
 * Bollinger bands of a whole series (`middle` = SMA, `upper`/`lower` = `middle ± k · σ`, `NaN` for indices
 * `< period - 1`). Bit-for-bit equal to feeding {@link BollingerBands} one value at a time.
 *
 * @example
 * ```ts
 * import { bollinger } from '@quantum-trader/core';
 *
 * const { upper, middle, lower } = bollinger(Float64Array.of(1, 3, 5), 2, 2);
 * // middle [NaN, 2, 4], upper [NaN, 4, 6], lower [NaN, 0, 2]
 * ```
 */
export function bollinger(values: Float64Array, period: number, k: number): BollingerBandsColumns {
  assertPeriod('bollinger()', 'period', period);
  assertPositive('bollinger()', 'k', k);
  const len = values.length;
  const upper = new Float64Array(len);
  const middle = new Float64Array(len);
  const lower = new Float64Array(len);
  rollingMomentsInto(values, period, upper, middle);
  for (let i = 0; i < len; i++) {
    const mid = middle[i]!;
    const width = k * upper[i]!;
    upper[i] = mid + width;
    lower[i] = mid - width;
  }
  return { upper, middle, lower };
}
