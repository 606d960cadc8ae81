import { mean, sampleStdDev } from './statistics.js';

/** Trading days per year in crypto: markets never close. */
export const PERIODS_PER_YEAR = 365;

/**
 * Annualised Sharpe ratio of daily returns: `mean(r − rf) / sd(r − rf) × √365`, with `sd` the sample standard
 * deviation (n − 1) and `rf` the daily risk-free rate `(1 + riskFreeRate)^(1/365) − 1` (default 0). NaN with fewer
 * than two returns or no variation.
 *
 * @example
 * ```ts
 * sharpeRatio([0.01, -0.005, 0.02]); // 0.00833 / 0.01258 × √365 ≈ 12.65
 * ```
 */
export function sharpeRatio(dailyReturns: ArrayLike<number>, riskFreeRate = 0): number {
  const excess = excessReturns(dailyReturns, riskFreeRate);
  const sd = sampleStdDev(excess);
  if (!(sd > 0)) return Number.NaN;
  return (mean(excess) / sd) * Math.sqrt(PERIODS_PER_YEAR);
}

/** Daily returns minus the daily risk-free rate. @internal */
export function excessReturns(dailyReturns: ArrayLike<number>, riskFreeRate: number): number[] {
  const rf = riskFreeRate === 0 ? 0 : (1 + riskFreeRate) ** (1 / PERIODS_PER_YEAR) - 1;
  const out: number[] = [];
  for (let i = 0; i < dailyReturns.length; i++) out.push(dailyReturns[i]! - rf);
  return out;
}
