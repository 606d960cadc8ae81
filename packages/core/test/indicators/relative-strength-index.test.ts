import { RSI } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { RelativeStrengthIndex, rsi } from '../../src/indicators/index.js';
import { alignTail, btcBars, expectAgree, expectIdentical, expectQtError, stream, toArray } from './helpers.js';

/** Textbook RSI (Wilder), TA-Lib seeding: simple averages of the first `period` changes, value at index `period`. */
function referenceRsi(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  if (values.length <= period) return out;
  const gains: number[] = [];
  const losses: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const change = values[i]! - values[i - 1]!;
    gains.push(Math.max(change, 0));
    losses.push(Math.max(-change, 0));
  }
  let avgGain = gains.slice(0, period).reduce((a, b) => a + b, 0) / period;
  let avgLoss = losses.slice(0, period).reduce((a, b) => a + b, 0) / period;
  const value = (): number => (avgGain + avgLoss === 0 ? 0 : 100 - 100 / (1 + avgGain / avgLoss));
  out[period] = value();
  for (let i = period + 1; i < values.length; i++) {
    avgGain = (avgGain * (period - 1) + gains[i - 1]!) / period;
    avgLoss = (avgLoss * (period - 1) + losses[i - 1]!) / period;
    out[i] = value();
  }
  return out;
}

// Wilder's worked example as published by StockCharts ("RSI" ChartSchool article), 14 periods. Their spreadsheet
// rounds the intermediate averages, which lifts every value by ~0.07; the exact first value is 70.4641….
const STOCKCHARTS_CLOSES = [
  44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0,
  46.03, 46.41, 46.22, 45.64,
];
const STOCKCHARTS_RSI = [70.53, 66.32, 66.55, 69.41, 66.36, 57.97];

describe('RelativeStrengthIndex', () => {
  const { close } = btcBars();

  it('computes a hand-worked 2-period case', () => {
    // changes +2, -1, +2. Seed at index 2: gain (2+0)/2 = 1, loss (0+1)/2 = 0.5 → 100·1/1.5.
    // Index 3: gain (1·1 + 2)/2 = 1.5, loss (0.5·1 + 0)/2 = 0.25 → 100·1.5/1.75.
    const out = rsi(Float64Array.of(10, 12, 11, 13), 2);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(200 / 3, 12);
    expect(out[3]).toBeCloseTo(600 / 7, 12);
  });

  it("reproduces Wilder's published 14-period example within its spreadsheet's rounding", () => {
    const out = rsi(Float64Array.from(STOCKCHARTS_CLOSES), 14);
    for (let i = 0; i < 14; i++) expect(out[i]).toBeNaN();
    STOCKCHARTS_RSI.forEach((expected, j) => expect(Math.abs(out[14 + j]! - expected)).toBeLessThan(0.1));
    expect(out[14]).toBeCloseTo((100 * 3.34) / 4.74, 10); // gains sum 3.34, losses sum 1.40
  });

  it('is 100 when prices only rise and 0 when they only fall', () => {
    expect(rsi(Float64Array.of(1, 2, 3, 4, 5), 3)[4]).toBe(100);
    expect(rsi(Float64Array.of(5, 4, 3, 2, 1), 3)[4]).toBe(0);
  });

  it('is 0 in a perfectly flat market, as in TA-Lib', () => {
    expect(rsi(Float64Array.of(7, 7, 7, 7), 2)[3]).toBe(0);
  });

  it.each([1, 2, 14, 50])('agrees with a textbook loop on BTC closes for period %i', (period) => {
    expectAgree(rsi(close, period), referenceRsi(close, period), period);
  });

  it.each([2, 14, 50])('agrees with technicalindicators on BTC closes for period %i, to its 2-decimal rounding', (period) => {
    // technicalindicators rounds every RSI to 2 decimals (toFixed(2)), so 1e-9 is impossible; its seeding and
    // smoothing are otherwise TA-Lib's, which this checks to ±0.005.
    const theirs = alignTail(RSI.calculate({ period, values: toArray(close) }), close.length);
    expectAgree(rsi(close, period), theirs, period, 0.005 + 1e-9, true);
  });

  it.each([1, 2, 14, 50])('streams exactly the batch values for period %i', (period) => {
    const r = new RelativeStrengthIndex(period);
    expectIdentical(
      stream(close, (x) => r.update(x)),
      rsi(close, period),
    );
  });

  it('reports value, isReady and reset consistently', () => {
    const r = new RelativeStrengthIndex(2);
    expect(r.update(10)).toBeNaN();
    expect(r.update(12)).toBeNaN();
    expect(r.isReady).toBe(false);
    expect(r.update(11)).toBeCloseTo(200 / 3, 12);
    expect(r.isReady).toBe(true);
    expect(r.value).toBeCloseTo(200 / 3, 12);
    r.reset();
    expect(r.isReady).toBe(false);
    expect(r.value).toBeNaN();
    expect([10, 12, 11, 13].map((x) => r.update(x))).toEqual(Array.from(rsi(Float64Array.of(10, 12, 11, 13), 2)));
  });

  it.each([0, -14, 14.5, Number.NaN])('rejects period %s with a clear error', (period) => {
    expectQtError(
      () => new RelativeStrengthIndex(period),
      'PARAMETER_OUT_OF_RANGE',
      /^RelativeStrengthIndex: period must be an integer >= 1, got /,
    );
    expectQtError(() => rsi(close, period), 'PARAMETER_OUT_OF_RANGE', /^rsi\(\): period must be an integer >= 1/);
  });
});
