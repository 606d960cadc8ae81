import type { PerformanceMetrics, SymbolStatistics } from '@quantum-trader/core';
import { duration, hour, money, num, pct, weekday } from '../format/format-values.js';

/**
 * The metrics of one backtest: every {@link PerformanceMetrics} field plus what only a simulated run knows.
 * Fractions are fractions (0.12 = 12 %), money is in the quote currency, durations in ms; undefined values are NaN
 * (JSON: null).
 */
export interface BacktestMetrics extends PerformanceMetrics {
  /** Net funding of perpetual positions (negative = paid); included in equity, not in trade PnL. */
  readonly funding: number;
  /** Positions still open at the end (valued at the last close in equity, not in the trades). */
  readonly openPositions: number;
  /** Signals refused by risk rules. */
  readonly ordersDenied: number;
  /** Candles where triggers above and below the open made the intrabar order matter, and how many were refined. */
  readonly ambiguousCandles: number;
  readonly refinedCandles: number;
}

/** The metric names a sweep can sort by. */
export type MetricName = {
  [K in keyof BacktestMetrics]: BacktestMetrics[K] extends number ? K : never;
}[keyof BacktestMetrics];

/** Metrics where smaller is better (sweeps sort them ascending). */
export const LOWER_IS_BETTER: ReadonlySet<MetricName> = new Set<MetricName>([
  'maxDrawdown',
  'maxDrawdownAmount',
  'maxDrawdownDurationMs',
  'feesPaid',
  'ordersDenied',
]);

/**
 * The metrics as labelled, formatted rows (for the summary table and the HTML report).
 *
 * @example
 * ```ts
 * for (const { label, value } of metricRows(result.metrics)) console.log(label, value);
 * ```
 */
export function metricRows(m: BacktestMetrics): { label: string; value: string }[] {
  return [
    { label: 'Start equity', value: money(m.startEquity) },
    { label: 'End equity', value: money(m.endEquity) },
    { label: 'Net profit', value: money(m.netProfit, true) },
    { label: 'Total return', value: pct(m.totalReturn, 2, true) },
    { label: 'Annualised return', value: pct(m.annualizedReturn, 1, true) },
    { label: 'Sharpe (daily, √365)', value: num(m.sharpe) },
    { label: 'Sortino (daily, √365)', value: num(m.sortino) },
    { label: 'Calmar', value: num(m.calmar) },
    { label: 'Max drawdown', value: `${pct(m.maxDrawdown)} (${money(m.maxDrawdownAmount)})` },
    { label: 'Max drawdown duration', value: duration(m.maxDrawdownDurationMs) },
    { label: 'Trades', value: String(m.trades) },
    { label: 'Win rate', value: pct(m.winRate, 1) },
    { label: 'Profit factor', value: num(m.profitFactor) },
    { label: 'Expectancy / trade', value: money(m.expectancy, true) },
    { label: 'SQN', value: num(m.sqn) },
    { label: 'Exposure time', value: pct(m.exposureTime, 1) },
    { label: 'Avg trade duration', value: duration(m.averageTradeDurationMs) },
    { label: 'Fees paid', value: money(m.feesPaid) },
    { label: 'Funding', value: money(m.funding, true) },
    { label: 'Diversification score', value: num(m.diversificationScore) },
    { label: 'Open positions at end', value: String(m.openPositions) },
    { label: 'Signals denied by risk', value: String(m.ordersDenied) },
    { label: 'Ambiguous candles (refined)', value: `${m.ambiguousCandles} (${m.refinedCandles})` },
  ];
}

/** Columns of the per-symbol table. */
export const PER_SYMBOL_COLUMNS = [
  'Symbol',
  'Trades',
  'Win rate',
  'Avg profit',
  'Net profit',
  'Max DD',
  'Best hour',
  'Worst hour',
  'Best day',
  'Worst day',
] as const;

/**
 * One formatted row of the per-symbol table.
 *
 * @example
 * ```ts
 * result.perSymbol.map(perSymbolRow);
 * ```
 */
export function perSymbolRow(s: SymbolStatistics): string[] {
  return [
    s.symbol,
    String(s.trades),
    pct(s.winRate, 1),
    money(s.averageProfit, true),
    money(s.netProfit, true),
    money(s.maxDrawdown),
    hour(s.bestHour),
    hour(s.worstHour),
    weekday(s.bestWeekday),
    weekday(s.worstWeekday),
  ];
}
