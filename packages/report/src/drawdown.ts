/**
 * The drawdown of an equity curve at every sample, as a fraction of the running peak (0 at a new high, −0.25 when
 * a quarter below it); samples before the first positive peak read 0, non-finite samples carry the previous value.
 *
 * @example
 * ```ts
 * computeDrawdown([100, 120, 90, 130]); // [0, 0, -0.25, 0]
 * ```
 */
export function computeDrawdown(equity: readonly number[]): number[] {
  const out = new Array<number>(equity.length);
  let peak = -Infinity;
  let last = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (Number.isFinite(e)) {
      if (e > peak) peak = e;
      last = peak > 0 ? e / peak - 1 : 0;
    }
    out[i] = last;
  }
  return out;
}
