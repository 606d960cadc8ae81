import { QuantumTraderError } from '@quantum-trader/core';
import type { BacktestOptions } from '../backtest/backtest-options.js';
import { LOWER_IS_BETTER, type BacktestMetrics, type MetricName } from '../backtest/backtest-metrics.js';
import { resolveBacktest } from '../backtest/resolve-backtest.js';
import { renderTable } from '../format/render-table.js';
import { duration, money, num, pct } from '../format/format-values.js';
import { applyParameters, describeParameters, expandGrid, type ParameterGrid, type ParameterSet } from './parameter-grid.js';
import { runJobs } from './worker-pool.js';

/** Progress of a sweep: called after every finished combination (in finishing order). */
export interface SweepProgress {
  readonly done: number;
  readonly total: number;
  readonly params: ParameterSet;
  readonly metrics: BacktestMetrics;
}

/**
 * Options of {@link backtestSweep}.
 *
 * @example
 * ```ts
 * const sweep: SweepOptions = { grid: { lookbackHours: [12, 24, 48] }, sortBy: 'sharpe', onProgress: (p) => bar.update(p.done) };
 * ```
 */
export interface SweepOptions {
  readonly grid: ParameterGrid;
  /** Metric to rank by (default `sharpe`); drawdowns, fees and denials rank ascending, everything else descending. */
  readonly sortBy?: MetricName;
  /** Override the ranking direction. */
  readonly order?: 'asc' | 'desc';
  /** Worker threads (default: every core); 0 runs in this thread. The table does not depend on it. */
  readonly threads?: number;
  /** A module each worker imports first, e.g. one that calls `registerStrategy` for a custom strategy. */
  readonly setup?: string | URL;
  readonly onProgress?: (progress: SweepProgress) => void;
}

/** One ranked combination of a sweep. */
export interface SweepRow {
  /** 1 = best. */
  readonly rank: number;
  /** Position of the combination in the grid's expansion (see `expandGrid`). */
  readonly index: number;
  readonly params: ParameterSet;
  readonly metrics: BacktestMetrics;
}

/**
 * The ranked results of a sweep.
 *
 * @example
 * ```ts
 * console.log(result.table());
 * const { params } = result.best!;
 * ```
 */
export interface SweepResult {
  readonly sortBy: MetricName;
  readonly order: 'asc' | 'desc';
  /** Every combination, best first (NaN last; ties in grid order). */
  readonly rows: readonly SweepRow[];
  readonly best: SweepRow | undefined;
  /** The ranking as a text table. */
  table(limit?: number): string;
}

/**
 * Backtests every combination of a parameter grid, in parallel on worker threads (all cores by default), and
 * ranks them by a metric. Deterministic: the same grid gives the same table whatever the number of threads.
 * Every combination is validated before any thread starts, so a bad value fails fast with a message naming it.
 *
 * @example
 * ```ts
 * const sweep = await backtestSweep(
 *   { data, from: '2021-04-26', to: '2021-05-13', strategy: 'momentum' },
 *   { grid: { lookbackHours: [12, 24, 48], longThreshold: [0.01, 0.02] }, sortBy: 'sharpe' },
 * );
 * console.log(sweep.table());
 * ```
 */
export async function backtestSweep(options: BacktestOptions, sweep: SweepOptions): Promise<SweepResult> {
  const sets = expandGrid(sweep.grid);
  const sortBy = sweep.sortBy ?? 'sharpe';
  const order = sweep.order ?? (LOWER_IS_BETTER.has(sortBy) ? 'asc' : 'desc');
  validateSets(options, sets);
  const outcomes = await runJobs(
    options,
    sets.map((set, index) => ({ index, set, detail: false })),
    {
      ...(sweep.threads !== undefined ? { threads: sweep.threads } : {}),
      ...(sweep.setup !== undefined ? { setup: sweep.setup } : {}),
      onJobDone: (o, done, total) => sweep.onProgress?.({ done, total, params: sets[o.index]!, metrics: o.metrics }),
    },
  );
  const rows = rank(
    outcomes.map((o) => ({ index: o.index, params: sets[o.index]!, metrics: o.metrics })),
    sortBy,
    order,
  );
  return {
    sortBy,
    order,
    rows,
    best: rows[0],
    table: (limit = rows.length) => sweepTable(rows.slice(0, limit), sortBy),
  };
}

/** Checks every combination up front (strategy, parameter ranges, options) in this thread. @internal */
export function validateSets(options: BacktestOptions, sets: readonly ParameterSet[]): void {
  if (sets.length === 0) throw new QuantumTraderError('CONFIG_INVALID', 'sweep: the grid has no combinations');
  sets.forEach((set, i) => {
    try {
      resolveBacktest(applyParameters(options, set), i > 0);
    } catch (err) {
      if (err instanceof QuantumTraderError) {
        throw new QuantumTraderError(err.code, `sweep combination ${describeParameters(set)}: ${err.message}`, { cause: err });
      }
      throw err;
    }
  });
}

/** Sorts rows by a metric (NaN last, ties by grid index) and numbers them. @internal */
export function rank<T extends { readonly index: number; readonly metrics: BacktestMetrics }>(
  rows: readonly T[],
  sortBy: MetricName,
  order: 'asc' | 'desc',
): (T & { readonly rank: number })[] {
  if (!rows.every((r) => typeof r.metrics[sortBy] === 'number')) {
    throw new QuantumTraderError('CONFIG_INVALID', `sweep: sortBy "${String(sortBy)}" is not a metric`);
  }
  const sign = order === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const x = a.metrics[sortBy];
      const y = b.metrics[sortBy];
      const xn = Number.isNaN(x);
      const yn = Number.isNaN(y);
      if (xn !== yn) return xn ? 1 : -1;
      if (!xn && x !== y) return sign * (x < y ? -1 : 1);
      return a.index - b.index;
    })
    .map((r, i) => ({ ...r, rank: i + 1 }));
}

function sweepTable(rows: readonly SweepRow[], sortBy: MetricName): string {
  const keys = rows[0] === undefined ? [] : Object.keys(rows[0].params);
  const cols = ['#', ...keys, `${String(sortBy)} ▼`, 'Return', 'Sharpe', 'Max DD', 'Trades', 'Win rate', 'PF'];
  const body = rows.map((r) => [
    String(r.rank),
    ...keys.map((k) => String(r.params[k])),
    formatMetric(sortBy, r.metrics[sortBy]),
    pct(r.metrics.totalReturn, 2, true),
    num(r.metrics.sharpe),
    pct(r.metrics.maxDrawdown),
    String(r.metrics.trades),
    pct(r.metrics.winRate, 1),
    num(r.metrics.profitFactor),
  ]);
  return renderTable(cols, body, cols.map(() => 'right'));
}

/** Formats one metric value by its kind. @internal */
export function formatMetric(name: MetricName, v: number): string {
  if (name.endsWith('Ms')) return duration(v);
  if (['totalReturn', 'annualizedReturn', 'maxDrawdown', 'winRate', 'exposureTime'].includes(name)) return pct(v, 2);
  if (['netProfit', 'expectancy', 'feesPaid', 'funding', 'startEquity', 'endEquity', 'maxDrawdownAmount'].includes(name)) return money(v);
  return num(v, 3);
}
