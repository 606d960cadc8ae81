import { calmarRatio } from './calmar-ratio.js';
import { dailyReturns } from './daily-returns.js';
import { diversificationScore } from './diversification-score.js';
import { exposureTime } from './exposure-time.js';
import { maxDrawdown } from './max-drawdown.js';
import type { EquitySeries, TradeRecord } from './metric-inputs.js';
import { sharpeRatio } from './sharpe-ratio.js';
import { sortinoRatio } from './sortino-ratio.js';
import { annualizedReturn, totalReturn } from './total-return.js';
import { tradeStatistics } from './trade-statistics.js';

/** What {@link performanceMetrics} reads. */
export interface PerformanceInput {
  readonly trades: readonly TradeRecord[];
  readonly equity: EquitySeries;
  /** Start and end of the period (default: the first and last equity sample). */
  readonly from?: number;
  readonly to?: number;
  /** Positions still open at the end (they count towards exposure until `to`). */
  readonly openSince?: readonly number[];
  /** One daily return (or PnL) series per symbol, aligned on the same days, for the diversification score. */
  readonly symbolDailyReturns?: readonly ArrayLike<number>[];
  /** Annual risk-free rate for Sharpe and Sortino (default 0). */
  readonly riskFreeRate?: number;
}

/**
 * Every portfolio metric of a run (fractions are fractions: 0.12 = 12 %; money in the quote currency; durations in
 * ms). Undefined values are NaN (Infinity only for a profit factor without a losing trade).
 */
export interface PerformanceMetrics {
  readonly startEquity: number;
  readonly endEquity: number;
  readonly netProfit: number;
  /** `E_end / E_start − 1`. */
  readonly totalReturn: number;
  /** `(E_end / E_start)^(365 d / period) − 1`. */
  readonly annualizedReturn: number;
  /** `mean(daily r) / sd(daily r) × √365` (UTC days, flat days included). */
  readonly sharpe: number;
  /** `mean(daily r) / √(Σ min(0, r)² / n) × √365`. */
  readonly sortino: number;
  /** `annualizedReturn / maxDrawdown`. */
  readonly calmar: number;
  /** Max peak-to-trough fall of equity as a fraction of the peak. */
  readonly maxDrawdown: number;
  readonly maxDrawdownAmount: number;
  /** Longest time from a peak back to it (or to the end). */
  readonly maxDrawdownDurationMs: number;
  readonly trades: number;
  readonly winRate: number;
  readonly profitFactor: number;
  /** Average net PnL per trade. */
  readonly expectancy: number;
  readonly sqn: number;
  /** Fraction of the period with at least one open position. */
  readonly exposureTime: number;
  readonly averageTradeDurationMs: number;
  /** Fees of closed trades. */
  readonly feesPaid: number;
  /** `clamp(1 − mean pairwise correlation of per-symbol daily returns, 0, 1)`; NaN with < 2 symbols. */
  readonly diversificationScore: number;
  readonly averageCorrelation: number;
}

/**
 * Computes every metric of a run from its closed trades and equity curve. Each metric is also available on its
 * own (`sharpeRatio`, `maxDrawdown`, `tradeStatistics`, …); see docs/backtesting.md for the formulas.
 *
 * @example
 * ```ts
 * const m = performanceMetrics({ trades, equity: { ts, equity } });
 * console.log(`${(m.totalReturn * 100).toFixed(2)} %, Sharpe ${m.sharpe.toFixed(2)}`);
 * ```
 */
export function performanceMetrics(input: PerformanceInput): PerformanceMetrics {
  const { trades, equity } = input;
  const n = Math.min(equity.ts.length, equity.equity.length);
  const from = input.from ?? (n > 0 ? equity.ts[0]! : Number.NaN);
  const to = input.to ?? (n > 0 ? equity.ts[n - 1]! : Number.NaN);
  const startEquity = n > 0 ? equity.equity[0]! : Number.NaN;
  const endEquity = n > 0 ? equity.equity[n - 1]! : Number.NaN;
  const daily = dailyReturns(equity);
  const rf = input.riskFreeRate ?? 0;
  const dd = maxDrawdown(equity);
  const annual = annualizedReturn(equity);
  const stats = tradeStatistics(trades);
  const spans: { entryTs: number; exitTs: number }[] = trades.map((t) => ({ entryTs: t.entryTs, exitTs: t.exitTs }));
  for (const ts of input.openSince ?? []) spans.push({ entryTs: ts, exitTs: to });
  const div = diversificationScore(input.symbolDailyReturns ?? []);
  return {
    startEquity,
    endEquity,
    netProfit: endEquity - startEquity,
    totalReturn: totalReturn(equity),
    annualizedReturn: annual,
    sharpe: sharpeRatio(daily, rf),
    sortino: sortinoRatio(daily, rf),
    calmar: calmarRatio(annual, dd.depth),
    maxDrawdown: dd.depth,
    maxDrawdownAmount: dd.amount,
    maxDrawdownDurationMs: dd.durationMs,
    trades: stats.trades,
    winRate: stats.winRate,
    profitFactor: stats.profitFactor,
    expectancy: stats.expectancy,
    sqn: stats.sqn,
    exposureTime: exposureTime(spans, from, to),
    averageTradeDurationMs: stats.averageDurationMs,
    feesPaid: stats.fees,
    diversificationScore: div.score,
    averageCorrelation: div.averageCorrelation,
  };
}
