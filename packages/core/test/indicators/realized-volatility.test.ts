import fc from 'fast-check';
import { SD } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { RealizedVolatility, realizedVolatility } from '../../src/indicators/index.js';
import { alignTail, btcBars, expectAgree, expectIdentical, expectQtError, stream, toArray } from './helpers.js';

/** Textbook realized volatility: population standard deviation of the last `period` simple returns. */
function referenceVolatility(closes: Float64Array, period: number): Float64Array {
  const out = new Float64Array(closes.length).fill(Number.NaN);
  for (let i = period; i < closes.length; i++) {
    const returns: number[] = [];
    for (let j = i - period + 1; j <= i; j++) returns.push(closes[j]! / closes[j - 1]! - 1);
    const mean = returns.reduce((a, b) => a + b, 0) / period;
    out[i] = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / period);
  }
  return out;
}

describe('RealizedVolatility', () => {
  const { close } = btcBars();

  it('is the spread of simple returns, so +10 % then -10 % gives 0.1', () => {
    const out = realizedVolatility(Float64Array.of(100, 110, 99), 2);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(0.1, 15);
  });

  it('is 0 for a steady 1 % climb', () => {
    const out = realizedVolatility(Float64Array.of(100, 101, 102.01, 103.0301), 3);
    expect(out[3]).toBeCloseTo(0, 15);
  });

  it.each([1, 2, 20, 288])('agrees with a textbook loop on BTC closes for period %i', (period) => {
    expectAgree(realizedVolatility(close, period), referenceVolatility(close, period), period);
  });

  it.each([2, 20, 288])('agrees with technicalindicators SD of the returns for period %i', (period) => {
    const returns = new Float64Array(close.length - 1);
    for (let i = 1; i < close.length; i++) returns[i - 1] = close[i]! / close[i - 1]! - 1;
    const theirs = alignTail(SD.calculate({ period, values: toArray(returns) }), close.length);
    expectAgree(realizedVolatility(close, period), theirs, period);
  });

  it.each([1, 2, 20, 288])('streams exactly the batch values for period %i', (period) => {
    const v = new RealizedVolatility(period);
    expectIdentical(
      stream(close, (x) => v.update(x)),
      realizedVolatility(close, period),
    );
  });

  it('handles series shorter than the warm-up', () => {
    expect(realizedVolatility(new Float64Array(0), 3).length).toBe(0);
    expectIdentical(realizedVolatility(Float64Array.of(1, 2, 3), 3), [NaN, NaN, NaN]);
  });

  it('reports value, isReady and reset consistently', () => {
    const v = new RealizedVolatility(2);
    expect(v.update(100)).toBeNaN();
    expect(v.update(110)).toBeNaN();
    expect(v.isReady).toBe(false);
    expect(v.update(99)).toBeCloseTo(0.1, 15);
    expect(v.isReady).toBe(true);
    expect(v.value).toBeCloseTo(0.1, 15);
    v.reset();
    expect(v.isReady).toBe(false);
    expect(v.value).toBeNaN();
    expect(v.update(99)).toBeNaN();
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects period %s with a clear error', (period) => {
    expectQtError(
      () => new RealizedVolatility(period),
      'PARAMETER_OUT_OF_RANGE',
      /^RealizedVolatility: period must be an integer >= 1, got /,
    );
    expectQtError(
      () => realizedVolatility(close, period),
      'PARAMETER_OUT_OF_RANGE',
      /^realizedVolatility\(\): period must be an integer >= 1/,
    );
  });
});

describe('RealizedVolatility.updateMany', () => {
  // closes with flat stretches and jumps of many orders of magnitude reach the flat-window and re-summation branches
  const closes = fc.array(
    fc.oneof(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), fc.constantFrom(100, 100, 100, 250.5)),
    { minLength: 0, maxLength: 2500 },
  );

  it('leaves the same value, readiness and state as update() one by one, for any split of the series', () => {
    fc.assert(
      fc.property(closes, fc.integer({ min: 1, max: 60 }), fc.nat(), fc.nat(), (xs, period, a, b) => {
        const values = Float64Array.from(xs);
        const split = values.length === 0 ? 0 : a % (values.length + 1);
        const to = split + (values.length - split === 0 ? 0 : b % (values.length - split + 1));
        const many = new RealizedVolatility(period);
        const one = new RealizedVolatility(period);
        for (const [from, end] of [[0, split], [split, to], [to, values.length]] as const) {
          many.updateMany(values, from, end);
          for (let i = from; i < end; i++) one.update(values[i]!);
          expect(Object.is(many.value, one.value)).toBe(true);
          expect(many.isReady).toBe(one.isReady);
        }
        for (const x of [101, 99, 100, 1e5, 3]) expect(Object.is(many.update(x), one.update(x))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
