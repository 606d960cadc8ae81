/**
 * `@quantum-trader/report` — self-contained HTML backtest reports: equity curve, drawdown, a candlestick chart per
 * symbol with entries and exits, and the metric tables, in one file that opens without network access.
 *
 * @packageDocumentation
 */
export type { ReportInput } from './report-input.js';
export { computeDrawdown } from './drawdown.js';
export { renderReport, REPORT_MAX_POINTS } from './render-report.js';
export { writeReport } from './write-report.js';
