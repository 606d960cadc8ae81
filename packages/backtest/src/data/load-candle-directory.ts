import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCandlesCsv, QuantumTraderError, type Candle, type Timeframe } from '@quantum-trader/core';
import type { BacktestSeries } from '../backtest/backtest-options.js';

const QUOTES = ['USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'BTC', 'ETH', 'BNB', 'EUR', 'USD'] as const;

/**
 * Loads the candles of a data folder: one file per symbol and timeframe, named after both
 * (`binance_BTCUSDT_5m_2021-01-01_2021-05-13.csv`, `BTC_USDT-5m.csv`, or freqtrade's `BTC_USDT-5m.json`). CSVs use
 * the `ts,open,high,low,close,volume` format; JSON files are freqtrade's `[[ts, open, high, low, close, volume], …]`.
 * `symbols` picks and orders the symbols (default: every symbol found, sorted). Throws `DATA_FILE_MISSING` naming
 * the folder and what it holds when a symbol has no file.
 *
 * @example
 * ```ts
 * const data = loadCandleDirectory('packages/runner/data/binance', { timeframe: '5m', symbols: ['BTC/USDT', 'ETH/USDT'] });
 * const refine = loadCandleDirectory('packages/runner/data/binance', { timeframe: '1m', symbols: ['BTC/USDT', 'ETH/USDT'] });
 * ```
 */
export function loadCandleDirectory(
  dir: string,
  options: { readonly timeframe: Timeframe; readonly symbols?: readonly string[] },
): BacktestSeries[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    throw new QuantumTraderError('DATA_FILE_MISSING', `${dir}: cannot read the data folder (${(err as Error).message})`, { cause: err });
  }
  const found = new Map<string, string>();
  for (const name of names) {
    const m = /^(?:[a-z0-9]+_)?([A-Z0-9]+?)(?:[_/-]?)([A-Z0-9]+)?[_-]([0-9]+[mhdw])(?:[_.-].*)?\.(csv|json)$/i.exec(name);
    if (m === null || m[3] !== options.timeframe) continue;
    const symbol = symbolOf(m[1]!, m[2]);
    if (symbol !== undefined && !found.has(symbol) && statSync(join(dir, name)).isFile()) found.set(symbol, join(dir, name));
  }
  const wanted = options.symbols ?? [...found.keys()].sort();
  if (wanted.length === 0) {
    throw new QuantumTraderError('DATA_FILE_MISSING', `${dir}: no ${options.timeframe} candle files (expected names such as binance_BTCUSDT_${options.timeframe}_….csv)`);
  }
  return wanted.map((symbol) => {
    const path = found.get(symbol.split(':')[0]!);
    if (path === undefined) {
      throw new QuantumTraderError(
        'DATA_FILE_MISSING',
        `${dir}: no ${options.timeframe} candles for ${symbol}; the folder has ${options.timeframe} data for ${[...found.keys()].join(', ') || 'no symbol'}`,
      );
    }
    return { symbol, candles: path.endsWith('.json') ? loadFreqtradeJson(path) : loadCandlesCsv(path) };
  });
}

function symbolOf(a: string, b: string | undefined): string | undefined {
  const A = a.toUpperCase();
  if (b !== undefined && (QUOTES as readonly string[]).includes(b.toUpperCase())) return `${A}/${b.toUpperCase()}`;
  const joined = b === undefined ? A : A + b.toUpperCase();
  for (const q of QUOTES) if (joined.length > q.length && joined.endsWith(q)) return `${joined.slice(0, -q.length)}/${q}`;
  return undefined;
}

function loadFreqtradeJson(path: string): Candle[] {
  let rows: unknown;
  try {
    rows = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new QuantumTraderError('DATA_INVALID', `${path}: not a JSON candle file (${(err as Error).message})`, { cause: err });
  }
  if (!Array.isArray(rows)) throw new QuantumTraderError('DATA_INVALID', `${path}: expected a JSON array of [ts, open, high, low, close, volume]`);
  return rows.map((r: unknown, i) => {
    if (!Array.isArray(r) || r.length < 6 || !r.slice(0, 6).every((x) => typeof x === 'number')) {
      throw new QuantumTraderError('DATA_INVALID', `${path}: row ${i} is not [ts, open, high, low, close, volume]`);
    }
    const [ts, open, high, low, close, volume] = r as number[];
    return { ts: ts!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
  });
}
