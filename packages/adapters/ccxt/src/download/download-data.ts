import { join } from 'node:path';
import {
  QuantumTraderError,
  silentLogger,
  TIMEFRAME_MS,
  type Candle,
  type KernelLogger,
  type SymbolId,
  type Timeframe,
  type UnixMillis,
} from '@quantum-trader/core';
import type { Exchange } from 'ccxt';
import { redact } from '../credentials/redact.js';
import { VenueCaller, type RetryPolicy } from '../retry/venue-caller.js';
import { CandleCsvFile } from './candle-csv-file.js';

/**
 * Where a download stands, reported after every page.
 *
 * @example
 * ```ts
 * const onProgress = (p: DownloadProgress) => bar.update(p.fraction, { symbol: p.symbol });
 * ```
 */
export interface DownloadProgress {
  readonly symbol: SymbolId;
  /** Index of the symbol (0-based) and how many there are. */
  readonly symbolIndex: number;
  readonly symbolCount: number;
  /** Candles written for this symbol in this run. */
  readonly written: number;
  /** Candle slots in this symbol's range still to fetch when it started (an upper bound: gaps are counted). */
  readonly expected: number;
  /** 0…1 for this symbol. */
  readonly fraction: number;
  /** Open time of the newest candle in the file. */
  readonly lastTs: UnixMillis | undefined;
  readonly done: boolean;
}

/**
 * Candles missing from the venue's history: every slot in `[from, to)` (open times, timeframe apart) is empty.
 *
 * @example
 * ```ts
 * for (const g of report.gaps) console.warn(`${g.symbol}: ${g.missing} candles missing from ${new Date(g.from).toISOString()}`);
 * ```
 */
export interface CandleGap {
  readonly symbol: SymbolId;
  readonly from: UnixMillis;
  readonly to: UnixMillis;
  readonly missing: number;
}

/**
 * What {@link downloadData} did, per file.
 *
 * @example
 * ```ts
 * const { files, gaps } = await downloadData(options);
 * ```
 */
export interface DownloadReport {
  readonly files: ReadonlyArray<{
    readonly symbol: SymbolId;
    readonly path: string;
    /** Candles written in this run. */
    readonly added: number;
    /** Candles in the file now. */
    readonly total: number;
    /** The file existed and the download continued after its last candle. */
    readonly resumed: boolean;
  }>;
  /** Missing candles inside `[from, to)` (in the file, old or new part), per symbol. */
  readonly gaps: readonly CandleGap[];
}

/**
 * Settings of {@link downloadData}.
 *
 * @example
 * ```ts
 * const options: DownloadDataOptions = {
 *   exchange, symbols: [symbolId('BTC/USDT')], timeframe: '1m',
 *   from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 1, 1), outDir: 'data',
 * };
 * ```
 */
export interface DownloadDataOptions {
  /** A ccxt exchange (public data: no credentials needed). Not closed by the download. */
  readonly exchange: Exchange;
  readonly symbols: readonly SymbolId[];
  readonly timeframe: Timeframe;
  /** First candle open time wanted (inclusive). */
  readonly from: UnixMillis;
  /** End of the range (exclusive); candles still forming at `now()` are never written. */
  readonly to: UnixMillis;
  /** Folder of the CSV files. */
  readonly outDir: string;
  /** File name of a symbol (default `<exchange>_<BASE><QUOTE>_<timeframe>.csv`, e.g. `binanceusdm_BTCUSDT_1m.csv`). */
  readonly fileName?: (symbol: SymbolId, timeframe: Timeframe, exchangeId: string) => string;
  /** Candles per request (default 1 000; Binance allows up to 1 000 spot / 1 500 futures). */
  readonly pageSize?: number;
  readonly onProgress?: (progress: DownloadProgress) => void;
  readonly retry?: RetryPolicy;
  readonly logger?: KernelLogger;
  /** Wall clock (default `Date.now`), to leave out the forming candle. */
  readonly now?: () => UnixMillis;
  /** Stops between pages; what was written stays and the next run resumes there. */
  readonly signal?: AbortSignal;
}

/**
 * Downloads candles with `fetchOHLCV` page by page into one CSV per symbol (the format `loadCandlesCsv` and the
 * backtester read). A file that already exists is resumed after its last candle, so an interrupted run continues
 * where it stopped; candle slots the venue has no data for are reported as gaps. Retryable venue errors (rate
 * limits, outages) are retried with back-off.
 *
 * @throws QuantumTraderError `CONFIG_INVALID` for an empty range or symbol list, `UNKNOWN_SYMBOL` for a symbol the
 * exchange does not list, `DATA_INVALID` when an existing file is not a candle CSV, `BROKER_FAILED` when the venue
 * keeps failing.
 * @example
 * ```ts
 * const report = await downloadData({
 *   exchange: await createCcxtExchange({ exchangeId: 'binance', mode: 'mainnet', allowMainnet: true }),
 *   symbols: [symbolId('BTC/USDT')], timeframe: '1m', from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 1, 1),
 *   outDir: 'data', onProgress: (p) => console.log(p.symbol, Math.round(p.fraction * 100), '%'),
 * });
 * console.log(report.files[0]?.path, report.gaps.length, 'gaps');
 * ```
 */
