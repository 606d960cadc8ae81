import { resyncInterval } from './resync-interval.js';

// Re-sum exactly when the largest shifted sum of squares since the last re-summation exceeds the current sum of
// squared deviations by this factor. The rounding error carried in s2 scales with that peak, so past it the result
// `m2 = s2 - s1²/n` would have lost more than ~3 of its 16 significant digits (a window that went flat after big moves,
// or a price that trended far from the shift).
export const CANCELLATION_LIMIT = 1024;

/**
 * Writes the rolling standard deviation (and, if given, the rolling mean) of `values` into `sdOut` / `meanOut`
 * with exactly the operations of `RollingStdDev.update` (keep the two in step; a property test checks they agree
 * bit for bit). Internal: shared by the batch forms; `period` is trusted.
 *
 * @example
 * ```ts
 * import { rollingMomentsInto } from './rolling-moments.js';
 *
 * const values = Float64Array.of(1, 3, 5);
 * const sd = new Float64Array(3);
 * const mean = new Float64Array(3);
 * rollingMomentsInto(values, 2, sd, mean); // sd [NaN, 1, 1], mean [NaN, 2, 4]
 * ```
 */
export function rollingMomentsInto(
  values: Float64Array,
  period: number,
  sdOut: Float64Array,
  meanOut: Float64Array | undefined,
): void {
  const len = values.length;
  const n = period;
  const warm = Math.min(len, n - 1);
  for (let i = 0; i < warm; i++) {
    sdOut[i] = Number.NaN;
    if (meanOut !== undefined) meanOut[i] = Number.NaN;
  }
  if (len < n) return;
  const resyncEvery = resyncInterval(n);
  const invN = 1 / n;
  let shift = 0;
  let s1 = 0;
  let s2 = 0;
  let peak = 0;
  let sinceResync = 0;
  let i = n - 1; // the first full window is always re-summed
  for (;;) {
    // Re-sum the window values[i-n+1..i] exactly, as RollingStdDev.resync does.
    sinceResync = 0;
    const from = i - n + 1;
    const first = values[from]!;
    let flat = true;
    let sum = 0;
    for (let k = from; k <= i; k++) {
      const v = values[k]!;
      sum += v;
      if (v !== first) flat = false;
    }
    s1 = 0;
    s2 = 0;
    if (flat) {
      shift = first;
    } else {
      shift = sum / n;
      for (let k = from; k <= i; k++) {
        const d = values[k]! - shift;
        s1 += d;
        s2 += d * d;
      }
    }
    peak = s2;
    let m2 = s2 - s1 * s1 * invN;
    for (;;) {
      const variance = m2 * invN;
      sdOut[i] = variance > 0 ? Math.sqrt(variance) : 0;
      if (meanOut !== undefined) meanOut[i] = shift + s1 / n;
      if (++i >= len) return;
      const dNew = values[i]! - shift;
      const dOld = values[i - n]! - shift;
      s1 += dNew - dOld;
      s2 += (dNew - dOld) * (dNew + dOld);
      if (s2 > peak) peak = s2;
      m2 = s2 - s1 * s1 * invN;
      if (++sinceResync === resyncEvery || peak > CANCELLATION_LIMIT * m2) break;
    }
  }
}
