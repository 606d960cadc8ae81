/**
 * Exposure time: the fraction of `[from, to)` during which at least one position was open, i.e. the length of the
 * union of the trades' `[entryTs, exitTs)` intervals (clipped to the period) divided by `to − from`. Overlapping
 * positions on several symbols count once. Pass still-open positions with `exitTs = to`.
 *
 * @example
 * ```ts
 * exposureTime([{ entryTs: 0, exitTs: 10 }, { entryTs: 5, exitTs: 20 }, { entryTs: 60, exitTs: 70 }], 0, 100); // 0.3
 * ```
 */
export function exposureTime(
  trades: readonly { readonly entryTs: number; readonly exitTs: number }[],
  from: number,
  to: number,
): number {
  if (!(to > from)) return Number.NaN;
  const spans = trades
    .map((t) => [Math.max(from, t.entryTs), Math.min(to, t.exitTs)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let curStart = Number.NaN;
  let curEnd = Number.NaN;
  for (const [a, b] of spans) {
    if (Number.isNaN(curEnd) || a > curEnd) {
      if (!Number.isNaN(curEnd)) covered += curEnd - curStart;
      curStart = a;
      curEnd = b;
    } else if (b > curEnd) {
      curEnd = b;
    }
  }
  if (!Number.isNaN(curEnd)) covered += curEnd - curStart;
  return covered / (to - from);
}
