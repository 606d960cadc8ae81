import fc from 'fast-check';
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

describe('RateOfChange.firstBeyond and updateMany, on arbitrary series', () => {
  // Positive prices with repeats (flat stretches, ROC exactly 0) and wide magnitudes.
  const price = fc.oneof(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.constantFrom(1, 100, 30_000.12));
  const series = fc.array(price, { minLength: 0, maxLength: 400 }).map((xs) => Float64Array.from(xs));
  const threshold = fc.oneof(
    fc.double({ min: -2, max: 2, noNaN: true }),
    fc.constantFrom(0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  );
  // A series, a split point (values before it are fed with update), and a [from, to) window from the split point.
  const input = fc
    .tuple(series, fc.integer({ min: 1, max: 30 }), fc.nat(), fc.nat())
    .map(([values, period, a, b]) => {
      const split = a % (values.length + 1);
      const to = split + (b % (values.length - split + 1));
      return { values, period, split, to };
    });

  /** The first index in [from, to) whose ROC, fed one by one, is above `above` or below `below`; `to` if none. */
  function byUpdate(r: RateOfChange, values: Float64Array, from: number, to: number, below: number, above: number) {
    for (let j = from; j < to; j++) {
      const v = r.update(values[j]!);
      if (v > above || v < below) return j;
    }
    return to;
  }

  it('firstBeyond finds the index update one by one would, including during warm-up, and changes nothing', () => {
    fc.assert(
      fc.property(input, threshold, threshold, ({ values, period, split, to }, t1, t2) => {
        for (const [below, above] of [
          [Math.min(t1, t2), Math.max(t1, t2)],
          [t1, t2],
        ] as const) {
          const probe = new RateOfChange(period);
          const copy = new RateOfChange(period);
          for (let i = 0; i < split; i++) {
            probe.update(values[i]!);
            copy.update(values[i]!);
          }
          const before = { value: probe.value, isReady: probe.isReady };
          const found = probe.firstBeyond(values, split, to, below, above);
          expect(found).toBe(byUpdate(copy, values, split, to, below, above));
          // No state change: the probe still goes on exactly like a fresh copy fed the same prefix.
          expect(Object.is(probe.value, before.value)).toBe(true);
          expect(probe.isReady).toBe(before.isReady);
          const fresh = new RateOfChange(period);
          for (let i = 0; i < split; i++) fresh.update(values[i]!);
          for (let i = split; i < values.length; i++) expect(Object.is(probe.update(values[i]!), fresh.update(values[i]!))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('firstBeyond from scanFrom gives the answer of a scan from `from` whenever [from, scanFrom) was quiet', () => {
    fc.assert(
      fc.property(input, threshold, threshold, fc.nat(), ({ values, period, split, to }, t1, t2, c) => {
        const below = Math.min(t1, t2);
        const above = Math.max(t1, t2);
        const r = new RateOfChange(period);
        for (let i = 0; i < split; i++) r.update(values[i]!);
        const whole = r.firstBeyond(values, split, to, below, above);
        // any scanFrom up to the first crossing (the replay passes the end of a window everyone found quiet)
        const scanFrom = split + (c % (whole - split + 1));
        expect(r.firstBeyond(values, split, to, below, above, scanFrom)).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('firstBeyond returns to for infinite thresholds, and stops at the first defined non-zero ROC for below = above = 0', () => {
    fc.assert(
      fc.property(input, ({ values, period, split, to }) => {
        const r = new RateOfChange(period);
        for (let i = 0; i < split; i++) r.update(values[i]!);
        expect(r.firstBeyond(values, split, to, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(to);
        const copy = new RateOfChange(period);
        for (let i = 0; i < split; i++) copy.update(values[i]!);
        let expected = to;
        for (let j = split; j < to; j++) {
          const v = copy.update(values[j]!);
          if (!Number.isNaN(v) && v !== 0) {
            expected = j;
            break;
          }
        }
        expect(r.firstBeyond(values, split, to, 0, 0)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('updateMany leaves the same value and isReady as update one by one', () => {
    fc.assert(
      fc.property(input, ({ values, period, split, to }) => {
        const many = new RateOfChange(period);
        const one = new RateOfChange(period);
        // Split the feed into [0, split), [split, to), [to, end) to go through updateMany with arbitrary bounds.
        for (const [from, end] of [
          [0, split],
          [split, to],
          [to, values.length],
        ] as const) {
          many.updateMany(values, from, end);
          for (let i = from; i < end; i++) one.update(values[i]!);
          expect(Object.is(many.value, one.value)).toBe(true);
          expect(many.isReady).toBe(one.isReady);
        }
        // And the ring left behind is the same: both go on identically.
        for (const x of [1, 2, 3, 100, 0.5]) expect(Object.is(many.update(x), one.update(x))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
