import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  AverageTrueRange,
  BollingerBands,
  ExponentialMovingAverage,
  RateOfChange,
  RealizedVolatility,
  RelativeStrengthIndex,
  RollingStdDev,
  SimpleMovingAverage,
  atr,
  bollinger,
  ema,
  realizedVolatility,
  roc,
  rsi,
  sma,
  stddev,
} from '../../src/indicators/index.js';
import { expectIdentical, stream } from './helpers.js';

// Prices with repeats (flat stretches) and wide magnitudes, to reach the re-summation and flat-window branches.
const price = fc.oneof(
  fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
  fc.constantFrom(1, 100, 30_000.12),
);
const series = fc.array(price, { minLength: 0, maxLength: 3000 }).map((xs) => Float64Array.from(xs));
const period = fc.integer({ min: 1, max: 40 });

describe('every indicator, on arbitrary series', () => {
  it('streams exactly what the batch form computes for single-input indicators', () => {
    fc.assert(
      fc.property(series, period, (values, n) => {
        const pairs: [Float64Array, Float64Array][] = [];
        const s = new SimpleMovingAverage(n);
        pairs.push([stream(values, (x) => s.update(x)), sma(values, n)]);
        const e = new ExponentialMovingAverage(n);
        pairs.push([stream(values, (x) => e.update(x)), ema(values, n)]);
        const r = new RelativeStrengthIndex(n);
        pairs.push([stream(values, (x) => r.update(x)), rsi(values, n)]);
        const sd = new RollingStdDev(n);
        pairs.push([stream(values, (x) => sd.update(x)), stddev(values, n)]);
        const c = new RateOfChange(n);
        pairs.push([stream(values, (x) => c.update(x)), roc(values, n)]);
        const v = new RealizedVolatility(n);
        pairs.push([stream(values, (x) => v.update(x)), realizedVolatility(values, n)]);
        for (const [streamed, batch] of pairs) expectIdentical(streamed, batch);
      }),
      { numRuns: 200 },
    );
  });

  it('streams exactly what the batch form computes for Bollinger bands', () => {
    fc.assert(
      fc.property(series, period, fc.double({ min: 0.1, max: 4, noNaN: true }), (values, n, k) => {
        const bb = new BollingerBands(n, k);
        const upper = new Float64Array(values.length);
        const lower = new Float64Array(values.length);
        const middle = stream(values, (x) => {
          const m = bb.update(x);
          return m;
        });
        // Re-run to collect the outer bands (the getters are read right after each update).
        bb.reset();
        values.forEach((x, i) => {
          bb.update(x);
          upper[i] = bb.upper;
          lower[i] = bb.lower;
        });
        const batch = bollinger(values, n, k);
        expectIdentical(middle, batch.middle);
        expectIdentical(upper, batch.upper);
        expectIdentical(lower, batch.lower);
      }),
      { numRuns: 100 },
    );
  });

  it('streams exactly what the batch form computes for ATR', () => {
    const bar = fc
      .tuple(price, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([p, a, b]) => ({ high: p * (1 + a / 10), low: p * (1 - b / 10), close: p }));
    fc.assert(
      fc.property(fc.array(bar, { maxLength: 2000 }), period, (bars, n) => {
        const high = Float64Array.from(bars, (b) => b.high);
        const low = Float64Array.from(bars, (b) => b.low);
        const close = Float64Array.from(bars, (b) => b.close);
        const a = new AverageTrueRange(n);
        expectIdentical(
          bars.map((b) => a.update(b.high, b.low, b.close)),
          atr(high, low, close, n),
        );
      }),
      { numRuns: 100 },
    );
  });
});
