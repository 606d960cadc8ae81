import { performanceMetrics, QuantumTraderError, TIMEFRAME_MS, type PerformanceMetrics } from '@quantum-trader/core';
import type { BacktestOptions } from '../backtest/backtest-options.js';
import { LOWER_IS_BETTER, type BacktestMetrics, type MetricName } from '../backtest/backtest-metrics.js';
import type { BacktestTrade } from '../backtest/backtest-result.js';
import { resolveBacktest } from '../backtest/resolve-backtest.js';
import { renderTable } from '../format/render-table.js';
import { money, num, pct, time } from '../format/format-values.js';
import { describeParameters, expandGrid, type ParameterGrid, type ParameterSet } from '../sweep/parameter-grid.js';
import { rank, validateSets } from '../sweep/backtest-sweep.js';
import { runJobs } from '../sweep/worker-pool.js';
import type { SweepJob } from '../sweep/sweep-job.js';
import { parseDuration } from './parse-duration.js';

/**
 * Options of {@link walkForward}.
 *
 * @example
 * ```ts
 * const wf: WalkForwardOptions = { grid: { lookbackHours: [12, 24, 48] }, train: '14d', test: '7d' };
 * ```
 */
export interface WalkForwardOptions {
  readonly grid: ParameterGrid;
  /** Length of each in-sample (training) window: ms or `'14d'`, `'12h'` … */
  readonly train: number | string;
  /** Length of each out-of-sample (test) window. */
  readonly test: number | string;
  /** How far each fold moves (default: `test`); at least `test`, so test windows never overlap. */
  readonly roll?: number | string;
  /** Metric the best in-sample combination is chosen by (default `sharpe`). */
  readonly sortBy?: MetricName;
  readonly order?: 'asc' | 'desc';
  readonly threads?: number;
  readonly setup?: string | URL;
  /** Called after every backtest (training and test), with how many of all are done. */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number; readonly phase: 'train' | 'test' }) => void;
}

/** One fold: the parameters chosen on its training window and how they did on the unseen test window. */
export interface WalkForwardFold {
  readonly fold: number;
  readonly train: { readonly from: number; readonly to: number };
  readonly test: { readonly from: number; readonly to: number };
  /** Chosen in sample; only their out-of-sample results are reported. */
  readonly params: ParameterSet;
  readonly metrics: BacktestMetrics;
}

/**
 * Out-of-sample results only: per fold, and all test windows stitched together (equity compounded from one
 * window to the next, trades concatenated).
 *
 * @example
 * ```ts
 * console.log(wf.summary());
 * wf.outOfSample.metrics.sharpe;
 * ```
 */
export interface WalkForwardResult {
  readonly sortBy: MetricName;
  readonly folds: readonly WalkForwardFold[];
  readonly outOfSample: {
    readonly metrics: PerformanceMetrics;
    readonly trades: readonly BacktestTrade[];
    readonly equity: { readonly ts: readonly number[]; readonly equity: readonly number[] };
  };
  summary(): string;
}

/**
 * Walk-forward validation: the data range is cut into folds — a training window followed by a test window, the
 * whole moved by `roll` — and for each fold the grid is swept on the training window, the best combination (by
 * `sortBy`) is backtested on the test window it never saw, and only those test results are reported. Training
 * and test runs use the history before their window for warm-up only. Runs on worker threads like
 * {@link backtestSweep} and is just as deterministic.
 *
 * @example
 * ```ts
 * const wf = await walkForward({ data, strategy: 'momentum' }, { grid: { lookbackHours: [12, 24, 48] }, train: '10d', test: '5d' });
 * console.log(wf.summary());
 * ```
 */
