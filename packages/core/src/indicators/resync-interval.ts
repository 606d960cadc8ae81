/**
 * How many updates a rolling-sum indicator runs between exact re-summations of its window (internal).
 *
 * Running sums are fast but keep the rounding residue of every value that passed through them (a single bad tick of
 * 1e12 would leave its low bits behind forever). Re-summing the ring buffer every `resyncInterval(period)` updates
 * bounds that residue; the interval is a multiple of `period` (so the ring is in chronological order at that moment)
 * and at least `8 * period`, so the extra work is at most 1/8 of an addition per update.
 *
 * @example
 * ```ts
 * resyncInterval(20); // 1040
 * ```
 */
export function resyncInterval(period: number): number {
  return period * Math.max(8, Math.ceil(1024 / period));
}
