import { assertPeriod } from './validate-parameters.js';

/**
 * Streaming rate of change as a fraction: `close / close[period ago] - 1` (TA-Lib `ROCP`; TA-Lib `ROC` is this times
 * 100), first emitted at input index `period`. Inputs are expected to be positive prices.
 *
 * @example
 * ```ts
 * import { RateOfChange } from '@quantum-trader/core';
 *
 * const roc2 = new RateOfChange(2);
 * for (const close of [100, 105, 110]) roc2.update(close);
 * roc2.value; // 0.1 (up 10 % over 2 bars, up to rounding)
 * ```
 */
export class RateOfChange {
  /** How many inputs back the reference value is. */
  readonly period: number;
  private readonly buf: Float64Array;
  private idx = 0;
  private count = 0;
  private last = Number.NaN;

  /**
   * Creates the indicator; throws `PARAMETER_OUT_OF_RANGE` unless `period` is an integer ≥ 1.
   *
   * @example
   * ```ts
   * import { RateOfChange } from '@quantum-trader/core';
   *
   * const roc288 = new RateOfChange(288); // 24 h of 5 m candles
   * ```
   */
  constructor(period: number) {
    assertPeriod('RateOfChange', 'period', period);
    this.period = period;
    this.buf = new Float64Array(period);
  }

  /**
   * Adds one input and returns the new rate of change, or `NaN` during warm-up (the first `period` inputs).
   *
   * @example
   * ```ts
   * import { RateOfChange } from '@quantum-trader/core';
   *
   * const roc1 = new RateOfChange(1);
   * roc1.update(100); // NaN
   * roc1.update(99); // -0.01 (up to rounding)
   * ```
   */
  update(x: number): number {
    const buf = this.buf;
    const i = this.idx;
    const past = buf[i]!;
    buf[i] = x;
    this.idx = i + 1 === this.period ? 0 : i + 1;
    if (this.count <= this.period && this.count++ < this.period) return Number.NaN;
    return (this.last = x / past - 1);
  }

  /**
   * Adds `values[from]` … `values[to - 1]`, in order: the same state as {@link RateOfChange.update} for each.
   *
   * @example
   * ```ts
   * import { RateOfChange } from '@quantum-trader/core';
   *
   * const roc2 = new RateOfChange(2);
   * roc2.updateMany(Float64Array.of(100, 101, 102, 104), 0, 4);
   * roc2.value; // 104 / 101 - 1
   * ```
   */
  updateMany(values: Float64Array, from: number, to: number): void {
    // update() on locals; only the last rate is divided out (each one would overwrite the one before)
    const period = this.period;
    const buf = this.buf;
    let i = this.idx;
    let count = this.count;
    let x = 0;
    let past = 0;
    let rated = false;
    for (let j = from; j < to; j++) {
      x = values[j]!;
      past = buf[i]!;
      buf[i] = x;
      i = i + 1 === period ? 0 : i + 1;
      if (count <= period && count++ < period) continue;
      rated = true;
    }
    this.idx = i;
    this.count = count;
    // x and past are those of the last update when it gave a rate (a rate, once given, is given by every later one)
    if (rated) this.last = x / past - 1;
  }

  /**
   * Looks ahead without changing anything: the first index `j` in `[from, to)` such that, once `values[from]` …
   * `values[j]` had been added, the rate of change would be above `above` or below `below` — or `to` if there is
   * none. Same arithmetic as {@link RateOfChange.update}, so it agrees with it bit for bit; `NaN` (warm-up) is
   * neither above nor below. With `scanFrom`, the values `[from, scanFrom)` are taken as known not to cross (an
   * earlier call found so) and only `[scanFrom, to)` is looked at.
   *
   * @example
   * ```ts
   * import { RateOfChange } from '@quantum-trader/core';
   *
   * const roc1 = new RateOfChange(1);
   * roc1.update(100);
   * roc1.firstBeyond(Float64Array.of(100.5, 102, 99), 0, 3, -0.01, 0.01); // 1 (102 / 100.5 - 1 > 1 %)
   * ```
   */
  firstBeyond(values: Float64Array, from: number, to: number, below: number, above: number, scanFrom = from): number {
    const period = this.period;
    const buf = this.buf;
    // The m-th value from `from` (m = 0, 1, …) is compared with what was added `period` values before it: a slot of
    // the ring while m < period (the oldest is at idx), the input itself after that.
    const firstDefined = Math.max(0, period - this.count);
    for (let j = Math.max(from + firstDefined, scanFrom); j < to; j++) {
      const m = j - from;
      let past: number;
      if (m < period) {
        const slot = this.idx + m;
        past = buf[slot >= period ? slot - period : slot]!;
      } else {
        past = values[j - period]!;
      }
      const r = values[j]! / past - 1;
      if (r > above || r < below) return j;
    }
    return to;
  }

  /**
   * The latest rate of change, or `NaN` during warm-up.
   *
   * @example
   * ```ts
   * import { RateOfChange } from '@quantum-trader/core';
   *
   * new RateOfChange(10).value; // NaN
   * ```
   */
  get value(): number {
    return this.last;
  }

  /**
   * True once `period + 1` inputs have been seen.
   *
   * @example
   * ```ts
   * import { RateOfChange } from '@quantum-trader/core';
   *
   * new RateOfChange(10).isReady; // false
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
   * import { RateOfChange } from '@quantum-trader/core';
   *
   * const roc10 = new RateOfChange(10);
   * roc10.reset();
   * ```
   */
  reset(): void {
    this.buf.fill(0);
    this.idx = 0;
    this.count = 0;
    this.last = Number.NaN;
  }
}

/**
 * Rate of change of a whole series as a fraction, `out[i] = values[i] / values[i - period] - 1` (`NaN` for
 * `i < period`). Bit-for-bit equal to feeding {@link RateOfChange} one value at a time.
 *
 * @example
 * ```ts
 * import { roc } from '@quantum-trader/core';
 *
 * roc(Float64Array.of(100, 110, 121), 1); // [NaN, 0.1, 0.1] (up to rounding)
 * ```
 */
export function roc(values: Float64Array, period: number): Float64Array {
  assertPeriod('roc()', 'period', period);
  const len = values.length;
  const out = new Float64Array(len);
  const warm = Math.min(len, period);
  for (let i = 0; i < warm; i++) out[i] = Number.NaN;
  for (let i = period; i < len; i++) out[i] = values[i]! / values[i - period]! - 1;
  return out;
}
