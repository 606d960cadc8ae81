// Hand-curated public API of @quantum-trader/backtest. Anything not exported here is internal.

export type {
  BacktestOptions,
  BacktestSeries,
  BacktestRiskOptions,
  BacktestProgress,
  StrategyChoice,
} from './backtest/backtest-options.js';
export { backtest } from './backtest/backtest.js';
export type { BacktestTrade, BacktestRunInfo, DailySymbolPnl, TradedSeries } from './backtest/backtest-result.js';
export { BacktestResult } from './backtest/backtest-result.js';
export type { BacktestMetrics, MetricName } from './backtest/backtest-metrics.js';
export { metricRows, perSymbolRow, PER_SYMBOL_COLUMNS, LOWER_IS_BETTER } from './backtest/backtest-metrics.js';

export type { StrategyDefinition, StrategyParamSpec, StrategyContext } from './strategies/strategy-registry.js';
export { registerStrategy, listStrategies, resolveStrategy } from './strategies/strategy-registry.js';

export type { GridValue, ParameterGrid, ParameterSet } from './sweep/parameter-grid.js';
export { expandGrid, applyParameters, describeParameters } from './sweep/parameter-grid.js';
export type { SweepOptions, SweepProgress, SweepResult, SweepRow } from './sweep/backtest-sweep.js';
export { backtestSweep } from './sweep/backtest-sweep.js';

export type { WalkForwardOptions, WalkForwardFold, WalkForwardResult } from './walk-forward/walk-forward.js';
export { walkForward } from './walk-forward/walk-forward.js';
export { parseDuration } from './walk-forward/parse-duration.js';

export { loadCandleDirectory } from './data/load-candle-directory.js';
export { renderTable } from './format/render-table.js';
