import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AverageTrueRange, symbolId, type CandleColumns } from '@quantum-trader/core';
import { CandleTracker } from '../src/engine/candle-tracker.js';

const SYMBOL = symbolId('BTC/USDT:USDT');
const MINUTE = 60_000;

/** n one-minute candles from a random walk (fixed shape per seed), as columns. */
function columns(seed: number, n: number): CandleColumns {
  let x = seed;
  const rnd = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const cols = {
    length: n,
    ts: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price;
    price = Math.max(1, price * (1 + (rnd() - 0.5) * 0.02));
    cols.ts[i] = 1_700_000_000_000 + i * MINUTE;
    cols.open[i] = open;
    cols.close[i] = price;
    cols.high[i] = Math.max(open, price) * (1 + rnd() * 0.005);
    cols.low[i] = Math.min(open, price) * (1 - rnd() * 0.005);
    cols.volume[i] = 1;
  }
  return cols;
}

const candle = (c: CandleColumns, i: number) => ({
  ts: c.ts[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]!,
});

// How a replay hands candles over: a stretch of columns at once (a quiet run), one candle of the columns, one
// candle from somewhere else with the same values, or one that is not the next one (a repeat); the ATR is read
// between steps or not.
const step = fc.record({
  kind: fc.constantFrom('stretch', 'candle', 'copy', 'repeat'),
  length: fc.integer({ min: 1, max: 40 }),
  read: fc.boolean(),
});

describe('CandleTracker: the ATR of candles taken lazily', () => {
  it('is the ATR of the same candles added one by one, bit for bit, however they were handed over and read', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.array(step, { maxLength: 60 }), fc.boolean(), fc.integer({ min: 1, max: 20 }), (seed, steps, configured, period) => {
        const cols = columns(seed, 1200);
        const other = columns(seed, 1200); // equal values, other arrays: not the pending stretch
        const tracker = new CandleTracker(period, configured ? '1m' : undefined);
        const reference = new AverageTrueRange(period);
        const t = tracker.track(SYMBOL);
        let next = 0;
        let lastTs = Number.NaN;
        const feedReference = (i: number): void => {
          if (!(cols.ts[i]! <= lastTs)) {
            lastTs = cols.ts[i]!;
            reference.update(cols.high[i]!, cols.low[i]!, cols.close[i]!);
          }
        };
        for (const s of steps) {
          if (next >= cols.length) break;
          if (s.kind === 'stretch') {
            const to = Math.min(cols.length, next + s.length);
            if (!tracker.defer(t, cols, next, to)) for (let i = next; i < to; i++) tracker.updateWith(t, cols.ts[i]!, cols.high[i]!, cols.low[i]!, cols.close[i]!);
            for (let i = next; i < to; i++) feedReference(i);
            next = to;
          } else if (s.kind === 'candle' || s.kind === 'copy') {
            const closeTime = tracker.update(SYMBOL, candle(s.kind === 'candle' ? cols : other, next));
            if (Number.isFinite(tracker.stepOf(SYMBOL))) expect(closeTime).toBe(cols.ts[next]! + tracker.stepOf(SYMBOL));
            feedReference(next);
            next++;
          } else if (next > 0) {
            tracker.update(SYMBOL, candle(cols, next - 1)); // seen already: changes nothing
          }
          if (s.read) expect(Object.is(tracker.atr(SYMBOL), reference.value)).toBe(true);
        }
        expect(Object.is(tracker.atr(SYMBOL), reference.value)).toBe(true);
        if (next > 1 || configured) expect(tracker.stepOf(SYMBOL)).toBe(MINUTE);
      }),
      { numRuns: 300 },
    );
  });

  it('does not defer what would change the step or skip a candle, and then takes nothing', () => {
    const cols = columns(7, 10);
    const tracker = new CandleTracker(3, undefined);
    const t = tracker.track(SYMBOL);
    expect(tracker.defer(t, cols, 0, 5)).toBe(false); // no step known yet (and no candle before)
    tracker.update(SYMBOL, candle(cols, 0));
    tracker.update(SYMBOL, candle(cols, 2)); // a gap of two minutes: step 2 min so far
    expect(tracker.defer(t, cols, 3, 6)).toBe(false); // one-minute gaps would lower the step
    expect(t.lastTs).toBe(cols.ts[2]);
    expect(tracker.defer(t, cols, 1, 2)).toBe(false); // older than the last candle
    expect(tracker.stepOf(SYMBOL)).toBe(2 * MINUTE);
  });
});

describe('AverageTrueRange.updateMany', () => {
  it('gives the value of update() on every bar, bit for bit, from any starting state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 300 }), (seed, period, before, count) => {
        const cols = columns(seed, 400);
        const a = new AverageTrueRange(period);
        const b = new AverageTrueRange(period);
        for (let i = 0; i < before; i++) {
          a.update(cols.high[i]!, cols.low[i]!, cols.close[i]!);
          b.update(cols.high[i]!, cols.low[i]!, cols.close[i]!);
        }
        for (let i = before; i < before + count; i++) a.update(cols.high[i]!, cols.low[i]!, cols.close[i]!);
        b.updateMany(cols.high, cols.low, cols.close, before, before + count);
        expect(Object.is(b.value, a.value)).toBe(true);
        expect(b.isReady).toBe(a.isReady);
        // and they go on alike
        a.update(150, 90, 120);
        b.update(150, 90, 120);
        expect(Object.is(b.value, a.value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
