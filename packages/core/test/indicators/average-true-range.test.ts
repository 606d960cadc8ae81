import { ATR } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { AverageTrueRange, atr } from '../../src/indicators/index.js';
import { alignTail, btcBars, expectAgree, expectIdentical, expectQtError, toArray } from './helpers.js';

/** Textbook ATR, TA-Lib seeding: TR from bar 1, first ATR at bar `period` = mean of TR[1..period], then Wilder. */
function referenceAtr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const len = close.length;
  const out = new Float64Array(len).fill(Number.NaN);
  const tr = (i: number): number =>
    Math.max(high[i]! - low[i]!, Math.abs(high[i]! - close[i - 1]!), Math.abs(low[i]! - close[i - 1]!));
  if (len <= period) return out;
  let sum = 0;
  for (let i = 1; i <= period; i++) sum += tr(i);
  let prev = sum / period;
  out[period] = prev;
  for (let i = period + 1; i < len; i++) {
    prev = (prev * (period - 1) + tr(i)) / period;
    out[i] = prev;
  }
  return out;
}

describe('AverageTrueRange', () => {
  const { high, low, close } = btcBars();

  it('skips bar 0, seeds with the mean true range of bars 1..period, then smooths like Wilder', () => {
    const h = Float64Array.of(11, 12, 12, 15);
    const l = Float64Array.of(9, 10, 11, 13);
    const c = Float64Array.of(10, 11, 11, 14);
    // TR: bar 1 = max(2, |12-10|, |10-10|) = 2; bar 2 = max(1, 1, 0) = 1; bar 3 = max(2, |15-11|, |13-11|) = 4 (gap up)
    // ATR(2): bar 2 = (2 + 1) / 2 = 1.5; bar 3 = (1.5·1 + 4) / 2 = 2.75
    expectIdentical(atr(h, l, c, 2), [NaN, NaN, 1.5, 2.75]);
    const a = new AverageTrueRange(2);
    expect([0, 1, 2, 3].map((i) => a.update(h[i]!, l[i]!, c[i]!))).toEqual([NaN, NaN, 1.5, 2.75]);
  });

  it('returns the true range itself when the period is 1', () => {
    expectIdentical(atr(Float64Array.of(11, 12, 15), Float64Array.of(9, 10, 13), Float64Array.of(10, 11, 14), 1), [
      NaN,
      2,
      4,
    ]);
  });

  it.each([1, 2, 14, 50])('agrees with a textbook loop on BTC bars for period %i', (period) => {
    expectAgree(atr(high, low, close, period), referenceAtr(high, low, close, period), period);
  });

  it.each([2, 14, 50])('agrees with technicalindicators on BTC bars for period %i', (period) => {
    const theirs = ATR.calculate({ period, high: toArray(high), low: toArray(low), close: toArray(close) });
    expectAgree(atr(high, low, close, period), alignTail(theirs, close.length), period);
  });

  it.each([1, 2, 14, 50])('streams exactly the batch values for period %i', (period) => {
    const a = new AverageTrueRange(period);
    const streamed = new Float64Array(close.length);
    for (let i = 0; i < close.length; i++) streamed[i] = a.update(high[i]!, low[i]!, close[i]!);
    expectIdentical(streamed, atr(high, low, close, period));
  });

  it('reports value, isReady and reset consistently', () => {
    const a = new AverageTrueRange(1);
    expect(a.update(11, 9, 10)).toBeNaN();
    expect(a.isReady).toBe(false);
    expect(a.update(12, 10, 11)).toBe(2);
    expect(a.isReady).toBe(true);
    expect(a.value).toBe(2);
    a.reset();
    expect(a.isReady).toBe(false);
    expect(a.value).toBeNaN();
    expect(a.update(12, 10, 11)).toBeNaN();
  });

  it.each([0, -1, 0.5, Number.NaN])('rejects period %s with a clear error', (period) => {
    expectQtError(
      () => new AverageTrueRange(period),
      'PARAMETER_OUT_OF_RANGE',
      /^AverageTrueRange: period must be an integer >= 1, got /,
    );
    expectQtError(
      () => atr(high, low, close, period),
      'PARAMETER_OUT_OF_RANGE',
      /^atr\(\): period must be an integer >= 1/,
    );
  });

  it('rejects columns of different lengths, naming them', () => {
    expectQtError(
      () => atr(high, low, close.subarray(1), 14),
      'DATA_INVALID',
      /^atr\(\): high, low, close must have the same length, got 5000, 5000, 4999$/,
    );
  });
});
