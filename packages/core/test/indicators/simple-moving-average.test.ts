import { SMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { SimpleMovingAverage, sma } from '../../src/indicators/index.js';
import {
  alignTail,
  btcBars,
  expectAgree,
  expectIdentical,
  expectQtError,
  randomWalk,
  stream,
  toArray,
} from './helpers.js';

/** Textbook SMA: re-sum the window at every index. */
function referenceSma(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  for (let i = period - 1; i < values.length; i++) {
    let sum = 0;
    for (let k = i - period + 1; k <= i; k++) sum += values[k]!;
    out[i] = sum / period;
  }
  return out;
}

describe('SimpleMovingAverage', () => {
  const { close } = btcBars();

  it('averages 1..5 over 3 as NaN, NaN, 2, 3, 4', () => {
    expectIdentical(sma(Float64Array.of(1, 2, 3, 4, 5), 3), [NaN, NaN, 2, 3, 4]);
    const s = new SimpleMovingAverage(3);
    expect([1, 2, 3, 4, 5].map((x) => s.update(x))).toEqual([NaN, NaN, 2, 3, 4]);
  });

  it.each([1, 2, 14, 20, 50, 200])('agrees with a textbook loop on BTC closes for period %i', (period) => {
    expectAgree(sma(close, period), referenceSma(close, period), period - 1);
  });

  it.each([2, 14, 20, 200])('agrees with technicalindicators on BTC closes for period %i', (period) => {
    const theirs = alignTail(SMA.calculate({ period, values: toArray(close) }), close.length);
    expectAgree(sma(close, period), theirs, period - 1);
  });

  it.each([1, 3, 20, 200, 2000])('streams exactly the batch values for period %i', (period) => {
    const s = new SimpleMovingAverage(period);
    expectIdentical(
      stream(close, (x) => s.update(x)),
      sma(close, period),
    );
  });

  it('forgets a huge outlier once it has left the window and the sum is re-summed', () => {
    const values = randomWalk(20_000);
    values[100] = 1e12;
    const out = sma(values, 20);
    const ref = referenceSma(values, 20);
    // A running sum alone keeps the outlier's rounding residue (ulp(1e12) ≈ 1e-4) forever: ~1e-10 relative.
    let worst = 0;
    for (let i = 2000; i < values.length; i++) worst = Math.max(worst, Math.abs(out[i]! - ref[i]!) / ref[i]!);
    expect(worst).toBeLessThan(1e-12);
  });

  it('reports value, isReady and reset consistently', () => {
    const s = new SimpleMovingAverage(2);
    expect(s.isReady).toBe(false);
    expect(s.value).toBeNaN();
    s.update(1);
    expect(s.isReady).toBe(false);
    expect(s.update(3)).toBe(2);
    expect(s.isReady).toBe(true);
    expect(s.value).toBe(2);
    s.reset();
    expect(s.isReady).toBe(false);
    expect(s.value).toBeNaN();
    expect(s.update(10)).toBeNaN();
    expect(s.update(20)).toBe(15);
  });

  it('returns all NaN when the series is shorter than the period', () => {
    expectIdentical(sma(Float64Array.of(1, 2), 3), [NaN, NaN]);
    expect(sma(new Float64Array(0), 3).length).toBe(0);
  });

  it.each([0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects period %s with a clear error', (period) => {
    expectQtError(
      () => new SimpleMovingAverage(period),
      'PARAMETER_OUT_OF_RANGE',
      /^SimpleMovingAverage: period must be an integer >= 1, got /,
    );
    expectQtError(() => sma(close, period), 'PARAMETER_OUT_OF_RANGE', /^sma\(\): period must be an integer >= 1, got /);
  });
});
