import type { EquitySeries } from './metric-inputs.js';

/** The worst fall of an equity curve, see {@link maxDrawdown}. */
export interface Drawdown {
  /** Largest peak-to-trough fall as a fraction of the peak (0.12 = 12 %); 0 for a curve that never falls. */
  readonly depth: number;
  /** That fall in the quote currency (peak − trough). */
  readonly amount: number;
  /** Time of the peak and of the trough of the deepest fall (NaN without a fall). */
  readonly peakTs: number;
  readonly troughTs: number;
  /**
   * Longest time under water, in ms: from a peak until the curve first gets back to that peak, or until the last
   * sample if it never does. Measured over all drawdowns, not only the deepest.
   */
  readonly durationMs: number;
}

/**
 * Maximum drawdown of an equity curve: depth `max_t (P_t − E_t) / P_t` with `P_t` the running peak, its amount,
 * when it happened, and the longest time spent below a previous peak.
 *
 * @example
 * ```ts
 * maxDrawdown({ ts: [0, 1, 2, 3, 4], equity: [100, 120, 90, 110, 125] });
 * // { depth: 0.25, amount: 30, peakTs: 1, troughTs: 2, durationMs: 3 }
 * ```
 */
export function maxDrawdown(curve: EquitySeries): Drawdown {
  const n = Math.min(curve.ts.length, curve.equity.length);
  let depth = 0;
  let amount = 0;
  let peakTs = Number.NaN;
  let troughTs = Number.NaN;
  let duration = 0;
  if (n === 0) return { depth, amount, peakTs, troughTs, durationMs: duration };
  let peak = curve.equity[0]!;
  let peakAt = curve.ts[0]!;
  let under = false;
  for (let i = 1; i < n; i++) {
    const e = curve.equity[i]!;
    const t = curve.ts[i]!;
    if (e >= peak) {
      // Back at (or above) the peak: the time under water ends here.
      if (under && t - peakAt > duration) duration = t - peakAt;
      under = false;
      peak = e;
      peakAt = t;
      continue;
    }
    under = true;
    const dd = peak > 0 ? (peak - e) / peak : 0;
    if (dd > depth) {
      depth = dd;
      amount = peak - e;
      peakTs = peakAt;
      troughTs = t;
    }
  }
  // Still under water at the end: the open drawdown lasts until the last sample.
  if (under) duration = Math.max(duration, curve.ts[n - 1]! - peakAt);
  return { depth, amount, peakTs, troughTs, durationMs: duration };
}
