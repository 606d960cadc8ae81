// Candle files: parsing, validation, loading and slicing. Re-exported from the package root.
export { parseCandlesCsv, CANDLE_CSV_HEADER } from './parse-candles-csv.js';
export { loadCandlesCsv } from './load-candles-csv.js';
export { sliceCandles } from './slice-candles.js';
