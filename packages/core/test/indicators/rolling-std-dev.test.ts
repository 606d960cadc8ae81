import { SD } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { RollingStdDev, stddev } from '../../src/indicators/index.js';
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

/** Textbook two-pass population standard deviation of each window. */
function referenceStdDev(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  for (let i = period - 1; i < values.length; i++) {
    let sum = 0;
    for (let k = i - period + 1; k <= i; k++) sum += values[k]!;
    const mean = sum / period;
    let sq = 0;
    for (let k = i - period + 1; k <= i; k++) sq += (values[k]! - mean) ** 2;
    out[i] = Math.sqrt(sq / period);
  }
  return out;
}

describe('RollingStdDev', () => {
  const { close } = btcBars();

  it('divides by the period (population), so 2, 4, 4, 4, 5, 5, 7, 9 has a deviation of exactly 2', () => {
    const out = stddev(Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9), 8);
    expect(out[7]).toBe(2);
    const sd = new RollingStdDev(8);
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) sd.update(x);
    expect(sd.value).toBe(2);
    expect(sd.mean).toBe(5);
  });

  it('is 0 for a constant window and for a period of 1', () => {
    expectIdentical(stddev(Float64Array.of(3, 3, 3, 3), 2), [NaN, 0, 0, 0]);
    expectIdentical(stddev(Float64Array.of(1, 5, 9), 1), [0, 0, 0]);
  });

  it.each([1, 2, 5, 20, 100])('agrees with a textbook two-pass loop on BTC closes for period %i', (period) => {
    expectAgree(stddev(close, period), referenceStdDev(close, period), period - 1);
  });

  it.each([2, 20, 100])('agrees with technicalindicators SD on BTC closes for period %i', (period) => {
    const theirs = alignTail(SD.calculate({ period, values: toArray(close) }), close.length);
    expectAgree(stddev(close, period), theirs, period - 1);
  });

  it('stays accurate over 300 000 updates of a trending price (no cancellation or drift)', () => {
    const values = randomWalk(300_000, 60_000, 7);
    const out = stddev(values, 20);
    const ref = referenceStdDev(values, 20);
    let worst = 0;
    for (let i = 19; i < values.length; i++) worst = Math.max(worst, Math.abs(out[i]! - ref[i]!) / ref[i]!);
    expect(worst).toBeLessThan(1e-9);
  });

  it('gives exactly 0, not a rounding ghost, once a window of BTC-sized prices goes flat', () => {
    const values = new Float64Array(100);
    values.set(randomWalk(60), 0);
    values.fill(30_000.12, 60);
    const sd = new RollingStdDev(20);
    const streamed = stream(values, (x) => sd.update(x));
    expect(streamed[99]).toBe(0);
    expect(sd.mean).toBe(30_000.12);
    expectIdentical(streamed, stddev(values, 20));
  });

  it('keeps tiny deviations of a 2-bar window exact to 1e-9 relative even at 60 000', () => {
    const values = randomWalk(50_000, 60_000, 3);
    for (let i = 1; i < values.length; i += 7) values[i] = values[i - 1]! + 0.01; // one-cent moves
    const out = stddev(values, 2);
    const ref = referenceStdDev(values, 2);
    let worst = 0;
    for (let i = 1; i < values.length; i++) {
      if (ref[i]! > 0) worst = Math.max(worst, Math.abs(out[i]! - ref[i]!) / ref[i]!);
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it.each([1, 2, 20, 100, 3000])('streams exactly the batch values for period %i', (period) => {
    const sd = new RollingStdDev(period);
    expectIdentical(
      stream(close, (x) => sd.update(x)),
      stddev(close, period),
    );
  });

  it('exposes the window mean, which matches the SMA to rounding', () => {
    const sd = new RollingStdDev(3);
    expect(sd.mean).toBeNaN();
    sd.update(1);
    sd.update(2);
    expect(sd.mean).toBeNaN();
    sd.update(6);
    expect(sd.mean).toBeCloseTo(3, 12);
    sd.update(10);
    expect(sd.mean).toBeCloseTo(6, 12);
  });

  it('reports value, isReady and reset consistently', () => {
    const sd = new RollingStdDev(2);
    expect(sd.update(1)).toBeNaN();
    expect(sd.isReady).toBe(false);
    expect(sd.update(3)).toBe(1);
    expect(sd.isReady).toBe(true);
    expect(sd.value).toBe(1);
    sd.reset();
    expect(sd.isReady).toBe(false);
    expect(sd.value).toBeNaN();
    expect(sd.mean).toBeNaN();
    expect(sd.update(10)).toBeNaN();
    expect(sd.update(14)).toBe(2);
  });

  it.each([0, -2, 2.5, Number.POSITIVE_INFINITY])('rejects period %s with a clear error', (period) => {
    expectQtError(
      () => new RollingStdDev(period),
      'PARAMETER_OUT_OF_RANGE',
      /^RollingStdDev: period must be an integer >= 1, got /,
    );
    expectQtError(() => stddev(close, period), 'PARAMETER_OUT_OF_RANGE', /^stddev\(\): period must be an integer >= 1/);
  });
});
