import { isQuantumTraderError, type QuantumTraderErrorCode } from '@quantum-trader/core';
import { describe, expect, it } from 'vitest';
import { backtest, backtestSweep, type BacktestOptions } from '../src/index.js';
import { candles, FAST, M5, SYM, testInstrument, type Row } from './helpers.js';

const rows: Row[] = Array.from({ length: 30 }, (_, i) => [100 + i, 101 + i, 99 + i, 100.5 + i] as Row);
const good: BacktestOptions = { instruments: [testInstrument()], strategy: FAST, data: [{ symbol: SYM, candles: candles(rows) }] };

async function failure(options: BacktestOptions): Promise<{ code: QuantumTraderErrorCode; message: string }> {
  try {
    await backtest(options);
  } catch (err) {
    if (isQuantumTraderError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected the backtest to fail');
}

describe('bad inputs give a clear QuantumTraderError naming the problem', () => {
  it('empty data', async () => {
    expect(await failure({ ...good, data: [] })).toMatchObject({ code: 'DATA_INVALID', message: expect.stringMatching(/no data \(empty data\)/) });
    expect(await failure({ ...good, data: [{ symbol: SYM, candles: [] }] })).toMatchObject({
      code: 'DATA_INVALID',
      message: `${SYM}: no candles (empty data); pass at least one candle per symbol`,
    });
  });

  it('a range without candles', async () => {
    const { code, message } = await failure({ ...good, from: '2022-01-01' });
    expect(code).toBe('DATA_INVALID');
    expect(message).toMatch(/TEST\/USDT:USDT: no candles between 2022-01-01 and the end .* the data covers 2021-01-01 00:00 to 2021-01-01 02:25/);
  });

  it('a gap, naming the symbol, the missing candles and the way around it', async () => {
    const gapped = candles(rows).filter((_, i) => i < 10 || i > 12);
    const { code, message } = await failure({ ...good, data: [{ symbol: SYM, candles: gapped }] });
    expect(code).toBe('DATA_INVALID');
    expect(message).toBe(
      `${SYM}: gap in the data: 3 candles missing between 2021-01-01 00:45 and 2021-01-01 01:05 UTC; choose from/to around it, or pass allowGaps: true to trade through it (orders then wait for the next candle)`,
    );
    await expect(backtest({ ...good, data: [{ symbol: SYM, candles: gapped }], allowGaps: true })).resolves.toBeDefined();
  });

  it('unsorted data', async () => {
    const c = candles(rows);
    [c[5], c[6]] = [c[6]!, c[5]!];
    const { code, message } = await failure({ ...good, data: [{ symbol: SYM, candles: c }] });
    expect(code).toBe('DATA_INVALID');
    expect(message).toMatch(/TEST\/USDT:USDT: candles are not sorted by time: candles 6 \(2021-01-01 00:25\) does not come after candles 5 \(2021-01-01 00:30\)/);
  });

  it('an invalid candle', async () => {
    const c = candles(rows);
    c[3] = { ...c[3]!, high: 50 };
    expect(await failure({ ...good, data: [{ symbol: SYM, candles: c }] })).toMatchObject({
      code: 'DATA_INVALID',
      message: expect.stringMatching(/candles 3 \(2021-01-01 00:15\) is not a valid OHLCV candle \(open 103, high 50/),
    });
  });

  it('an unknown strategy, listing the known ones', async () => {
    expect(await failure({ ...good, strategy: 'mean-reversion' })).toEqual({
      code: 'UNKNOWN_STRATEGY',
      message: 'unknown strategy "mean-reversion"; known strategies: momentum, momentum-24h (register your own with registerStrategy)',
    });
  });

  it('a strategy parameter out of range, or unknown', async () => {
    expect(await failure({ ...good, strategy: { name: 'momentum', params: { lookbackHours: -3 } } })).toEqual({
      code: 'PARAMETER_OUT_OF_RANGE',
      message: 'strategy momentum: parameter lookbackHours (look-back of the momentum, in hours) must be a number > 0 and <= 2160, got -3',
    });
    expect(await failure({ ...good, strategy: { name: 'momentum', params: { lookback: 3 } } })).toMatchObject({
      code: 'CONFIG_INVALID',
      message: 'strategy momentum has no parameter "lookback"; its parameters are lookbackHours, longThreshold, shortThreshold',
    });
  });

  it('a backtest option out of range', async () => {
    expect(await failure({ ...good, risk: { leverage: 20, maxLeverage: 10 } })).toMatchObject({
      code: 'PARAMETER_OUT_OF_RANGE',
      message: 'backtest: risk.leverage must be between 1 and risk.maxLeverage (10), got 20',
    });
    expect(await failure({ ...good, initialBalance: 0 })).toMatchObject({ code: 'PARAMETER_OUT_OF_RANGE', message: expect.stringMatching(/initialBalance must be a number > 0, got 0/) });
    expect(await failure({ ...good, exits: { stopLossPct: 2 } })).toMatchObject({ code: 'PARAMETER_OUT_OF_RANGE', message: expect.stringMatching(/exits.stopLossPct/) });
    expect(await failure({ ...good, maxVolumeParticipation: 1.5 })).toMatchObject({ code: 'PARAMETER_OUT_OF_RANGE' });
  });

  it('candles that match no timeframe, or the wrong one', async () => {
    const odd = candles(rows).map((c, i) => ({ ...c, ts: c.ts + i * 1000 }));
    expect(await failure({ ...good, data: [{ symbol: SYM, candles: odd }] })).toMatchObject({ code: 'DATA_INVALID', message: expect.stringMatching(/301 s apart, which is no supported timeframe/) });
    expect(await failure({ ...good, timeframe: '1m' })).toMatchObject({ code: 'DATA_INVALID', message: expect.stringMatching(/candles are 5m apart but timeframe is 1m/) });
  });

  it('a symbol without market rules', async () => {
    expect(await failure({ data: [{ symbol: 'DOGE/USDT', candles: candles(rows) }] })).toMatchObject({
      code: 'UNKNOWN_SYMBOL',
      message: expect.stringMatching(/no market rules for DOGE\/USDT:USDT: pass them in instruments/),
    });
  });

  it('refinement candles that are not finer than the run', async () => {
    const coarse = candles(rows).filter((_, i) => i % 2 === 0).map((c) => ({ ...c }));
    const tenMin = coarse.map((c, i) => ({ ...c, ts: coarse[0]!.ts + i * 2 * M5 }));
    expect(await failure({ ...good, refine: [{ symbol: SYM, candles: tenMin }] })).toMatchObject({ code: 'DATA_INVALID' });
  });

  it('a sweep fails before any thread starts, naming the combination', async () => {
    await expect(
      backtestSweep(good, { grid: { lookbackHours: [1, -1] }, threads: 2 }),
    ).rejects.toThrow(/^sweep combination lookbackHours=-1: strategy momentum: parameter lookbackHours/);
    await expect(backtestSweep(good, { grid: { 'risk.leverag': [1] } })).rejects.toThrow(/risk has no option "leverag"; expected one of maxNotionalPerTrade/);
    await expect(backtestSweep({ ...good, strategy: { id: 'x', warmupCandles: 0, onCandle: () => {}, evaluate: () => undefined } as never }, { grid: { lookbackHours: [1] } })).rejects.toThrow(
      /the strategy must be chosen by name/,
    );
  });
});
