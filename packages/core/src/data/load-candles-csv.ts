import { readFileSync } from 'node:fs';
import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import type { Candle } from '../model/candle.js';
import { parseCandlesCsv } from './parse-candles-csv.js';

/**
 * Reads a candle CSV file and validates it with {@link parseCandlesCsv}.
 *
 * Throws `QuantumTraderError('DATA_FILE_MISSING')` naming the path when the file cannot be read (missing, a directory,
 * no permission) and `QuantumTraderError('DATA_INVALID')` when it is empty or any row is malformed.
 *
 * @param path - path of the CSV file; relative paths are resolved against the current working directory.
 *
 * @example
 * ```ts
 * import { loadCandlesCsv } from '@quantum-trader/core';
 *
 * const candles = loadCandlesCsv('data/binance_BTCUSDT_5m.csv');
 * console.log(candles.length, candles[0]?.ts);
 * ```
 */
export function loadCandlesCsv(path: string): Candle[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new QuantumTraderError('DATA_FILE_MISSING', `${path}: ${describeReadError(err)}`, { cause: err });
  }
  return parseCandlesCsv(text, path);
}

function describeReadError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file; expected a candle CSV file (check the path)';
    case 'ENOTDIR':
      return 'a part of the path is not a folder; expected the path of a candle CSV file';
    case 'EISDIR':
      return 'is a folder; expected the path of a candle CSV file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    default:
      return `cannot be read (${err instanceof Error ? err.message : String(err)})`;
  }
}
