import type { BacktestOptions } from '../backtest/backtest-options.js';
import { backtest } from '../backtest/backtest.js';
import type { BacktestMetrics } from '../backtest/backtest-metrics.js';
import type { BacktestTrade, DailySymbolPnl } from '../backtest/backtest-result.js';
import { applyParameters, type ParameterSet } from './parameter-grid.js';

/** One backtest of a sweep or walk-forward: a parameter set, optionally on its own time window. @internal */
export interface SweepJob {
  readonly index: number;
  readonly set: ParameterSet;
  readonly from?: number;
  readonly to?: number;
  /** Return trades, equity and daily PnL too (walk-forward test windows), not only the metrics. */
  readonly detail: boolean;
}

/** What one job produced. @internal */
export interface SweepJobOutcome {
  readonly index: number;
  readonly metrics: BacktestMetrics;
  readonly detail?: {
    readonly trades: readonly BacktestTrade[];
    readonly equity: { readonly ts: readonly number[]; readonly equity: readonly number[] };
    readonly dailyPnl: DailySymbolPnl;
  };
}

/** Runs one job on fully built options (data included). The same code runs in workers and in-process. @internal */
export async function runSweepJob(base: BacktestOptions, job: SweepJob): Promise<SweepJobOutcome> {
  const options = applyParameters(
    {
      ...base,
      ...(job.from !== undefined ? { from: job.from } : {}),
      ...(job.to !== undefined ? { to: job.to } : {}),
    },
    job.set,
  );
  const { onProgress: _ignored, ...quiet } = options;
  const result = await backtest(quiet);
  if (!job.detail) return { index: job.index, metrics: result.metrics };
  return {
    index: job.index,
    metrics: result.metrics,
    detail: { trades: result.trades, equity: result.equity, dailyPnl: result.dailyPnl },
  };
}
