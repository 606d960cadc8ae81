import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCandlesCsv, sliceCandles } from '../../src/data/index.js';
import { QuantumTraderError } from '../../src/errors/quantum-trader-error.js';

const BUNDLED = fileURLToPath(
  new URL('../../../runner/data/binance/binance_BTCUSDT_5m_2020-12-01_2021-07-17.csv', import.meta.url),
);
const dir = mkdtempSync(join(tmpdir(), 'qt-candles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): QuantumTraderError {
  try {
    fn();
  } catch (err) {
    if (err instanceof QuantumTraderError) return err;
    throw err;
  }
  throw new Error('expected a QuantumTraderError');
}

describe('loadCandlesCsv', () => {
  it('loads the bundled BTC/USDT 5m file: every row, first and last open time', () => {
    const candles = loadCandlesCsv(BUNDLED);
    expect(candles).toHaveLength(65_741);
    expect(candles[0]).toEqual({ ts: 1_606_780_800_000, open: 19695.87, high: 19720, low: 19578.96, close: 19607.03, volume: 794.500517 });
    expect(candles[0]!.ts).toBe(Date.UTC(2020, 11, 1, 0, 0));
    expect(candles.at(-1)!.ts).toBe(Date.UTC(2021, 6, 17, 21, 5));
  });

  it('names the path of a missing file with DATA_FILE_MISSING', () => {
    const path = join(dir, 'nope.csv');
    const err = thrown(() => loadCandlesCsv(path));
    expect(err.code).toBe('DATA_FILE_MISSING');
    expect(err.message).toBe(`${path}: no such file; expected a candle CSV file (check the path)`);
  });

  it('refuses a folder with DATA_FILE_MISSING', () => {
    const err = thrown(() => loadCandlesCsv(dir));
    expect(err.code).toBe('DATA_FILE_MISSING');
    expect(err.message).toContain(`${dir}: is a folder`);
  });

  it('refuses an empty file with DATA_INVALID naming the path', () => {
    const path = join(dir, 'empty.csv');
    writeFileSync(path, '');
    const err = thrown(() => loadCandlesCsv(path));
    expect(err.code).toBe('DATA_INVALID');
    expect(err.message).toContain(`${path}: the file is empty`);
  });

  it('names the file and line of a malformed row', () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'ts,open,high,low,close,volume\n1609459200000,10,12,9,11,5\n1609459500000,10,12,9,oops,5\n');
    const err = thrown(() => loadCandlesCsv(path));
    expect(err.code).toBe('DATA_INVALID');
    expect(err.message).toBe(`${path} line 3: close: got "oops", expected a finite number`);
  });
});

describe('sliceCandles', () => {
  const candles = [0, 1, 2, 3, 4].map((i) => ({ ts: 1000 * i, open: 1, high: 1, low: 1, close: 1, volume: 0 }));
  const tsOf = (cs: readonly { ts: number }[]) => cs.map((c) => c.ts);

  it('keeps candles whose open time is in [from, to)', () => {
    expect(tsOf(sliceCandles(candles, 1000, 3000))).toEqual([1000, 2000]);
    expect(tsOf(sliceCandles(candles, 999, 3001))).toEqual([1000, 2000, 3000]);
  });

  it('treats a missing bound as open-ended', () => {
    expect(tsOf(sliceCandles(candles))).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(tsOf(sliceCandles(candles, 3000))).toEqual([3000, 4000]);
    expect(tsOf(sliceCandles(candles, undefined, 1000))).toEqual([0]);
  });

  it('returns an empty array for a range outside the data or reversed', () => {
    expect(sliceCandles(candles, 10_000)).toEqual([]);
    expect(sliceCandles(candles, 3000, 1000)).toEqual([]);
  });

  it('slices the bundled file to one day', () => {
    const day = sliceCandles(loadCandlesCsv(BUNDLED), Date.UTC(2021, 0, 1), Date.UTC(2021, 0, 2));
    expect(day).toHaveLength(288);
    expect(day[0]!.ts).toBe(Date.UTC(2021, 0, 1));
  });
});
