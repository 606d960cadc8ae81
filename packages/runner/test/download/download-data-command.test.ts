import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCandlesCsv, type Candle } from '@quantum-trader/core';
import type { BinanceStandIn } from '../../../adapters/ccxt/test-utils/binance-stand-in/binance-stand-in.js';
import { LINEAR, SPOT, startStandIn } from '../../../adapters/ccxt/test-utils/stand-in-harness.js';
import { main, type CliDeps } from '../../src/cli/main.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2021, 0, 1);
const N = 24 * 40; // 40 days of hourly candles
const HOLE = { from: 100, to: 103 };

function series(): Candle[] {
  const out: Candle[] = [];
  for (let i = 0; i < N; i++) {
    if (i >= HOLE.from && i < HOLE.to) continue;
    const p = 30_000 + 500 * Math.sin(i / 30);
    out.push({ ts: T0 + i * HOUR, open: p, high: p + 20, low: p - 15, close: p + 5, volume: 2 + (i % 5) });
  }
  return out;
}

function capture(): { deps: CliDeps; out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    deps: {
      runPaper: () => Promise.reject(new Error('not used')),
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: {},
    },
    out: () => stdout,
    err: () => stderr,
  };
}

describe('quantum-trader download-data', () => {
  let standIn: BinanceStandIn;
  let dir: string;

  beforeAll(async () => {
    standIn = await startStandIn();
    standIn.seedCandles(SPOT, '1h', series());
    standIn.seedCandles(LINEAR, '1h', series());
    dir = mkdtempSync(join(tmpdir(), 'qt-download-cli-'));
  });
  afterAll(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('downloads CSVs that loadCandlesCsv reads, shows progress on stderr and a table of files and gaps', async () => {
    const io = capture();
    const args = ['download-data', '--exchange', 'binance', '--symbols', 'BTC/USDT', '--timeframe', '1h'];
    const range = ['--from', '2021-01-01', '--to', '2021-02-10', '--out', dir, '--exchange-url', standIn.url];
    const code = await main([...args, ...range], io.deps);
    expect(io.err()).not.toMatch(/^error/m);
    expect(code).toBe(0);

    const files = readdirSync(dir);
    expect(files).toEqual(['binance_BTCUSDT_1h.csv']);
    const candles = loadCandlesCsv(join(dir, files[0]!));
    expect(candles).toHaveLength(N - (HOLE.to - HOLE.from));
    expect(candles[0]!.ts).toBe(T0);
    expect(candles[candles.length - 1]!.ts).toBe(T0 + (N - 1) * HOUR);

    expect(io.err()).toContain('Downloading 1h candles of BTC/USDT from binance');
    expect(io.err()).toContain(`BTC/USDT: ${N - 3} candles (1/1)`);
    expect(io.out()).toContain('binance_BTCUSDT_1h.csv');
    expect(io.out()).toMatch(/Gaps \(1\)/);
    expect(io.out()).toContain('2021-01-05T04:00:00Z'); // candle 100 = 4 days + 4 h
    expect(io.out()).toMatch(/│ 3\s+│/);

    // a second run resumes: nothing added
    const again = capture();
    expect(await main([...args, ...range], again.deps)).toBe(0);
    expect(again.out()).toMatch(/binance_BTCUSDT_1h\.csv[^\n]*│ 0\s+│ 957\s+│ yes/);
  });

  it('perpetuals: binanceusdm symbols with the settlement currency', async () => {
    const io = capture();
    const code = await main(
      ['download-data', '--exchange', 'binanceusdm', '--symbols', 'BTC/USDT:USDT', '--timeframe', '1h', '--from', '2021-01-01', '--to', '2021-01-03', '--out', dir, '--exchange-url', standIn.url],
      io.deps,
    );
    expect(io.err()).not.toMatch(/^error/m);
    expect(code).toBe(0);
    expect(loadCandlesCsv(join(dir, 'binanceusdm_BTCUSDT_1h.csv'))).toHaveLength(48);
    expect(io.out()).toContain('No gaps.');
  });

  it('bad input exits 2 with a clear message', async () => {
    const io = capture();
    const code = await main(
      ['download-data', '--exchange', 'binance', '--symbols', 'BTC/USDT', '--timeframe', '7q', '--from', '2021-01-01', '--to', '2021-01-03', '--out', dir],
      io.deps,
    );
    expect(code).toBe(2);
    expect(io.err()).toMatch(/--timeframe: "7q" is not a timeframe/);
  });
});
