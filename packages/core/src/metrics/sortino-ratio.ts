import { excessReturns, PERIODS_PER_YEAR } from './sharpe-ratio.js';
import { mean } from './statistics.js';

/**
 * Annualised Sortino ratio of daily returns: `mean(r − rf) / DD × √365`, where the downside deviation
 * `DD = √( Σ min(0, r − rf)² / n )` counts every day (n = all days, target return rf; default rf 0). NaN with fewer
 * than two returns or without a single losing day (the ratio is unbounded then).
 *
 * @example
 * ```ts
 * sortinoRatio([0.01, -0.005, 0.02]); // 0.00833 / √(0.000025 / 3) × √365 ≈ 55.1
 * ```
 */
export function sortinoRatio(dailyReturns: ArrayLike<number>, riskFreeRate = 0): number {
  const excess = excessReturns(dailyReturns, riskFreeRate);
  if (excess.length < 2) return Number.NaN;
  let ss = 0;
  for (const r of excess) if (r < 0) ss += r * r;
  const dd = Math.sqrt(ss / excess.length);
  if (!(dd > 0)) return Number.NaN;
  return (mean(excess) / dd) * Math.sqrt(PERIODS_PER_YEAR);
}
