import { resyncInterval } from './resync-interval.js';
import { assertPeriod } from './validate-parameters.js';

/**
 * Streaming simple moving average: the mean of the last `period` inputs, first emitted at input index `period - 1`
 * (TA-Lib `SMA`).
 *
 * The window sum is a running total, re-summed exactly from the ring buffer every few hundred updates so rounding
 * residue cannot accumulate over a long-running bot. `update` allocates nothing.
 *
 * @example
 * ```ts
 * import { SimpleMovingAverage } from '@quantum-trader/core';
 *
 * const sma3 = new SimpleMovingAverage(3);
 * for (const close of [1, 2, 3, 4, 5]) sma3.update(close);
 * sma3.value; // 4
 * ```
 */
export class SimpleMovingAverage {
  /** Number of inputs averaged. */
  readonly period: number;
  private readonly buf: Float64Array;
  private idx = 0;
  private count = 0;
  private sum = 0;
  private wraps = 0;
  private readonly wrapsPerResync: number;
  private last = Number.NaN;

  /**
   * Creates the indicator; throws `PARAMETER_OUT_OF_RANGE` unless `period` is an integer ≥ 1.
   *
   * @example
   * ```ts
   * import { SimpleMovingAverage } from '@quantum-trader/core';
   *
   * const sma20 = new SimpleMovingAverage(20);
   * ```
   */
  constructor(period: number) {
    assertPeriod('SimpleMovingAverage', 'period', period);
    this.period = period;
    this.buf = new Float64Array(period);
    this.wrapsPerResync = resyncInterval(period) / period;
  }

  /**
   * Adds one input and returns the new average, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { SimpleMovingAverage } from '@quantum-trader/core';
   *
   * const sma2 = new SimpleMovingAverage(2);
   * sma2.update(1); // NaN
   * sma2.update(3); // 2
   * ```
   */
  update(x: number): number {
    const buf = this.buf;
    const i = this.idx;
    this.sum += x - buf[i]!;
    buf[i] = x;
    if (i + 1 === this.period) {
      this.idx = 0;
      if (++this.wraps === this.wrapsPerResync) this.resync();
    } else {
      this.idx = i + 1;
    }
    if (this.count < this.period) {
      this.count++;
      if (this.count < this.period) return Number.NaN;
    }
    return (this.last = this.sum / this.period);
  }

  /**
   * The latest average, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { SimpleMovingAverage } from '@quantum-trader/core';
   *
   * const sma1 = new SimpleMovingAverage(1);
   * sma1.update(7);
   * sma1.value; // 7
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
   * import { SimpleMovingAverage } from '@quantum-trader/core';
   *
   * new SimpleMovingAverage(5).isReady; // false
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
   * import { SimpleMovingAverage } from '@quantum-trader/core';
   *
   * const sma3 = new SimpleMovingAverage(3);
   * sma3.reset();
   * ```
   */
  reset(): void {
    this.buf.fill(0);
    this.idx = 0;
    this.count = 0;
    this.sum = 0;
    this.wraps = 0;
    this.last = Number.NaN;
  }

  private resync(): void {
    // The ring just wrapped, so buf[0..period-1] is the window in time order.
    this.wraps = 0;
    const buf = this.buf;
    let s = 0;
    for (let k = 0; k < buf.length; k++) s += buf[k]!;
    this.sum = s;
  }
}

/**
 * Simple moving average of a whole series: `out[i]` is the mean of `values[i-period+1..i]`, `NaN` for `i < period - 1`.
 * Bit-for-bit equal to feeding {@link SimpleMovingAverage} one value at a time.
 *
 * @example
 * ```ts
 * import { sma } from '@quantum-trader/core';
 *
 * sma(Float64Array.of(1, 2, 3, 4, 5), 3); // [NaN, NaN, 2, 3, 4]
 * ```
 */
export function sma(values: Float64Array, period: number): Float64Array {
  assertPeriod('sma()', 'period', period);
  const len = values.length;
  const out = new Float64Array(len);
  const resyncEvery = resyncInterval(period);
  const seed = Math.min(len, period);
  let sum = 0;
  // The same operations, in the same order, as SimpleMovingAverage.update (an empty ring slot reads as 0).
  for (let i = 0; i < seed; i++) {
    sum += values[i]! - 0;
    out[i] = Number.NaN;
  }
  if (seed === period) out[period - 1] = sum / period;
  // Blocks end where the streaming form re-sums (input index resyncEvery·m - 1); the tight inner loop has no
  // counter, which makes it faster than the naive loop with a branch.
  let i = period;
  let resyncAt = resyncEvery - 1;
  for (;;) {
    const end = resyncAt < len ? resyncAt : len;
    for (; i < end; i++) {
      sum += values[i]! - values[i - period]!;
      out[i] = sum / period;
    }
    if (i >= len) return out;
    let s = 0;
    for (let k = i - period + 1; k <= i; k++) s += values[k]!;
    sum = s;
    out[i] = sum / period;
    i++;
    resyncAt += resyncEvery;
  }
}