export async function downloadData(options: DownloadDataOptions): Promise<DownloadReport> {
  const { exchange: ex, timeframe, symbols } = options;
  const tf = TIMEFRAME_MS[timeframe];
  if (tf === undefined) throw new QuantumTraderError('CONFIG_INVALID', `downloadData: unknown timeframe "${String(timeframe)}"`);
  if (symbols.length === 0) throw new QuantumTraderError('CONFIG_INVALID', 'downloadData: symbols must list at least one symbol');
  if (!(options.to > options.from)) {
    throw new QuantumTraderError('CONFIG_INVALID', `downloadData: "to" (${iso(options.to)}) must be after "from" (${iso(options.from)})`);
  }
  const logger = options.logger ?? silentLogger;
  const secrets = [ex.apiKey, ex.secret].filter((s): s is string => typeof s === 'string');
  const caller = new VenueCaller(ex, options.retry, logger, (t) => redact(t, secrets));
  const pageSize = options.pageSize ?? 1_000;
  const now = options.now ?? Date.now;
  await caller.call('loadMarkets', () => ex.loadMarkets());
  const missing = symbols.filter((s) => ex.markets?.[s] === undefined);
  if (missing.length > 0) throw new QuantumTraderError('UNKNOWN_SYMBOL', `${ex.id} does not list ${missing.join(', ')}`);

  const start = Math.ceil(options.from / tf) * tf;
  const files: Array<DownloadReport['files'][number]> = [];
  const gaps: CandleGap[] = [];
  for (let si = 0; si < symbols.length; si++) {
    const symbol = symbols[si]!;
    // a candle is written only once it has closed
    const end = Math.min(options.to, Math.floor(now() / tf) * tf);
    const path = join(options.outDir, (options.fileName ?? defaultFileName)(symbol, timeframe, ex.id));
    const file = CandleCsvFile.open(path);
    const resumed = file.lastTs !== undefined;
    let cursor = Math.max(start, file.lastTs === undefined ? start : file.lastTs + tf);
    const expected = Math.max(0, Math.ceil((end - cursor) / tf));
    let written = 0;
    const report = (done: boolean): void =>
      options.onProgress?.({
        symbol,
        symbolIndex: si,
        symbolCount: symbols.length,
        written,
        expected,
        fraction: expected === 0 ? 1 : Math.min(1, done ? 1 : 1 - Math.max(0, end - cursor) / (expected * tf)),
        lastTs: file.lastTs,
        done,
      });
    report(false);
    while (cursor < end) {
      if (options.signal?.aborted === true) break;
      const since = cursor;
      const rows = await caller.call(`fetchOHLCV ${symbol} ${timeframe} since ${iso(since)}`, () => ex.fetchOHLCV(symbol, timeframe, since, pageSize));
      const page: Candle[] = [];
      for (const r of rows) {
        const [ts, open, high, low, close, volume] = r;
        if (typeof ts !== 'number' || ts < since || ts >= end) continue;
        if (![open, high, low, close].every((v) => typeof v === 'number' && Number.isFinite(v))) continue;
        const c: Candle = { ts, open: open!, high: high!, low: low!, close: close!, volume: typeof volume === 'number' ? volume : 0 };
        if (!(c.low <= Math.min(c.open, c.close) && c.high >= Math.max(c.open, c.close) && c.low > 0 && c.volume >= 0)) {
          logger.warn({ symbol, ts }, 'skipped a candle with inconsistent values from the venue (reported as a gap)');
          continue;
        }
        page.push(c);
      }
      page.sort((a, b) => a.ts - b.ts);
      written += file.append(page);
      const newest = page[page.length - 1]?.ts;
      if (newest === undefined) {
        // nothing at or after `since` in the venue's history (up to now): the rest of the range is empty
        cursor = end;
      } else {
        cursor = newest + tf;
      }
      report(false);
      if (rows.length === 0) break;
    }
    report(true);
    for (const g of gapsIn(file.times, start, end, tf)) gaps.push({ symbol, ...g });
    files.push({ symbol, path, added: written, total: file.times.length, resumed });
  }
  return { files, gaps };
}

/** Empty candle slots in `[from, to)` given the sorted open times present. */
function gapsIn(times: readonly number[], from: number, to: number, tf: number): Array<{ from: number; to: number; missing: number }> {
  const out: Array<{ from: number; to: number; missing: number }> = [];
  let expected = from;
  for (const ts of times) {
    if (ts < from) continue;
    if (ts >= to) break;
    if (ts > expected) out.push({ from: expected, to: ts, missing: Math.round((ts - expected) / tf) });
    expected = ts + tf;
  }
  if (expected < to) out.push({ from: expected, to, missing: Math.ceil((to - expected) / tf) });
  return out;
}

function defaultFileName(symbol: SymbolId, timeframe: Timeframe, exchangeId: string): string {
  const pair = symbol.split(':')[0]!.replace('/', '');
  return `${exchangeId}_${pair}_${timeframe}.csv`;
}

function iso(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts).toISOString() : String(ts);
}
