import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isQuantumTraderError, type QuantumTraderErrorCode } from '@quantum-trader/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type RunnerConfigInput } from '../../src/config/index.js';
import {
  bundledDataDir,
  findBundledCsv,
  listBundledData,
  loadSymbolData,
  runnerPackageRoot,
  symbolsFromFileNames,
  symbolsNamedByFile,
  tradedSymbol,
} from '../../src/data/bundled-data.js';

const dir = mkdtempSync(join(tmpdir(), 'qt-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2021, 0, 1);
function csvFile(name: string, rows = 4, stepMs = 300_000, start = T0): string {
  const lines = ['ts,open,high,low,close,volume'];
  for (let i = 0; i < rows; i++) lines.push(`${start + i * stepMs},${100 + i},${102 + i},${99 + i},${101 + i},${10 + i}`);
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function failure(input: RunnerConfigInput, bundledDir?: string): { code: QuantumTraderErrorCode; message: string } {
  try {
    loadSymbolData(loadConfig(undefined, input), bundledDir === undefined ? {} : { bundledDir });
  } catch (err) {
    if (isQuantumTraderError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected loadSymbolData to throw');
}

describe('bundled data', () => {
  it('finds the runner package root by walking up from the module', () => {
    expect(runnerPackageRoot()).toMatch(/packages[\\/]runner$/);
    expect(bundledDataDir()).toMatch(/packages[\\/]runner[\\/]data[\\/]binance$/);
  });

  it('lists the bundled 5m files of BTC, ETH and BNB', () => {
    const fiveMinute = listBundledData().filter((f) => f.timeframe === '5m');
    expect(fiveMinute.map((f) => f.symbol)).toEqual(['BNB/USDT', 'BTC/USDT', 'ETH/USDT']);
  });

  it('finds the file for a spot or perpetual symbol, and nothing for an unbundled one', () => {
    expect(findBundledCsv('BTC/USDT', '5m')).toMatch(/binance_BTCUSDT_5m_2020-12-01_2021-07-17\.csv$/);
    expect(findBundledCsv('ETH/USDT:USDT', '5m')).toMatch(/binance_ETHUSDT_5m_/);
    expect(findBundledCsv('BTC/USDT', '4h')).toBeUndefined();
    expect(findBundledCsv('DOGE/USDT', '5m')).toBeUndefined();
  });
});

describe('loadSymbolData', () => {
  it('loads the three default symbols as USDⓈ-M perpetuals, cut to [from, to)', () => {
    const data = loadSymbolData(loadConfig(undefined, { from: '2021-03-01', to: '2021-03-02' }));
    expect(data.map((d) => d.symbol)).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT', 'BNB/USDT:USDT']);
    for (const d of data) {
      expect(d.candles).toHaveLength(288);
      expect(d.candles[0]!.ts).toBe(Date.UTC(2021, 2, 1));
      expect(d.candles.at(-1)!.ts).toBe(Date.UTC(2021, 2, 1, 23, 55));
    }
    expect(data[0]!.source).toMatch(/binance_BTCUSDT_5m_/);
  });

  it('keeps spot symbols on a spot market', () => {
    const data = loadSymbolData(loadConfig(undefined, { marketType: 'spot', symbols: ['ETH/USDT'], from: '2021-07-17' }));
    expect(data.map((d) => d.symbol)).toEqual(['ETH/USDT']);
    expect(data[0]!.candles.at(-1)!.ts).toBe(Date.UTC(2021, 6, 17, 21, 10));
  });

  it('matches data files to symbols by name, whatever their order', () => {
    const eth = csvFile('ETH_USDT-5m.csv');
    const btc = csvFile('binance-btcusdt.csv');
    const data = loadSymbolData(loadConfig(undefined, { symbols: ['BTC/USDT', 'ETH/USDT'], data: { files: [eth, btc] } }));
    expect(data.map((d) => [d.symbol, d.source])).toEqual([
      ['BTC/USDT:USDT', btc],
      ['ETH/USDT:USDT', eth],
    ]);
    expect(data[0]!.candles).toHaveLength(4);
  });

  it('gives files that name no symbol to the remaining symbols in order, and bundled data to the rest', () => {
    const mine = csvFile('mine.csv');
    const data = loadSymbolData(loadConfig(undefined, { symbols: ['SOL/USDT', 'BTC/USDT'], data: { files: [mine] }, to: '2021-01-02' }));
    expect(data.map((d) => [d.symbol, d.source.endsWith('mine.csv') ? 'mine' : 'bundled'])).toEqual([
      ['SOL/USDT:USDT', 'mine'],
      ['BTC/USDT:USDT', 'bundled'],
    ]);
  });

  it('refuses an unknown symbol with no data, naming the symbols that have data', () => {
    expect(failure({ symbols: ['BTC/USDT', 'DOGE/USDT'] })).toEqual({
      code: 'UNKNOWN_SYMBOL',
      message:
        'no candle data for DOGE/USDT (5m): bundled 5m data covers BNB/USDT, BTC/USDT, ETH/USDT; pass a CSV for it with --data <file>',
    });
  });

  it('refuses a timeframe that is not bundled', () => {
    const { code, message } = failure({ timeframe: '4h' });
    expect(code).toBe('UNKNOWN_SYMBOL');
    expect(message).toContain('no candle data for BTC/USDT (4h): no 4h data is bundled (bundled: ');
    expect(message).toContain('BTC/USDT 5m');
  });

  it('refuses a missing data file, naming it', () => {
    const path = join(dir, 'BTCUSDT-missing.csv');
    expect(failure({ symbols: ['BTC/USDT'], data: { files: [path] } })).toEqual({
      code: 'DATA_FILE_MISSING',
      message: `${path}: no such file; expected a candle CSV file (check the path)`,
    });
  });

  it('refuses a malformed data file, naming file and line', () => {
    const path = join(dir, 'BTCUSDT-bad.csv');
    writeFileSync(path, `ts,open,high,low,close,volume\n${T0},1,2,0.5,1,1\n${T0 + 300_000},1,2,0.5,NaN,1\n`);
    expect(failure({ symbols: ['BTC/USDT'], data: { files: [path] } })).toEqual({
      code: 'DATA_INVALID',
      message: `${path} line 3: close: got "NaN", expected a finite number`,
    });
  });

  it('refuses a file whose candle spacing is not the configured timeframe', () => {
    const path = csvFile('BTCUSDT-1m.csv', 5, 60_000);
    expect(failure({ symbols: ['BTC/USDT'], data: { files: [path] } })).toEqual({
      code: 'DATA_INVALID',
      message: `${path}: candles are 1m apart, expected 5m candles (the configured timeframe); set timeframe to match the file or pass 5m data`,
    });
  });

  it('refuses a date range with no candles, saying what the file covers', () => {
    const path = csvFile('BTCUSDT-early.csv');
    expect(failure({ symbols: ['BTC/USDT'], data: { files: [path] }, from: '2022-01-01' })).toEqual({
      code: 'DATA_INVALID',
      message: `${path}: no BTC/USDT candles between 2022-01-01 and the end; the file covers 2021-01-01T00:00:00.000Z to 2021-01-01T00:15:00.000Z (change --from/--to)`,
    });
  });

  it('refuses two files for one symbol, and files left over', () => {
    const a = csvFile('BTCUSDT-a.csv');
    const b = csvFile('BTC_USDT-b.csv');
    expect(failure({ symbols: ['BTC/USDT'], data: { files: [a, b] } })).toEqual({
      code: 'CONFIG_INVALID',
      message: `data files ${a} and ${b} both hold BTC/USDT; pass one file per symbol`,
    });
    const x = csvFile('x.csv');
    expect(failure({ symbols: ['BTC/USDT'], data: { files: [a, x] } })).toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(`data file ${x} matches none of the symbols (BTC/USDT)`),
    });
  });

  it('reads the bundled files from another folder when told to', () => {
    const fake = mkdtempSync(join(dir, 'bundle-'));
    writeFileSync(join(fake, 'binance_SOLUSDT_5m_2021-01-01_2021-01-01.csv'), `ts,open,high,low,close,volume\n${T0},1,2,0.5,1,1\n`);
    const data = loadSymbolData(loadConfig(undefined, { symbols: ['SOL/USDT'], marketType: 'spot' }), { bundledDir: fake });
    expect(data.map((d) => [d.symbol, d.candles.length])).toEqual([['SOL/USDT', 1]]);
    expect(failure({ symbols: ['BTC/USDT'] }, fake).message).toContain('bundled 5m data covers SOL/USDT');
  });
});

describe('symbol helpers', () => {
  it('maps configured symbols to the traded market', () => {
    expect(tradedSymbol('BTC/USDT', 'linear')).toBe('BTC/USDT:USDT');
    expect(tradedSymbol('BTC/USDT:USDT', 'linear')).toBe('BTC/USDT:USDT');
    expect(tradedSymbol('BTC/USDT', 'spot')).toBe('BTC/USDT');
  });

  it('recognises symbols in file names without confusing look-alikes', () => {
    const symbols = ['BTC/USDT', 'ETH/USDT'];
    expect(symbolsNamedByFile('/x/binance_BTCUSDT_5m_2020.csv', symbols)).toEqual(['BTC/USDT']);
    expect(symbolsNamedByFile('eth_usdt.csv', symbols)).toEqual(['ETH/USDT']);
    expect(symbolsNamedByFile('WBTCUSDT.csv', symbols)).toEqual([]);
    expect(symbolsNamedByFile('prices.csv', symbols)).toEqual([]);
  });

  it('guesses the symbols of a list of files, or gives up', () => {
    expect(symbolsFromFileNames(['a/binance_BTCUSDT_5m_x.csv', 'SOL_USDT.csv', 'ethbtc.csv'])).toEqual(['BTC/USDT', 'SOL/USDT', 'ETH/BTC']);
    expect(symbolsFromFileNames(['prices.csv'])).toBeUndefined();
    expect(symbolsFromFileNames(['BTCUSDT.csv', 'btc_usdt.csv'])).toBeUndefined();
  });
});
