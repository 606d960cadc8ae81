// Curated public API of the indicators folder; core's index re-exports it.

export { SimpleMovingAverage, sma } from './simple-moving-average.js';
export { ExponentialMovingAverage, ema } from './exponential-moving-average.js';
export { RelativeStrengthIndex, rsi } from './relative-strength-index.js';
export { AverageTrueRange, atr } from './average-true-range.js';
export { RollingStdDev, stddev } from './rolling-std-dev.js';
export type { BollingerBandsColumns } from './bollinger-bands.js';
export { BollingerBands, bollinger } from './bollinger-bands.js';
export { RateOfChange, roc } from './rate-of-change.js';
export { RealizedVolatility, realizedVolatility } from './realized-volatility.js';
