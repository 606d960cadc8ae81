// Hand-curated public API of @quantum-trader/runner (the reference bot). The CLI is `quantum-trader`.
export * from './config/index.js';
export * from './data/bundled-data.js';
export { runPaper, type RunPaperOptions } from './paper/run-paper.js';
export {
  buildPaperSession,
  loadClmModule,
  type PaperSession,
  type BuildPaperSessionOptions,
  type ClmModule,
} from './paper/build-session.js';
export { describeClm } from './paper/describe-clm.js';
export type { SymbolData, PaperProgress, PaperRunSummary, SymbolSummary } from './paper/paper-types.js';
export { main, parseSpeed, parsePort } from './cli/main.js';
export { redactSecrets } from './cli/redact-secrets.js';
export { formatError, exitCodeOf } from './cli/report-error.js';
export { createProgressReporter, formatVirtualTime } from './cli/progress-reporter.js';
export { renderSummaryTable, formatMoney } from './report/summary-table.js';
export { createLogger, serviceLogger, LOG_FILE_NAME } from './logging/create-logger.js';
export {
  startStatusServer,
  type StatusServer,
  type StatusSource,
  type HealthCheck,
} from './http/status-server.js';
