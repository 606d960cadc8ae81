import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  QuantumTraderError,
  TIMEFRAME_MS,
  loadCandlesCsv,
  sliceCandles,
  symbolId,
  type Candle,
  type SymbolId,
  type Timeframe,
} from '@quantum-trader/core';
import type { RunnerConfig } from '../config/runner-config-schema.js';
import { isoDateToMillis } from '../config/iso-date.js';
import type { SymbolData } from '../paper/paper-types.js';

const RUNNER_PACKAGE = '@quantum-trader/runner';
// Quote currencies tried when a file name such as BTCUSDT has to be split into base and quote.
const QUOTES = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'TUSD', 'DAI', 'BTC', 'ETH', 'BNB', 'EUR', 'USD'] as const;
const BUNDLED_FILE = /^binance_([A-Z0-9]+)_([0-9]+[mhdw])_.*\.csv$/;

/** One bundled candle file. */
export interface BundledDataFile {
  /** Spot symbol of the file, e.g. `BTC/USDT`. */
  readonly symbol: string;
  readonly timeframe: string;
  /** Absolute path of the CSV. */
  readonly path: string;
}

/** Options of {@link loadSymbolData}. */
export interface LoadSymbolDataOptions {
  /** Folder of the bundled CSVs (default: the runner package's `data/binance`). */
  readonly bundledDir?: string;
}

let cachedRoot: string | undefined;

/**
 * The folder of the runner package (the one whose package.json is named `@quantum-trader/runner`).
 *
 * Found by walking up from this module's own file, so it is right from `src/` under vitest, from the bundled
 * `dist/cli.js`, and from an npm-installed copy in `node_modules`.
 *
 * @example
 * ```ts
 * import { runnerPackageRoot } from '@quantum-trader/runner';
 *
 * runnerPackageRoot(); // '/home/me/bot/node_modules/@quantum-trader/runner'
 * ```
 */
export function runnerPackageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  const start = moduleDir();
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === RUNNER_PACKAGE) {
          cachedRoot = dir;
          return dir;
        }
      } catch {
        // an unreadable package.json on the way up is not ours; keep walking
      }
    }
    if (dirname(dir) === dir) {
      throw new QuantumTraderError(
        'DATA_FILE_MISSING',
        `cannot find the ${RUNNER_PACKAGE} package folder (searched upwards from ${start}); pass --data <files> instead`,
      );
    }
  }
}

function moduleDir(): string {
  // The CJS build has __dirname; the ESM build (and vitest) have import.meta.url.
  return typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
}

/**
 * The folder holding the bundled Binance candle CSVs.
 *
 * @example
 * ```ts
 * import { bundledDataDir } from '@quantum-trader/runner';
 *
 * bundledDataDir(); // '…/@quantum-trader/runner/data/binance'
 * ```
 */
export function bundledDataDir(): string {
  return join(runnerPackageRoot(), 'data', 'binance');
}

/**
 * Lists the bundled candle files (`binance_<SYMBOL>_<timeframe>_<first>_<last>.csv`).
 *
 * @example
 * ```ts
 * import { listBundledData } from '@quantum-trader/runner';
 *
 * listBundledData().map((f) => `${f.symbol} ${f.timeframe}`); // ['BNB/USDT 5m', 'BTC/USDT 5m', 'ETH/USDT 5m']
 * ```
 */
export function listBundledData(dir: string = bundledDataDir()): BundledDataFile[] {
  if (!existsSync(dir)) return [];
  const files: BundledDataFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = BUNDLED_FILE.exec(name);
    if (m === null) continue;
    const symbol = splitCompactSymbol(m[1]!);
    if (symbol !== undefined) files.push({ symbol, timeframe: m[2]!, path: join(dir, name) });
  }
  return files;
}

/**
 * The bundled CSV for a symbol and timeframe, or `undefined` if none is bundled. `BTC/USDT:USDT` finds the
 * `BTC/USDT` file (the perpetual is replayed on the spot candles).
 *
 * @example
 * ```ts
 * import { findBundledCsv } from '@quantum-trader/runner';
 *
 * findBundledCsv('BTC/USDT', '5m'); // '…/data/binance/binance_BTCUSDT_5m_2020-12-01_2021-07-17.csv'
 * ```
 */
