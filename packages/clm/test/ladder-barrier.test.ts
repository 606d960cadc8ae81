import { candleColumnsFrom } from '@quantum-trader/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LADDER_BARRIER, simulateLadderTrade, standardLadderTakeProfits, type LadderBarrier } from '../src/index.js';
import { candle } from './fixtures.js';

const plain: LadderBarrier = {
  ...DEFAULT_LADDER_BARRIER,
  takeProfits: () => [0.01, 0.02, 0.03],
  takerFee: 0,
  makerFee: 0,
  slippage: 0,
};

type Ohlc = readonly [number, number, number, number];
// Candle 0 is the signal's candle, candle 1 the entry (filled at its open, 100); exits work from candle 2.
const run = (after: readonly Ohlc[], side: 'long' | 'short' = 'long', barrier: LadderBarrier = plain) =>
  simulateLadderTrade(
    candleColumnsFrom([[100, 100, 100, 100] as Ohlc, [100, 100.2, 99.8, 100] as Ohlc, ...after].map((o, i) => candle(i, o))),
    0,
    side,
    0.01,
    barrier,
  );

describe('the ladder barrier rule of simulated labels', () => {
  it.each([
    ['a candle touching both the stop and a take profit exits at the stop (adverse extreme first)', [[100, 104, 97.5, 100]], 'long', -0.02, 'sl', 2],
    ['the full ladder closes 30 % at TP1, 30 % at TP2 and 40 % at TP3', [[100, 101.5, 99.5, 101], [101, 103.5, 100.5, 103]], 'long', 0.003 + 0.006 + 0.012, 'tp3', 3],
    ['TP1 then the stop on the remaining 70 %', [[100, 101.5, 99.5, 101], [100, 100.5, 97, 97.5]], 'long', 0.003 - 0.014, 'sl', 3],
    ['a gap through the stop fills at the (worse) open', [[96, 97, 95, 96.5]], 'long', -0.04, 'sl', 2],
    ['a gap through take profits fills them at the (better) open', [[102.5, 103, 102.2, 102.8]], 'long', 0.0075 + 0.0075 + 0.012, 'tp3', 2],
    ['a short mirrors it: TP1 below, then the stop above', [[100, 100.5, 98.9, 99], [99, 102.5, 98.5, 102]], 'short', 0.003 - 0.014, 'sl', 3],
  ] as const)('%s', (_name, after, side, ret, reason, exitIndex) => {
    const t = run(after as unknown as Ohlc[], side);
    expect(t).toBeDefined();
    expect(t!.ret).toBeCloseTo(ret, 12);
    expect(t!.exitReason).toBe(reason);
    expect(t!.exitIndex).toBe(exitIndex);
  });

  it('closes what is left at the close after maxHoldCandles', () => {
    const flat: Ohlc = [100, 100.5, 99.5, 100];
    const t = run([flat, flat, [100, 100.5, 99.5, 100.2]], 'long', { ...plain, maxHoldCandles: 3 });
    expect(t).toEqual({ ret: expect.closeTo(0.002, 12) as number, exitIndex: 4, exitReason: 'timeout' });
  });

  it('gives no label when the candles end before the trade does', () => {
    expect(run([[100, 100.5, 99.5, 100]])).toBeUndefined();
  });

  it('charges the taker fee on entry and stop, the maker fee on take profits, and slips market fills', () => {
    const b: LadderBarrier = { ...plain, takerFee: 0.0004, makerFee: 0.0002, slippage: 0.001 };
    const entry = 100 * 1.001;
    const stopFill = entry * 0.98 * 0.999;
    const t = run([[100, 100.5, 97, 98]], 'long', b);
    expect(t!.ret).toBeCloseTo(-0.0004 + (stopFill - entry) / entry - (0.0004 * stopFill) / entry, 12);
    const tp1 = entry * 1.01;
    const t2 = run([[100, 101.5, 99.5, 101], [100, 100.2, 97, 97]], 'long', b);
    const expected =
      -0.0004 + 0.3 * ((tp1 - entry) / entry - (0.0002 * tp1) / entry) + 0.7 * ((stopFill - entry) / entry - (0.0004 * stopFill) / entry);
    expect(t2!.ret).toBeCloseTo(expected, 12);
  });

  it('uses the STANDARD_LADDER levels of the Exit Brain by volatility regime', () => {
    expect(standardLadderTakeProfits(0.01)).toEqual([0.0195, 0.0325, 0.052]);
    expect(standardLadderTakeProfits(Number.NaN)).toEqual([0.0195, 0.0325, 0.052]);
    expect(standardLadderTakeProfits(0.035)).toEqual([0.02475, 0.04125, 0.066]);
    expect(standardLadderTakeProfits(0.08)).toEqual([0.03, 0.05, 0.08]);
  });
});
