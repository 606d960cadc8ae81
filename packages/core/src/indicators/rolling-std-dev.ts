import { resyncInterval } from './resync-interval.js';
import { CANCELLATION_LIMIT, rollingMomentsInto } from './rolling-moments.js';
import { assertPeriod } from './validate-parameters.js';

/**
 * Streaming rolling standard deviation of the last `period` inputs, population form (divides by `period`), like
 * TA-Lib `STDDEV` with `nbDev = 1`; first emitted at input index `period - 1`.
 *
 * Sums are kept relative to a shift (the window mean at the last re-summation) so that prices around 60 000 with
 * moves of a few dollars do not lose their variance to cancellation. They are re-summed exactly from the ring buffer
 * every few hundred updates, so rounding residue cannot accumulate, and whenever the window has become so flat that
 * the running sums would cancel; a constant window gives exactly 0, never a rounding ghost. `update` allocates
 * nothing.
 *
 * @example
 * ```ts
 * import { RollingStdDev } from '@quantum-trader/core';
 *
 * const sd4 = new RollingStdDev(4);
 * for (const x of [2, 4, 4, 6]) sd4.update(x);
 * sd4.value; // 1.4142… (mean 4, variance 2)
 * sd4.mean; // 4
 * ```
 */
export class RollingStdDev {
  /** Number of inputs in the window. */
  readonly period: number;
  private readonly buf: Float64Array;
  private readonly invN: number;
  private idx = 0;
  private count = 0;
  private shift = 0;
  private s1 = 0;
  private s2 = 0;
  private peak = 0;
  private sinceResync = 0;
  private readonly resyncEvery: number;
  private last = Number.NaN;

  /**
   * Creates the indicator; throws `PARAMETER_OUT_OF_RANGE` unless `period` is an integer ≥ 1.
   *
   * @example
   * ```ts
   * import { RollingStdDev } from '@quantum-trader/core';
   *
   * const sd20 = new RollingStdDev(20);
   * ```
   */
  constructor(period: number) {
    assertPeriod('RollingStdDev', 'period', period);
    this.period = period;
    this.buf = new Float64Array(period);
    this.invN = 1 / period;
    this.resyncEvery = resyncInterval(period);
  }

  /**
   * Adds one input and returns the new standard deviation, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { RollingStdDev } from '@quantum-trader/core';
   *
   * const sd2 = new RollingStdDev(2);
   * sd2.update(1); // NaN
   * sd2.update(3); // 1
   * ```
   */
  update(x: number): number {
    const n = this.period;
    const invN = this.invN;
    const buf = this.buf;
    const i = this.idx;
    let m2: number;
    if (this.count === n) {
      const shift = this.shift;
      const dNew = x - shift;
      const dOld = buf[i]! - shift;
      const s1 = (this.s1 += dNew - dOld);
      const s2 = (this.s2 += (dNew - dOld) * (dNew + dOld));
      if (s2 > this.peak) this.peak = s2;
      buf[i] = x;
      this.idx = i + 1 === n ? 0 : i + 1;
      m2 = s2 - s1 * s1 * invN;
      if (++this.sinceResync === this.resyncEvery || this.peak > CANCELLATION_LIMIT * m2) {
        this.resync();
        m2 = this.s2 - this.s1 * this.s1 * invN;
      }
    } else {
      buf[i] = x;
      this.idx = i + 1 === n ? 0 : i + 1;
      if (++this.count < n) return Number.NaN;
      this.resync();
      m2 = this.s2 - this.s1 * this.s1 * invN;
    }
    const variance = m2 * invN;
    return (this.last = variance > 0 ? Math.sqrt(variance) : 0);
  }

