import { describe, expect, it } from 'vitest';
import { candleColumnsFrom, CandleReplay, ReplayScheduler, symbolId, type Candle, type CandleEvent } from '../../src/index.js';

const A = symbolId('AAA/USDT');
const B = symbolId('BBB/USDT');
const M = 60_000;
const T0 = Date.UTC(2021, 0, 1);
const series = (n: number, offset: number, base: number): Candle[] =>
  Array.from({ length: n }, (_, i) => ({ ts: T0 + (i + offset) * M, open: base + i, high: base + i + 2, low: base + i - 1, close: base + i + 1, volume: 10 + i }));

function replay(columns: boolean, from?: number, to?: number) {
  const a = series(10, 0, 100);
  const b = series(6, 3, 50);
  const scheduler = new ReplayScheduler(T0);
  const market = new CandleReplay(
    {
      series: [
        { symbol: A, candles: columns ? candleColumnsFrom(a) : a },
        { symbol: B, candles: columns ? candleColumnsFrom(b) : b },
      ],
      timeframe: '1m',
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    },
    scheduler,
  );
  const seen: (CandleEvent & { at: number })[] = [];
  let completed = false;
  market.candles$.subscribe({ next: (e) => seen.push({ ...e, at: scheduler.now() }), complete: () => (completed = true) });
  market.start();
  scheduler.runAll();
  return { market, seen, completed, scheduler };
}

describe('CandleReplay', () => {
  it('replays candle columns exactly like the same candles as objects', () => {
    for (const [from, to] of [[undefined, undefined], [T0 + 4 * M, undefined], [T0 + 2 * M, T0 + 7 * M]] as const) {
      const objects = replay(false, from, to);
      const columns = replay(true, from, to);
      expect(columns.seen).toEqual(objects.seen);
      expect(columns.completed && objects.completed).toBe(true);
      expect([columns.market.startTime, columns.market.endTime]).toEqual([objects.market.startTime, objects.market.endTime]);
      for (const asOf of [T0, T0 + 3 * M, T0 + 5 * M + 1, T0 + 20 * M]) {
        expect(columns.market.history(A, 4, asOf)).toEqual(objects.market.history(A, 4, asOf));
        expect(columns.market.history(B, 2, asOf)).toEqual(objects.market.history(B, 2, asOf));
      }
    }
  });

  it('emits each candle at its close, all symbols merged in time order', () => {
    const { seen } = replay(true);
    expect(seen.every((e) => e.at === e.candle.ts + M)).toBe(true);
    expect(seen.map((e) => e.at)).toEqual([...seen.map((e) => e.at)].sort((x, y) => x - y));
    expect(seen.filter((e) => e.symbol === B).map((e) => e.candle.close)).toEqual([51, 52, 53, 54, 55, 56]);
  });

  it('stops delivering to a subscriber that unsubscribes, and completes late subscribers at once', () => {
    const a = series(5, 0, 100);
    const scheduler = new ReplayScheduler(T0);
    const market = new CandleReplay({ series: [{ symbol: A, candles: candleColumnsFrom(a) }], timeframe: '1m' }, scheduler);
    const first: number[] = [];
    const second: number[] = [];
    const sub = market.candles$.subscribe((e) => {
      first.push(e.candle.ts);
      if (first.length === 2) sub.unsubscribe();
    });
    market.candles$.subscribe((e) => second.push(e.candle.ts));
    market.start();
    scheduler.runAll();
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(5);
    let completed = false;
    market.candles$.subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });
});
