import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import { QuantumTraderError, symbolId, TIMEFRAME_MS, type KernelLogger, type Timeframe } from '@quantum-trader/core';
import { createCcxtExchange, downloadData, type DownloadProgress, type DownloadReport } from '@quantum-trader/ccxt';
import { isoDateToMillis } from '../config/index.js';
import type { CliDeps } from './main.js';
import { redactSecrets } from './redact-secrets.js';

/** Flags of `quantum-trader download-data`, as commander parses them. */
export interface DownloadDataFlags {
  readonly exchange: string;
  readonly symbols: string[];
  readonly timeframe: string;
  readonly from: string;
  readonly to: string;
  readonly out?: string;
  readonly exchangeUrl?: string;
}

/** Default folder of downloaded CSV files. */
export const DEFAULT_DOWNLOAD_DIR = 'data';

/**
 * `quantum-trader download-data`: pages the venue's public candle history into one CSV per symbol (the files
 * `--data` and the backtester read), with a progress bar on stderr and a table of files and gaps on stdout.
 * Resumes existing files. Public data: no keys needed.
 *
 * @example
 * ```ts
 * await downloadDataCommand({ exchange: 'binance', symbols: ['BTC/USDT'], timeframe: '1h', from: '2024-01-01', to: '2024-02-01' }, deps);
 * ```
 */
export async function downloadDataCommand(flags: DownloadDataFlags, deps: CliDeps, signal?: AbortSignal): Promise<DownloadReport> {
  if (flags.symbols.length === 0) throw new QuantumTraderError('CONFIG_INVALID', '--symbols: give at least one symbol, e.g. BTC/USDT');
  if (!Object.hasOwn(TIMEFRAME_MS, flags.timeframe)) {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      `--timeframe: "${flags.timeframe}" is not a timeframe; use one of ${Object.keys(TIMEFRAME_MS).join(', ')}`,
    );
  }
  const timeframe = flags.timeframe as Timeframe;
  const from = parseDate('--from', flags.from);
  const to = parseDate('--to', flags.to);
  if (to <= from) throw new QuantumTraderError('CONFIG_INVALID', `--to (${flags.to}) must be after --from (${flags.from})`);
  const outDir = resolve(flags.out ?? DEFAULT_DOWNLOAD_DIR);
  const symbols = flags.symbols.map((s) => symbolId(s));

  const exchange = await createCcxtExchange({
    exchangeId: flags.exchange,
    // public market data only: no keys are loaded, so "mainnet" cannot trade
    mode: 'mainnet',
    allowMainnet: true,
    ...(flags.exchangeUrl !== undefined ? { baseUrl: flags.exchangeUrl } : {}),
  });
  const bar = createBar(deps);
  try {
    deps.stderr.write(`Downloading ${timeframe} candles of ${symbols.join(', ')} from ${flags.exchange} into ${outDir}\n`);
    const report = await downloadData({
      exchange,
      symbols,
      timeframe,
      from,
      to,
      outDir,
      onProgress: (p) => bar.update(p),
      logger: warnLogger((line) => bar.log(redactSecrets(line, deps.env))),
      ...(signal !== undefined ? { signal } : {}),
    });
    bar.stop();
    deps.stdout.write(`${renderDownloadReport(report)}\n`);
    return report;
  } finally {
    bar.stop();
    await exchange.close().catch(() => undefined);
  }
}

/** The table of files (and gaps, if any) printed after a download. */
export function renderDownloadReport(report: DownloadReport): string {
  const files = new Table({ head: ['Symbol', 'File', 'Added', 'Total', 'Resumed'], style: { head: [], border: [] } });
  for (const f of report.files) files.push([f.symbol, f.path, String(f.added), String(f.total), f.resumed ? 'yes' : 'no']);
  if (report.gaps.length === 0) return `${files.toString()}\nNo gaps.`;
  const gaps = new Table({ head: ['Symbol', 'Gap from (UTC)', 'To (UTC)', 'Missing candles'], style: { head: [], border: [] } });
  for (const g of report.gaps) gaps.push([g.symbol, iso(g.from), iso(g.to), String(g.missing)]);
  return `${files.toString()}\nGaps (${report.gaps.length}):\n${gaps.toString()}`;
}

interface Bar {
  update(p: DownloadProgress): void;
  log(line: string): void;
  stop(): void;
}

function createBar(deps: CliDeps): Bar {
  const target = deps.stderr;
  if (target.isTTY !== true) {
    // CI / pipes: one line per symbol finished, no redraws
    return {
      update: (p) => {
        if (p.done) target.write(`${p.symbol}: ${p.written} candles (${p.symbolIndex + 1}/${p.symbolCount})\n`);
      },
      log: (line) => target.write(`${line}\n`),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: target as unknown as NodeJS.WritableStream,
      format: '{symbol} [{bar}] {percentage}% | {written} candles | symbol {index}/{count}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  return {
    update: (p) => {
      const payload = { symbol: p.symbol, written: p.written, index: p.symbolIndex + 1, count: p.symbolCount };
      const value = Math.round(((p.symbolIndex + p.fraction) / p.symbolCount) * 1000);
      if (!started) {
        bar.start(1000, value, payload);
        started = true;
      } else bar.update(value, payload);
    },
    log: (line) => target.write(`\n${line}\n`),
    stop: () => {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}

function warnLogger(write: (line: string) => void): KernelLogger {
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (_fields, message) => write(`warning: ${message}`),
    error: (_fields, message) => write(`error: ${message}`),
  };
}

function parseDate(flag: string, value: string): number {
  const t = isoDateToMillis(value);
  if (t === undefined) throw new QuantumTraderError('CONFIG_INVALID', `${flag}: "${value}" is not an ISO date (UTC), e.g. 2024-01-01`);
  return t;
}

function iso(ts: number): string {
  return new Date(ts).toISOString().replace('.000Z', 'Z');
}
