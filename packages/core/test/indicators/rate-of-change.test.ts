import { ROC } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { RateOfChange, roc } from '../../src/indicators/index.js';
import { alignTail, btcBars, expectAgree, expectIdentical, expectQtError, stream, toArray } from './helpers.js';

/** Textbook rate of change as a fraction. */
function referenceRoc(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  for (let i = period; i < values.length; i++) out[i] = (values[i]! - values[i - period]!) / values[i - period]!;
  return out;
}

describe('RateOfChange', () => {
  const { close } = btcBars();

  it('is close / close[period ago] - 1, first emitted at index period', () => {
    const out = roc(Float64Array.of(100, 110, 121, 60.5), 1);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeCloseTo(0.1, 15);
    expect(out[2]).toBeCloseTo(0.1, 15);
    expect(out[3]).toBe(-0.5);
    const two = roc(Float64Array.of(100, 105, 110, 121), 2);
    expectIdentical(two.subarray(0, 2), [NaN, NaN]);
    expect(two[2]).toBeCloseTo(0.1, 15);
    expect(two[3]).toBeCloseTo(121 / 105 - 1, 15);
  });

  it.each([1, 12, 288])('agrees with a textbook loop on BTC closes for period %i', (period) => {
    expectAgree(roc(close, period), referenceRoc(close, period), period);
  });

  it.each([1, 12, 288])('agrees with technicalindicators (which reports percent) on BTC closes for period %i', (period) => {
    // technicalindicators ROC = (x - past) / past · 100; divide by 100 to compare fractions.
    const theirs = ROC.calculate({ period, values: toArray(close) }).map((v) => v / 100);
    expectAgree(roc(close, period), alignTail(theirs, close.length), period);
  });

  it.each([1, 12, 288])('streams exactly the batch values for period %i', (period) => {
    const r = new RateOfChange(period);
    expectIdentical(
      stream(close, (x) => r.update(x)),
      roc(close, period),
    );
  });

  it('reports value, isReady and reset consistently', () => {
    const r = new RateOfChange(1);
    expect(r.update(100)).toBeNaN();
    expect(r.isReady).toBe(false);
    expect(r.update(50)).toBe(-0.5);
    expect(r.isReady).toBe(true);
    expect(r.value).toBe(-0.5);
    r.reset();
    expect(r.isReady).toBe(false);
    expect(r.value).toBeNaN();
    expect(r.update(100)).toBeNaN();
    expect(r.update(200)).toBe(1);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects period %s with a clear error', (period) => {
    expectQtError(
      () => new RateOfChange(period),
      'PARAMETER_OUT_OF_RANGE',
      /^RateOfChange: period must be an integer >= 1, got /,
    );
    expectQtError(() => roc(close, period), 'PARAMETER_OUT_OF_RANGE', /^roc\(\): period must be an integer >= 1/);
  });
});