export function findBundledCsv(symbol: string, timeframe: string, dir?: string): string | undefined {
  const spot = symbol.split(':')[0];
  return listBundledData(dir).find((f) => f.symbol === spot && f.timeframe === timeframe)?.path;
}

/**
 * Loads the candles of every configured symbol, validated and cut to `config.from`/`config.to` (`[from, to)`).
 *
 * Files in `config.data.files` are matched to symbols by name (a name containing `BTCUSDT` or `BTC_USDT` is
 * BTC/USDT); files whose name names no symbol are given, in order, to the symbols still without a file; symbols
 * still without a file use the bundled data for `config.timeframe`. With `marketType: 'linear'` a symbol
 * `BTC/USDT` is returned as the perpetual `BTC/USDT:USDT`.
 *
 * Throws `UNKNOWN_SYMBOL` (naming the symbols that have data) for a symbol with no data,
 * `DATA_FILE_MISSING`/`DATA_INVALID` for a bad file or a range with no candles, and `CONFIG_INVALID` for files that
 * cannot be matched to the symbols. Nothing is written.
 *
 * @example
 * ```ts
 * import { defaultConfig, loadSymbolData } from '@quantum-trader/runner';
 *
 * const data = loadSymbolData({ ...defaultConfig, from: '2021-03-01', to: '2021-04-01' });
 * data.map((d) => `${d.symbol}: ${d.candles.length}`); // ['BTC/USDT:USDT: 8928', …]
 * ```
 */
export function loadSymbolData(config: RunnerConfig, options: LoadSymbolDataOptions = {}): SymbolData[] {
  const files = assignFiles(config.symbols, config.data.files ?? []);
  const from = config.from === undefined ? undefined : isoDateToMillis(config.from);
  const to = config.to === undefined ? undefined : isoDateToMillis(config.to);
  const timeframe = config.timeframe;

  return config.symbols.map((configured, i): SymbolData => {
    const symbol = tradedSymbol(configured, config.marketType);
    let source = files[i];
    if (source === undefined) {
      source = findBundledCsv(configured, timeframe, options.bundledDir);
      if (source === undefined) throw unknownSymbol(configured, timeframe, options.bundledDir);
    }
    const all = loadCandlesCsv(source);
    assertTimeframe(all, timeframe, source);
    const candles = from === undefined && to === undefined ? all : sliceCandles(all, from, to);
    if (candles.length === 0) {
      const first = new Date(all[0]!.ts).toISOString();
      const last = new Date(all[all.length - 1]!.ts).toISOString();
      throw new QuantumTraderError(
        'DATA_INVALID',
        `${source}: no ${configured} candles between ${config.from ?? 'the start'} and ${config.to ?? 'the end'}; ` +
          `the file covers ${first} to ${last} (change --from/--to)`,
      );
    }
    return { symbol, source, candles };
  });
}

/**
 * The symbol traded for a configured one: the USDⓈ-M perpetual `BASE/QUOTE:QUOTE` for linear markets, else spot.
 *
 * @example
 * ```ts
 * import { tradedSymbol } from '@quantum-trader/runner';
 *
 * tradedSymbol('BTC/USDT', 'linear'); // 'BTC/USDT:USDT'
 * tradedSymbol('BTC/USDT', 'spot'); // 'BTC/USDT'
 * ```
 */
export function tradedSymbol(symbol: string, marketType: 'linear' | 'spot'): SymbolId {
  if (marketType === 'spot' || symbol.includes(':')) return symbolId(symbol);
  const quote = symbol.split('/')[1] ?? '';
  return symbolId(`${symbol}:${quote}`);
}

/**
 * The configured symbols a file name mentions, e.g. `binance_BTCUSDT_5m.csv` or `BTC_USDT-5m.csv` → `BTC/USDT`.
 *
 * @example
 * ```ts
 * import { symbolsNamedByFile } from '@quantum-trader/runner';
 *
 * symbolsNamedByFile('data/BTC_USDT-5m.csv', ['BTC/USDT', 'ETH/USDT']); // ['BTC/USDT']
 * ```
 */
export function symbolsNamedByFile(file: string, symbols: readonly string[]): string[] {
  const tokens = basename(file).replace(/\.[^.]*$/, '').toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  const names = new Set(tokens);
  for (let i = 0; i + 1 < tokens.length; i++) names.add(tokens[i]! + tokens[i + 1]!);
  return symbols.filter((s) => names.has(compactSymbol(s)));
}