  /**
   * Adds the simple returns `closes[j] / closes[j - 1] - 1` for `j` in `[from, to)` (`prev` stands for the close
   * before `from`): the same state, bit for bit, as {@link RollingStdDev.update} with each return, in one loop over
   * locals that takes the square root once. {@link RealizedVolatility.updateMany} runs on it.
   *
   * @internal
   */
  updateReturns(closes: Float64Array, from: number, to: number, prev: number): void {
    const n = this.period;
    const invN = this.invN;
    const buf = this.buf;
    const resyncEvery = this.resyncEvery;
    let i = this.idx;
    let count = this.count;
    let shift = this.shift;
    let s1 = this.s1;
    let s2 = this.s2;
    let peak = this.peak;
    let since = this.sinceResync;
    let m2 = Number.NaN;
    let measured = false;
    for (let j = from; j < to; j++) {
      const c = closes[j]!;
      const x = c / prev - 1;
      prev = c;
      if (count === n) {
        const dNew = x - shift;
        const dOld = buf[i]! - shift;
        s1 += dNew - dOld;
        s2 += (dNew - dOld) * (dNew + dOld);
        if (s2 > peak) peak = s2;
        buf[i] = x;
        i = i + 1 === n ? 0 : i + 1;
        m2 = s2 - s1 * s1 * invN;
        if (++since !== resyncEvery && !(peak > CANCELLATION_LIMIT * m2)) {
          measured = true;
          continue;
        }
      } else {
        buf[i] = x;
        i = i + 1 === n ? 0 : i + 1;
        if (++count < n) continue;
      }
      // a re-summation, as update() does it: on the fields
      this.idx = i;
      this.count = count;
      this.resync();
      shift = this.shift;
      s1 = this.s1;
      s2 = this.s2;
      peak = this.peak;
      since = this.sinceResync;
      m2 = s2 - s1 * s1 * invN;
      measured = true;
    }
    this.idx = i;
    this.count = count;
    this.shift = shift;
    this.s1 = s1;
    this.s2 = s2;
    this.peak = peak;
    this.sinceResync = since;
    if (measured) {
      const variance = m2 * invN;
      this.last = variance > 0 ? Math.sqrt(variance) : 0;
    }
  }

  /**
   * The latest standard deviation, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { RollingStdDev } from '@quantum-trader/core';
   *
   * const sd1 = new RollingStdDev(1);
   * sd1.update(7);
   * sd1.value; // 0
   * ```
   */
  get value(): number {
    return this.last;
  }

  /**
   * The mean of the current window (equal to the SMA up to rounding), or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { RollingStdDev } from '@quantum-trader/core';
   *
   * const sd2 = new RollingStdDev(2);
   * sd2.update(1);
   * sd2.update(3);
   * sd2.mean; // 2
   * ```
   */
  get mean(): number {
    return this.count === this.period ? this.shift + this.s1 / this.period : Number.NaN;
  }

  /**
   * True once `period` inputs have been seen.
   *
   * @example
   * ```ts
   * import { RollingStdDev } from '@quantum-trader/core';
   *
   * new RollingStdDev(5).isReady; // false
   * ```
   */
  get isReady(): boolean {
    return this.count === this.period;
  }

  /**
   * Forgets every input, as if just constructed.
   *
   * @example
   * ```ts
   * import { RollingStdDev } from '@quantum-trader/core';
   *
   * const sd20 = new RollingStdDev(20);
   * sd20.reset();
   * ```
   */
  reset(): void {
    this.buf.fill(0);
    this.idx = 0;
    this.count = 0;
    this.shift = 0;
    this.s1 = 0;
    this.s2 = 0;
    this.peak = 0;
    this.sinceResync = 0;
    this.last = Number.NaN;
  }

  private resync(): void {
    this.sinceResync = 0;
    const buf = this.buf;
    const n = this.period;
    const oldest = this.idx;
    // Oldest to newest, so the batch form (which reads the series in order) performs the same additions.
    const first = buf[oldest]!;
    let flat = true;
    let sum = 0;
    for (let k = oldest; k < n; k++) {
      const v = buf[k]!;
      sum += v;
      if (v !== first) flat = false;
    }
    for (let k = 0; k < oldest; k++) {
      const v = buf[k]!;
      sum += v;
      if (v !== first) flat = false;
    }
    if (flat) {
      // sum / n of equal values is often 1 ulp off the value, which would leave a ghost deviation of ~1e-12.
      this.shift = first;
      this.s1 = 0;
      this.s2 = 0;
      this.peak = 0;
      return;
    }
    const shift = sum / n;
    let s1 = 0;
    let s2 = 0;
    for (let k = oldest; k < n; k++) {
      const d = buf[k]! - shift;
      s1 += d;
      s2 += d * d;
    }
    for (let k = 0; k < oldest; k++) {
      const d = buf[k]! - shift;
      s1 += d;
      s2 += d * d;
    }
    this.shift = shift;
    this.s1 = s1;
    this.s2 = s2;
    this.peak = s2;
  }
}

/**
 * Rolling population standard deviation of a whole series (`NaN` for indices `< period - 1`), like TA-Lib `STDDEV`
 * with `nbDev = 1`. Bit-for-bit equal to feeding {@link RollingStdDev} one value at a time.
 *
 * @example
 * ```ts
 * import { stddev } from '@quantum-trader/core';
 *
 * stddev(Float64Array.of(1, 3, 5), 2); // [NaN, 1, 1]
 * ```
 */
export function stddev(values: Float64Array, period: number): Float64Array {
  assertPeriod('stddev()', 'period', period);
  const out = new Float64Array(values.length);
  rollingMomentsInto(values, period, out, undefined);
  return out;
}