export async function walkForward(options: BacktestOptions, wf: WalkForwardOptions): Promise<WalkForwardResult> {
  const train = parseDuration('train', wf.train);
  const test = parseDuration('test', wf.test);
  const roll = wf.roll === undefined ? test : parseDuration('roll', wf.roll);
  if (roll < test) {
    throw new QuantumTraderError(
      'PARAMETER_OUT_OF_RANGE',
      `walk-forward: roll (${wf.roll}) must be at least the test window (${wf.test}) so that out-of-sample windows do not overlap`,
    );
  }
  const sortBy = wf.sortBy ?? 'sharpe';
  const order = wf.order ?? (LOWER_IS_BETTER.has(sortBy) ? 'asc' : 'desc');
  const sets = expandGrid(wf.grid);
  validateSets(options, sets);
  const { start, end } = dataRange(options);
  const folds: { train: { from: number; to: number }; test: { from: number; to: number } }[] = [];
  for (let t0 = start; t0 + train + test <= end; t0 += roll) {
    folds.push({ train: { from: t0, to: t0 + train }, test: { from: t0 + train, to: t0 + train + test } });
  }
  if (folds.length === 0) {
    throw new QuantumTraderError(
      'PARAMETER_OUT_OF_RANGE',
      `walk-forward: train ${wf.train} + test ${wf.test} do not fit into the data range ${time(start)} → ${time(end)} UTC; shorten the windows or pass more data`,
    );
  }

  const total = folds.length * sets.length + folds.length;
  let done = 0;
  const trainJobs: SweepJob[] = [];
  folds.forEach((f, k) =>
    sets.forEach((set, i) => trainJobs.push({ index: k * sets.length + i, set, from: f.train.from, to: f.train.to, detail: false })),
  );
  const pool = {
    ...(wf.threads !== undefined ? { threads: wf.threads } : {}),
    ...(wf.setup !== undefined ? { setup: wf.setup } : {}),
  };
  const trained = await runJobs(options, trainJobs, { ...pool, onJobDone: () => wf.onProgress?.({ done: ++done, total, phase: 'train' }) });
  const chosen = folds.map((_, k) => {
    const rows = trained.slice(k * sets.length, (k + 1) * sets.length).map((o, i) => ({ index: i, metrics: o.metrics }));
    return sets[rank(rows, sortBy, order)[0]!.index]!;
  });
  const tested = await runJobs(
    options,
    folds.map((f, k) => ({ index: k, set: chosen[k]!, from: f.test.from, to: f.test.to, detail: true })),
    { ...pool, onJobDone: () => wf.onProgress?.({ done: ++done, total, phase: 'test' }) },
  );

  const resultFolds: WalkForwardFold[] = folds.map((f, k) => ({ fold: k + 1, ...f, params: chosen[k]!, metrics: tested[k]!.metrics }));
  const outOfSample = stitch(tested.map((t) => t.detail!), resolveBacktest(options).initialBalance);
  return {
    sortBy,
    folds: resultFolds,
    outOfSample,
    summary: () => walkForwardSummary(resultFolds, outOfSample.metrics, sortBy),
  };
}

function dataRange(options: BacktestOptions): { start: number; end: number } {
  const r = resolveBacktest(options);
  const tfMs = TIMEFRAME_MS[r.timeframe];
  // Only the span every symbol covers; from/to narrow it further.
  const start = Math.max(r.from, ...r.series.map((s) => s.candles.find((c) => c.ts >= r.from)?.ts ?? r.from));
  const end = Math.min(r.to, ...r.series.map((s) => s.candles[s.candles.length - 1]!.ts + tfMs));
  return { start, end };
}

type Detail = NonNullable<Awaited<ReturnType<typeof runJobs>>[number]['detail']>;

function stitch(details: readonly Detail[], initialBalance: number): WalkForwardResult['outOfSample'] {
  const ts: number[] = [];
  const equity: number[] = [];
  const trades: BacktestTrade[] = [];
  const bySymbolDay = new Map<string, Map<number, number>>();
  let running = initialBalance;
  for (const d of details) {
    const first = d.equity.equity[0]!;
    const scale = running / first;
    for (let i = 0; i < d.equity.ts.length; i++) {
      const t = d.equity.ts[i]!;
      const e = d.equity.equity[i]! * scale;
      if (ts.length > 0 && t <= ts[ts.length - 1]!) continue;
      ts.push(t);
      equity.push(e);
    }
    running = d.equity.equity[d.equity.equity.length - 1]! * scale;
    trades.push(...d.trades);
    d.dailyPnl.symbols.forEach((s, k) => {
      let days = bySymbolDay.get(s);
      if (days === undefined) bySymbolDay.set(s, (days = new Map()));
      d.dailyPnl.days.forEach((day, i) => days.set(day, (days.get(day) ?? 0) + d.dailyPnl.pnl[k]![i]!));
    });
  }
  const allDays = [...new Set([...bySymbolDay.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  const symbolDailyReturns = [...bySymbolDay.values()].map((m) => allDays.map((d) => m.get(d) ?? 0));
  const metrics = performanceMetrics({ trades, equity: { ts, equity }, symbolDailyReturns });
  return { metrics, trades, equity: { ts, equity } };
}

function walkForwardSummary(folds: readonly WalkForwardFold[], oos: PerformanceMetrics, sortBy: MetricName): string {
  const rows = folds.map((f) => [
    String(f.fold),
    `${time(f.train.from)} → ${time(f.train.to)}`,
    `${time(f.test.from)} → ${time(f.test.to)}`,
    describeParameters(f.params),
    pct(f.metrics.totalReturn, 2, true),
    num(f.metrics.sharpe),
    pct(f.metrics.maxDrawdown),
    String(f.metrics.trades),
  ]);
  return [
    `Walk-forward (${folds.length} folds, parameters chosen by in-sample ${String(sortBy)}; every number below is out of sample)`,
    renderTable(['Fold', 'Train (UTC)', 'Test (UTC)', 'Chosen', 'Return', 'Sharpe', 'Max DD', 'Trades'], rows, ['right', 'left', 'left', 'left', 'right', 'right', 'right', 'right']),
    `Out of sample, stitched: return ${pct(oos.totalReturn, 2, true)} · Sharpe ${num(oos.sharpe)} · Sortino ${num(oos.sortino)} · ` +
      `max drawdown ${pct(oos.maxDrawdown)} · ${oos.trades} trades · win rate ${pct(oos.winRate, 1)} · profit factor ${num(oos.profitFactor)} · ` +
      `net ${money(oos.netProfit, true)}`,
  ].join('\n');
}