/**
 * Guesses the symbols that data files hold from their names, or `undefined` if a name names no known market.
 *
 * @example
 * ```ts
 * import { symbolsFromFileNames } from '@quantum-trader/runner';
 *
 * symbolsFromFileNames(['x/btcusdt-5m.csv', 'ETH_USDT.csv']); // ['BTC/USDT', 'ETH/USDT']
 * ```
 */
export function symbolsFromFileNames(files: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const file of files) {
    const tokens = basename(file).replace(/\.[^.]*$/, '').toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
    let found: string | undefined;
    for (let i = 0; i < tokens.length && found === undefined; i++) {
      const pair = tokens[i + 1] === undefined ? undefined : `${tokens[i]}/${tokens[i + 1]}`;
      if (pair !== undefined && (QUOTES as readonly string[]).includes(tokens[i + 1]!)) {
        found = pair;
      } else {
        found = splitCompactSymbol(tokens[i]!);
      }
    }
    if (found === undefined || out.includes(found)) return undefined;
    out.push(found);
  }
  return out;
}

function assignFiles(symbols: readonly string[], files: readonly string[]): (string | undefined)[] {
  const assigned: (string | undefined)[] = symbols.map(() => undefined);
  const unnamed: string[] = [];
  for (const file of files) {
    const named = symbolsNamedByFile(file, symbols);
    if (named.length > 1) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `data file ${file} names several symbols (${named.join(', ')}); use one file per symbol`,
      );
    }
    if (named.length === 0) {
      unnamed.push(file);
      continue;
    }
    const i = symbols.indexOf(named[0]!);
    const previous = assigned[i];
    if (previous !== undefined) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `data files ${previous} and ${file} both hold ${named[0]}; pass one file per symbol`,
      );
    }
    assigned[i] = file;
  }
  for (let i = 0; i < assigned.length && unnamed.length > 0; i++) {
    if (assigned[i] === undefined) assigned[i] = unnamed.shift();
  }
  if (unnamed.length > 0) {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      `data file${unnamed.length > 1 ? 's' : ''} ${unnamed.join(', ')} match${unnamed.length > 1 ? '' : 'es'} none of ` +
        `the symbols (${symbols.join(', ')}); add the symbol with --symbols, or name the file after it (e.g. BTCUSDT.csv)`,
    );
  }
  return assigned;
}

function assertTimeframe(candles: readonly Candle[], timeframe: Timeframe, source: string): void {
  if (candles.length < 2) return;
  let minStep = Number.POSITIVE_INFINITY;
  for (let i = 1; i < candles.length; i++) {
    const step = candles[i]!.ts - candles[i - 1]!.ts;
    if (step < minStep) minStep = step;
  }
  const expected = TIMEFRAME_MS[timeframe];
  if (minStep !== expected) {
    const seen = Object.entries(TIMEFRAME_MS).find(([, ms]) => ms === minStep)?.[0] ?? `${minStep / 1000} s`;
    throw new QuantumTraderError(
      'DATA_INVALID',
      `${source}: candles are ${seen} apart, expected ${timeframe} candles (the configured timeframe); ` +
        `set timeframe to match the file or pass ${timeframe} data`,
    );
  }
}

function unknownSymbol(symbol: string, timeframe: string, dir: string | undefined): QuantumTraderError {
  const bundled = listBundledData(dir);
  const here = bundled.filter((f) => f.timeframe === timeframe).map((f) => f.symbol);
  const available =
    here.length > 0
      ? `bundled ${timeframe} data covers ${here.join(', ')}`
      : `no ${timeframe} data is bundled (bundled: ${bundled.map((f) => `${f.symbol} ${f.timeframe}`).join(', ') || 'none'})`;
  return new QuantumTraderError(
    'UNKNOWN_SYMBOL',
    `no candle data for ${symbol} (${timeframe}): ${available}; pass a CSV for it with --data <file>`,
  );
}

function compactSymbol(symbol: string): string {
  const [pair = ''] = symbol.split(':');
  return pair.replace('/', '');
}

function splitCompactSymbol(compact: string): string | undefined {
  for (const quote of QUOTES) {
    if (compact.length > quote.length && compact.endsWith(quote)) {
      return `${compact.slice(0, -quote.length)}/${quote}`;
    }
  }
  return undefined;
}
