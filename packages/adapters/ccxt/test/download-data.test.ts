import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exchange } from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCandlesCsv, type Candle } from '@quantum-trader/core';
import { CONTRACT_T0 } from '../../../core/test/contracts/broker-contract.js';
import { downloadData, type DownloadDataOptions, type DownloadProgress } from '../src/download/download-data.js';
import type { BinanceStandIn } from '../test-utils/binance-stand-in/binance-stand-in.js';
import { exchangeFor, FAST_RETRY, SPOT, startStandIn } from '../test-utils/stand-in-harness.js';

const MIN = 60_000;
const N = 3_000;
const HOLE = { from: 1_000, to: 1_010 }; // minutes with no candle at the venue
const FAR_FUTURE = () => CONTRACT_T0 + 10 * 365 * 86_400_000;

function series(): Candle[] {
  const out: Candle[] = [];
  for (let i = 0; i < N; i++) {
    if (i >= HOLE.from && i < HOLE.to) continue;
    const p = 30_000 + 100 * Math.sin(i / 50);
    out.push({ ts: CONTRACT_T0 + i * MIN, open: p, high: p + 7.5, low: p - 6.25, close: p + 1.5, volume: 1 + (i % 7) });
  }
  return out;
}

describe('downloadData', () => {
  let standIn: BinanceStandIn;
  let exchange: Exchange;
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'qt-download-'));
    dirs.push(d);
    return d;
  };
  const options = (outDir: string, o: Partial<DownloadDataOptions> = {}): DownloadDataOptions => ({
    exchange,
    symbols: [SPOT],
    timeframe: '1m',
    from: CONTRACT_T0,
    to: CONTRACT_T0 + N * MIN,
    outDir,
    pageSize: 500,
    retry: FAST_RETRY,
    now: FAR_FUTURE,
    ...o,
  });

  beforeAll(async () => {
    standIn = await startStandIn();
    standIn.seedCandles(SPOT, '1m', series());
    exchange = await exchangeFor(standIn, 'spot', { credentials: undefined });
  });
  afterAll(async () => {
    await exchange.close();
    await standIn.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('pages through fetchOHLCV into a CSV the backtester reads, and reports the gap', async () => {
    const dir = tmp();
    const progress: DownloadProgress[] = [];
    const report = await downloadData(options(dir, { onProgress: (p) => progress.push(p) }));
    const path = join(dir, 'binance_BTCUSDT_1m.csv');
    expect(report.files).toEqual([{ symbol: SPOT, path, added: N - 10, total: N - 10, resumed: false }]);
    expect(report.gaps).toEqual([{ symbol: SPOT, from: CONTRACT_T0 + HOLE.from * MIN, to: CONTRACT_T0 + HOLE.to * MIN, missing: 10 }]);
    const candles = loadCandlesCsv(path);
    expect(candles).toEqual(series());
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ done: true, fraction: 1, written: N - 10 });
    expect(progress.length).toBeGreaterThanOrEqual(Math.ceil(N / 500));
  });

  it('resumes an interrupted download where it stopped, writing nothing twice', async () => {
    const once = tmp();
    await downloadData(options(once));
    const dir = tmp();
    const abort = new AbortController();
    const first = await downloadData(options(dir, { signal: abort.signal, onProgress: (p) => p.written >= 500 && abort.abort() }));
    expect(first.files[0]).toMatchObject({ added: 500, resumed: false });
    const second = await downloadData(options(dir));
    expect(second.files[0]).toMatchObject({ added: N - 10 - 500, total: N - 10, resumed: true });
    const name = 'binance_BTCUSDT_1m.csv';
    expect(readFileSync(join(dir, name), 'utf8')).toBe(readFileSync(join(once, name), 'utf8'));
  });

  it('recovers a file cut in the middle of a line by a crash', async () => {
    const dir = tmp();
    await downloadData(options(dir, { to: CONTRACT_T0 + 700 * MIN }));
    const path = join(dir, 'binance_BTCUSDT_1m.csv');
    appendFileSync(path, `${CONTRACT_T0 + 700 * MIN},30000.5,300`);
    const report = await downloadData(options(dir));
    expect(report.files[0]).toMatchObject({ resumed: true, total: N - 10 });
    expect(loadCandlesCsv(path)).toEqual(series());
  });

  it('never writes the candle that is still forming', async () => {
    const dir = tmp();
    const report = await downloadData(options(dir, { now: () => CONTRACT_T0 + 1_500 * MIN + 30_000 }));
    expect(report.files[0]?.total).toBe(1_500 - 10);
    expect(loadCandlesCsv(report.files[0]!.path).at(-1)?.ts).toBe(CONTRACT_T0 + 1_499 * MIN);
    expect(report.gaps.at(-1)?.to).toBeLessThanOrEqual(CONTRACT_T0 + 1_500 * MIN);
  });

  it('rides out rate limits and outages', async () => {
    const dir = tmp();
    standIn.inject({ method: 'GET', path: '/api/v3/klines', fault: { kind: 'status', status: 429, retryAfterSec: 0 } });
    standIn.inject({ method: 'GET', path: '/api/v3/klines', fault: { kind: 'status', status: 502, text: 'Bad Gateway' } });
    const report = await downloadData(options(dir, { to: CONTRACT_T0 + 900 * MIN }));
    expect(report.files[0]?.total).toBe(900);
    expect(report.gaps).toEqual([]);
  });

  it('refuses an empty range and an unknown symbol', async () => {
    await expect(downloadData(options(tmp(), { to: CONTRACT_T0 }))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(downloadData(options(tmp(), { symbols: ['DOGE/USDT' as never] }))).rejects.toMatchObject({ code: 'UNKNOWN_SYMBOL' });
  });
});
