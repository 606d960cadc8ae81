import { BollingerBands as TiBollingerBands } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { BollingerBands, bollinger, sma } from '../../src/indicators/index.js';
import { alignTail, btcBars, expectAgree, expectIdentical, expectQtError, toArray } from './helpers.js';

/** Textbook Bollinger bands: SMA ± k · population standard deviation, both by re-scanning the window. */
function referenceBands(values: Float64Array, period: number, k: number) {
  const len = values.length;
  const upper = new Float64Array(len).fill(Number.NaN);
  const middle = new Float64Array(len).fill(Number.NaN);
  const lower = new Float64Array(len).fill(Number.NaN);
  for (let i = period - 1; i < len; i++) {
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += values[j]!;
    const mean = sum / period;
    let sq = 0;
    for (let j = i - period + 1; j <= i; j++) sq += (values[j]! - mean) ** 2;
    const sd = Math.sqrt(sq / period);
    middle[i] = mean;
    upper[i] = mean + k * sd;
    lower[i] = mean - k * sd;
  }
  return { upper, middle, lower };
}

describe('BollingerBands', () => {
  const { close } = btcBars();

  it('puts the bands k population deviations either side of the SMA', () => {
    const { upper, middle, lower } = bollinger(Float64Array.of(1, 3, 5), 2, 2);
    expectIdentical(middle, [NaN, 2, 4]);
    expectIdentical(upper, [NaN, 4, 6]);
    expectIdentical(lower, [NaN, 0, 2]);
  });

  it.each([
    [20, 2],
    [10, 1.5],
    [50, 2.5],
    [1, 2],
  ])('agrees with a textbook loop on BTC closes for period %i and k %d', (period, k) => {
    const ours = bollinger(close, period, k);
    const ref = referenceBands(close, period, k);
    expectAgree(ours.upper, ref.upper, period - 1);
    expectAgree(ours.middle, ref.middle, period - 1);
    expectAgree(ours.lower, ref.lower, period - 1);
  });

  it.each([
    [20, 2],
    [50, 2.5],
  ])('agrees with technicalindicators on BTC closes for period %i and k %d', (period, k) => {
    const theirs = TiBollingerBands.calculate({ period, stdDev: k, values: toArray(close) });
    const ours = bollinger(close, period, k);
    expectAgree(ours.upper, alignTail(theirs.map((b) => b.upper), close.length), period - 1);
    expectAgree(ours.middle, alignTail(theirs.map((b) => b.middle), close.length), period - 1);
    expectAgree(ours.lower, alignTail(theirs.map((b) => b.lower), close.length), period - 1);
  });

  it('has a middle band equal to sma() up to rounding', () => {
    expectAgree(bollinger(close, 20, 2).middle, sma(close, 20), 19, 1e-12);
  });

  it.each([
    [1, 2],
    [20, 2],
    [50, 0.5],
  ])('streams exactly the batch values for period %i and k %d', (period, k) => {
    const bb = new BollingerBands(period, k);
    const upper = new Float64Array(close.length);
    const middle = new Float64Array(close.length);
    const lower = new Float64Array(close.length);
    const middleGetter = new Float64Array(close.length);
    for (let i = 0; i < close.length; i++) {
      middle[i] = bb.update(close[i]!);
      middleGetter[i] = bb.middle;
      upper[i] = bb.upper;
      lower[i] = bb.lower;
    }
    expectIdentical(middleGetter, middle);
    const batch = bollinger(close, period, k);
    expectIdentical(upper, batch.upper);
    expectIdentical(middle, batch.middle);
    expectIdentical(lower, batch.lower);
  });

  it('reports value, isReady and reset consistently', () => {
    const bb = new BollingerBands(2, 2);
    expect(bb.update(1)).toBeNaN();
    expect(bb.isReady).toBe(false);
    expect(bb.upper).toBeNaN();
    expect(bb.update(3)).toBe(2);
    expect(bb.isReady).toBe(true);
    expect([bb.lower, bb.value, bb.upper]).toEqual([0, 2, 4]);
    bb.reset();
    expect(bb.isReady).toBe(false);
    expect([bb.lower, bb.value, bb.upper]).toEqual([NaN, NaN, NaN]);
    expect(bb.update(3)).toBeNaN();
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects period %s with a clear error', (period) => {
    expectQtError(
      () => new BollingerBands(period, 2),
      'PARAMETER_OUT_OF_RANGE',
      /^BollingerBands: period must be an integer >= 1, got /,
    );
    expectQtError(() => bollinger(close, period, 2), 'PARAMETER_OUT_OF_RANGE', /^bollinger\(\): period must be/);
  });

  it.each([0, -2, Number.NaN, Number.POSITIVE_INFINITY])('rejects k %s with a clear error', (k) => {
    expectQtError(
      () => new BollingerBands(20, k),
      'PARAMETER_OUT_OF_RANGE',
      /^BollingerBands: k must be a finite number > 0, got /,
    );
    expectQtError(() => bollinger(close, 20, k), 'PARAMETER_OUT_OF_RANGE', /^bollinger\(\): k must be a finite number > 0/);
  });
});
