/**
 * Searches in ascending time stamps (internal): the candle replay's and the quiet-run walk's.
 *
 * @internal
 */

/**
 * First index at or after `from` whose value is `> x` (values ascending).
 *
 * @example
 * ```ts
 * upperBound(Float64Array.of(1, 2, 2, 3), 2); // 3
 * ```
 * @internal
 */
export function upperBound(values: Float64Array, x: number, from = 0): number {
  return firstIndex(values, x, from, true);
}

/**
 * First index at or after `from` whose value is `>= x` (values ascending).
 *
 * @example
 * ```ts
 * lowerBound(Float64Array.of(1, 2, 2, 3), 2); // 1
 * ```
 * @internal
 */
export function lowerBound(values: Float64Array, x: number, from = 0): number {
  return firstIndex(values, x, from, false);
}

/**
 * The first index at or after `from` whose value is `> x` (`strict`) or `>= x`, found by galloping: probes at
 * from, from + 1, from + 3, from + 7, … until one is past `x`, then a binary search between the last two probes. A
 * replay's answer is usually a few hundred candles from `from`, so the probes stay near it, where a binary search
 * over the whole series would jump through megabytes of time stamps (about 20 cache misses) on every quiet run.
 */
function firstIndex(values: Float64Array, x: number, from: number, strict: boolean): number {
  const n = values.length;
  let lo = from;
  let step = 1;
  let hi = from;
  // after the loop: every index below lo is not past x, and hi is past x (or n)
  while (hi < n && (strict ? values[hi]! <= x : values[hi]! < x)) {
    lo = hi + 1;
    hi = Math.min(n, hi + step);
    step *= 2;
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? values[mid]! <= x : values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
