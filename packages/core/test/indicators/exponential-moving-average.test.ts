import { EMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { ExponentialMovingAverage, ema } from '../../src/indicators/index.js';
import { alignTail, btcBars, expectAgree, expectIdentical, expectQtError, stream, toArray } from './helpers.js';

/** Textbook EMA, TA-Lib seeding: SMA of the first `period` values, then `prev + k (x - prev)`. */
function referenceEma(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  if (values.length < period) return out;
  let seed = 0;
  for (let i = 0; i < period; i++) seed += values[i]!;
  let prev = seed / period;
  out[period - 1] = prev;
  const k = 2 / (period + 1);
  for (let i = period; i < values.length; i++) {
    prev = prev + k * (values[i]! - prev);
    out[i] = prev;
  }
  return out;
}

describe('ExponentialMovingAverage', () => {
  const { close } = btcBars();

  it('seeds with the SMA of the first period inputs and then smooths with k = 2 / (period + 1)', () => {
    // period 3: k = 0.5, seed (1 + 2 + 3) / 3 = 2, then 2 + 0.5·(4 - 2) = 3, then 3 + 0.5·(8 - 3) = 5.5
    expectIdentical(ema(Float64Array.of(1, 2, 3, 4, 8), 3), [NaN, NaN, 2, 3, 5.5]);
    const e = new ExponentialMovingAverage(3);
    expect(e.k).toBe(0.5);
    expect([1, 2, 3, 4, 8].map((x) => e.update(x))).toEqual([NaN, NaN, 2, 3, 5.5]);
  });

  it('equals its input when the period is 1', () => {
    expectIdentical(ema(close, 1), close);
  });

  it.each([2, 12, 26, 50, 200])('agrees with a textbook loop on BTC closes for period %i', (period) => {
    expectAgree(ema(close, period), referenceEma(close, period), period - 1);
  });

  it.each([2, 12, 26, 200])('agrees with technicalindicators on BTC closes for period %i', (period) => {
    const theirs = alignTail(EMA.calculate({ period, values: toArray(close) }), close.length);
    expectAgree(ema(close, period), theirs, period - 1);
  });

  it.each([1, 2, 12, 200])('streams exactly the batch values for period %i', (period) => {
    const e = new ExponentialMovingAverage(period);
    expectIdentical(
      stream(close, (x) => e.update(x)),
      ema(close, period),
    );
  });

  it('reports value, isReady and reset consistently', () => {
    const e = new ExponentialMovingAverage(2);
    expect(e.update(1)).toBeNaN();
    expect(e.isReady).toBe(false);
    expect(e.update(3)).toBe(2);
    expect(e.isReady).toBe(true);
    expect(e.value).toBe(2);
    e.reset();
    expect(e.value).toBeNaN();
    expect(e.isReady).toBe(false);
    expect(e.update(5)).toBeNaN();
    expect(e.update(7)).toBe(6);
  });

  it.each([0, -3, 1.5, Number.NaN])('rejects period %s with a clear error', (period) => {
    expectQtError(
      () => new ExponentialMovingAverage(period),
      'PARAMETER_OUT_OF_RANGE',
      /^ExponentialMovingAverage: period must be an integer >= 1, got /,
    );
    expectQtError(() => ema(close, period), 'PARAMETER_OUT_OF_RANGE', /^ema\(\): period must be an integer >= 1/);
  });
});
