import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candleColumnsFrom, symbolId, type Candle } from '../../src/index.js';
import { RunCloses } from '../../src/market-data/replay/run-closes.js';

const M = 60_000;
const A = symbolId('A/USDT');
const B = symbolId('B/USDT');
const candles = (start: number, closes: number[]): Candle[] =>
  closes.map((c, i) => ({ ts: start + i * M, open: c, high: c, low: c, close: c, volume: 1 }));

describe('RunCloses', () => {
  it('walks two runs in close-time order, visiting each moved run once with its latest close', () => {
    const a = candleColumnsFrom(candles(0, [10, 11, 12, 13])); // closes at 1, 2, 3, 4 min
    const b = candleColumnsFrom(candles(M / 2, [20, 21, 22])); // closes at 1.5, 2.5, 3.5 min
    const walk = new RunCloses([{ symbol: A, candles: a, from: 1, to: 4 }, { symbol: B, candles: b, from: 0, to: 3 }], M);
    const before: [string, number][] = [];
    walk.before((s, c) => before.push([s, c]));
    expect(before).toEqual([[A, 10]]); // B's run starts at its first candle: nothing before it

    const seen: [number, string, number][] = [];
    for (let t = walk.next(); t !== Number.POSITIVE_INFINITY; t = walk.next()) walk.passUntil(t, (s, c) => seen.push([t / M, s, c]));
    expect(seen).toEqual([
      [1.5, B, 20],
      [2, A, 11],
      [2.5, B, 21],
      [3, A, 12],
      [3.5, B, 22],
      [4, A, 13],
    ]);
  });

  it('passes several candles of a run at once, reporting only the latest', () => {
    const a = candleColumnsFrom(candles(0, [10, 11, 12, 13]));
    const walk = new RunCloses([{ symbol: A, candles: a, from: 0, to: 4 }], M);
    const seen: number[] = [];
    walk.passUntil(3 * M, (_s, c) => seen.push(c));
    walk.passUntil(3 * M, (_s, c) => seen.push(c)); // nothing left up to then
    expect(seen).toEqual([12]);
    expect(walk.next()).toBe(4 * M);
  });

  it('passes exactly the candles a one-by-one walk passes, for any gaps and ticks (the gallop agrees with the loop)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(M), fc.integer({ min: 1, max: 30 * M })), { minLength: 1, maxLength: 300 }), // gaps between open times, ms
        // ticks: a candle's close time -1, +0 or +1 ms (the edges), or any time
        fc.array(fc.oneof(fc.tuple(fc.nat(299), fc.integer({ min: -1, max: 1 })), fc.integer({ min: 0, max: 2_000 * M })), { minLength: 1, maxLength: 40 }),
        fc.nat(20),
        (gaps, ticks, skip) => {
          const opens: number[] = [];
          let t0 = 1_617_000_000_000;
          for (const g of gaps) opens.push((t0 += g));
          const cols = candleColumnsFrom(opens.map((ts, i) => ({ ts, open: i, high: i, low: i, close: i, volume: 1 })));
          const from = Math.min(skip, opens.length - 1);
          const walk = new RunCloses([{ symbol: A, candles: cols, from, to: opens.length }], M);
          let at = from; // the plain walk: one candle at a time
          const times = ticks.map((k) => (typeof k === 'number' ? opens[0]! + k : opens[Math.min(k[0], opens.length - 1)]! + M + k[1]));
          for (const t of times.sort((x, y) => x - y)) {
            const seen: number[] = [];
            walk.passUntil(t, (_s, c) => seen.push(c));
            const start = at;
            while (at < opens.length && opens[at]! + M <= t) at++;
            expect(seen).toEqual(at === start ? [] : [at - 1]);
            expect(walk.next()).toBe(at < opens.length ? opens[at]! + M : Number.POSITIVE_INFINITY);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
