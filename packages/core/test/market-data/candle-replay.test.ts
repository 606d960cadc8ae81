import type { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { candleColumnsFrom, CandleReplay, ReplayScheduler, symbolId, type Candle, type CandleEvent, type SymbolId } from '../../src/index.js';
import type { CandleRunConsumer } from '../../src/ports/market-data.js';

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

/** What a fake run consumer saw, in order (`at`: the virtual time of the call). */
type RunEntry =
  | { kind: 'next'; symbol: string; ts: number; at: number }
  | { kind: 'absorb'; symbol: string; from: number; to: number; lastClose: number; at: number }
  | { kind: 'skipped'; until: number; at: number }
  | { kind: 'action'; at: number };

/**
 * A fake CandleRunConsumer on `scheduler`: quiet about every candle except those `loud(symbol, ts)` picks; records
 * every call into `log`.
 */
function runConsumer(
  scheduler: ReplayScheduler,
  log: RunEntry[],
  loud: (symbol: SymbolId, ts: number) => boolean = () => false,
  timers: () => Subscription[] = () => [],
): CandleRunConsumer {
  return {
    next: (e) => log.push({ kind: 'next', symbol: e.symbol, ts: e.candle.ts, at: scheduler.now() }),
    quietUntil: (symbol, cols, from, to) => {
      for (let i = from; i < to; i++) if (loud(symbol, cols.ts[i]!)) return i;
      return to;
    },
    absorb: (symbol, cols, from, to) =>
      log.push({ kind: 'absorb', symbol, from, to, lastClose: cols.ts[to - 1]! + M, at: scheduler.now() }),
    quietTimers: timers,
    skipped: (until) => log.push({ kind: 'skipped', until, at: scheduler.now() }),
  };
}

/** Open times of every candle of `symbol` the log shows, through `next` or `absorb`, in delivery order. */
function delivered(log: readonly RunEntry[], symbol: SymbolId, candles: readonly Candle[]): number[] {
  const out: number[] = [];
  for (const e of log) {
    if (e.kind === 'next' && e.symbol === symbol) out.push(e.ts);
    if (e.kind === 'absorb' && e.symbol === symbol) for (let i = e.from; i < e.to; i++) out.push(candles[i]!.ts);
  }
  return out;
}

function runReplay(series: { symbol: SymbolId; candles: Candle[] }[], scheduler = new ReplayScheduler(T0)) {
  const market = new CandleReplay(
    { series: series.map((s) => ({ symbol: s.symbol, candles: candleColumnsFrom(s.candles) })), timeframe: '1m' },
    scheduler,
  );
  return { market, scheduler };
}

describe('CandleReplay quiet runs', () => {
  const a = series(300, 0, 100);

  it('hands every candle to an always-quiet consumer through absorb, once and in order, then reports skipped', () => {
    const log: RunEntry[] = [];
    const { market, scheduler } = runReplay([{ symbol: A, candles: a }]);
    market.subscribeRuns(runConsumer(scheduler, log));
    market.start();
    scheduler.runAll();
    expect(log.filter((e) => e.kind === 'next')).toEqual([]);
    const absorbs = log.filter((e) => e.kind === 'absorb');
    expect(absorbs.length).toBeGreaterThan(0);
    // Contiguous ranges from the first candle to the last.
    let cursor = 0;
    for (const e of absorbs) {
      expect(e.from).toBe(cursor);
      expect(e.to).toBeGreaterThan(e.from);
      cursor = e.to;
    }
    expect(cursor).toBe(a.length);
    expect(delivered(log, A, a)).toEqual(a.map((c) => c.ts));
    // Every absorb is followed by skipped(close of the last absorbed candle); the last one is the last close.
    const skipped = log.filter((e) => e.kind === 'skipped');
    expect(skipped.map((e) => e.until)).toEqual(absorbs.map((e) => e.lastClose));
    expect(skipped.at(-1)!.until).toBe(T0 + 300 * M);
    expect(log.at(-1)).toEqual({ kind: 'skipped', until: T0 + 300 * M, at: T0 + M });
  });

  it('delivers the candle a consumer is not quiet about through next, absorbing the quiet stretches around it', () => {
    const k = 100;
    const log: RunEntry[] = [];
    const { market, scheduler } = runReplay([{ symbol: A, candles: a }]);
    market.subscribeRuns(runConsumer(scheduler, log, (_s, ts) => ts === a[k]!.ts));
    market.start();
    scheduler.runAll();
    expect(log).toEqual([
      { kind: 'absorb', symbol: A, from: 0, to: k, lastClose: T0 + k * M, at: T0 + M },
      { kind: 'skipped', until: T0 + k * M, at: T0 + M },
      // Delivered at its own close time, on the ordinary path.
      { kind: 'next', symbol: A, ts: a[k]!.ts, at: T0 + (k + 1) * M },
      { kind: 'absorb', symbol: A, from: k + 1, to: 300, lastClose: T0 + 300 * M, at: T0 + (k + 2) * M },
      { kind: 'skipped', until: T0 + 300 * M, at: T0 + (k + 2) * M },
    ]);
    expect(delivered(log, A, a)).toEqual(a.map((c) => c.ts));
  });

  it('asks again with scanFrom at the end of the last window everyone found quiet, and only then', () => {
    const k = 200;
    const asks: { from: number; to: number; scanFrom: number | undefined; answer: number }[] = [];
    const log: RunEntry[] = [];
    const { market, scheduler } = runReplay([{ symbol: A, candles: a }]);
    const base = runConsumer(scheduler, log, (_s, ts) => ts === a[k]!.ts);
    market.subscribeRuns({
      ...base,
      quietUntil: (symbol, cols, from, to, scanFrom) => {
        const answer = base.quietUntil(symbol, cols, from, to);
        asks.push({ from, to, scanFrom, answer });
        return answer;
      },
    });
    market.start();
    scheduler.runAll();
    expect(asks.length).toBeGreaterThan(2);
    for (let i = 0; i < asks.length; i++) {
      const { from, scanFrom } = asks[i]!;
      expect(scanFrom).toBeGreaterThanOrEqual(from);
      if (scanFrom! > from) {
        // the ask before was about [from, scanFrom), and the answer was: all quiet
        expect(asks[i - 1]).toMatchObject({ from, to: scanFrom, answer: scanFrom });
      }
    }
    expect(delivered(log, A, a)).toEqual(a.map((c) => c.ts));
  });

  it('delivers every candle through next when the consumer is never quiet, or not quiet about the first one', () => {
    const log: RunEntry[] = [];
    const { market, scheduler } = runReplay([{ symbol: A, candles: a }]);
    market.subscribeRuns(runConsumer(scheduler, log, () => true));
    market.start();
    scheduler.runAll();
    expect(log.every((e) => e.kind === 'next')).toBe(true);
    expect(log.map((e) => (e.kind === 'next' ? e.at : -1))).toEqual(a.map((c) => c.ts + M));

    const log2: RunEntry[] = [];
    const two = runReplay([{ symbol: A, candles: a }]);
    two.market.subscribeRuns(runConsumer(two.scheduler, log2, (_s, ts) => ts === a[0]!.ts));
    two.market.start();
    two.scheduler.runAll();
    expect(log2.slice(0, 2)).toEqual([
      { kind: 'next', symbol: A, ts: a[0]!.ts, at: T0 + M },
      { kind: 'absorb', symbol: A, from: 1, to: 300, lastClose: T0 + 300 * M, at: T0 + 2 * M },
    ]);
  });

  it('never absorbs, before another scheduled action runs, a candle closing after that action is due', () => {
    const log: RunEntry[] = [];
    const { market, scheduler } = runReplay([{ symbol: A, candles: a }]);
    market.subscribeRuns(runConsumer(scheduler, log));
    const due = T0 + 50 * M;
    scheduler.schedule(() => log.push({ kind: 'action', at: scheduler.now() }), due - T0);
    market.start();
    scheduler.runAll();
    const actionAt = log.findIndex((e) => e.kind === 'action');
    expect(actionAt).toBeGreaterThan(0);
    for (const e of log.slice(0, actionAt)) if (e.kind === 'absorb') expect(e.lastClose).toBeLessThanOrEqual(due);
    // A candle closing at the action's due time comes before it (candles first at the same instant).
    expect(log).toEqual([
      { kind: 'absorb', symbol: A, from: 0, to: 50, lastClose: due, at: T0 + M },
      { kind: 'skipped', until: due, at: T0 + M },
      { kind: 'action', at: due },
      { kind: 'absorb', symbol: A, from: 50, to: 300, lastClose: T0 + 300 * M, at: T0 + 51 * M },
      { kind: 'skipped', until: T0 + 300 * M, at: T0 + 51 * M },
    ]);
    expect(delivered(log, A, a)).toEqual(a.map((c) => c.ts));
  });

  it.each([1, 63, 64, 65, 127, 128, 129, 200])(
    'ends the run before an action due after %i minutes exactly there, at and around the window sizes',
    (minutes) => {
      const log: RunEntry[] = [];
      const { market, scheduler } = runReplay([{ symbol: A, candles: a }]);
      market.subscribeRuns(runConsumer(scheduler, log));
      const due = T0 + minutes * M;
      scheduler.schedule(() => log.push({ kind: 'action', at: scheduler.now() }), due - T0);
      market.start();
      scheduler.runAll();
      const actionAt = log.findIndex((e) => e.kind === 'action');
      const before = log.slice(0, actionAt).filter((e) => e.kind === 'absorb');
      expect(before.at(-1)).toMatchObject({ to: minutes, lastClose: due });
      expect(delivered(log, A, a)).toEqual(a.map((c) => c.ts));
    },
  );

  it('does not let the timers of quietTimers() bound a run, but does bound it by the other actions', () => {
    const log: RunEntry[] = [];
    const ticks: number[] = [];
    const scheduler = new ReplayScheduler(T0);
    let own: Subscription | undefined;
    const { market } = runReplay([{ symbol: A, candles: a }], scheduler);
    market.subscribeRuns(runConsumer(scheduler, log, () => false, () => (own === undefined ? [] : [own])));
    // The consumer's own 10-minute timer (ignored by runs) and a foreign one-shot action at +120 min.
    own = scheduler.schedule(function () {
      ticks.push(scheduler.now());
      if (scheduler.now() < T0 + 400 * M) this.schedule(undefined, 10 * M);
    }, 10 * M);
    scheduler.schedule(() => log.push({ kind: 'action', at: scheduler.now() }), 120 * M);
    market.start();
    scheduler.runAll();
    expect(log).toEqual([
      { kind: 'absorb', symbol: A, from: 0, to: 120, lastClose: T0 + 120 * M, at: T0 + M },
      { kind: 'skipped', until: T0 + 120 * M, at: T0 + M },
      { kind: 'action', at: T0 + 120 * M },
      { kind: 'absorb', symbol: A, from: 120, to: 300, lastClose: T0 + 300 * M, at: T0 + 121 * M },
      { kind: 'skipped', until: T0 + 300 * M, at: T0 + 121 * M },
    ]);
    // The own timer still ticks in virtual time, after the run that passed its due times.
    expect(ticks).toEqual(Array.from({ length: 40 }, (_, i) => T0 + (i + 1) * 10 * M));
  });

  it('disables runs while a plain candles$ subscriber is there, and resumes them once it has left', () => {
    const log: RunEntry[] = [];
    const { market, scheduler } = runReplay([{ symbol: A, candles: a }]);
    market.subscribeRuns(runConsumer(scheduler, log));
    const plain: number[] = [];
    market.candles$.subscribe((e) => plain.push(e.candle.ts));
    market.start();
    scheduler.runAll();
    expect(log.every((e) => e.kind === 'next')).toBe(true);
    expect(log.map((e) => (e.kind === 'next' ? [e.ts, e.at] : []))).toEqual(a.map((c) => [c.ts, c.ts + M]));
    expect(plain).toEqual(a.map((c) => c.ts));

    const log2: RunEntry[] = [];
    const two = runReplay([{ symbol: A, candles: a }]);
    two.market.subscribeRuns(runConsumer(two.scheduler, log2));
    const leaving: number[] = [];
    const sub = two.market.candles$.subscribe((e) => {
      leaving.push(e.candle.ts);
      if (leaving.length === 10) sub.unsubscribe();
    });
    two.market.start();
    two.scheduler.runAll();
    expect(leaving).toEqual(a.slice(0, 10).map((c) => c.ts));
    expect(log2.slice(0, 10).every((e) => e.kind === 'next')).toBe(true);
    expect(log2.slice(10)).toEqual([
      { kind: 'absorb', symbol: A, from: 10, to: 300, lastClose: T0 + 300 * M, at: T0 + 11 * M },
      { kind: 'skipped', until: T0 + 300 * M, at: T0 + 11 * M },
    ]);
  });

  it.each([
    // candle 100 of A closes at +101 min, with candle 97 of B: B absorbs [0, 97) first, then both go through next.
    ['the first series', A, 100, [[A, 0, 100], [B, 0, 97], [A, 101, 300], [B, 98, 200]]],
    // candle 50 of B closes at +54 min, with candle 53 of A, which goes through next too (and first).
    ['the second series', B, 50, [[A, 0, 53], [B, 0, 50], [A, 54, 300], [B, 51, 200]]],
  ] as const)(
    'with two series, a candle of %s nobody is quiet about stops both series at its close time',
    (_name, loudSymbol, k, runs) => {
      // A: opens at T0 + i min; B: opens at T0 + (i + 3) min, so candle i of B closes with candle i + 3 of A.
      const b = series(200, 3, 50);
      const loudCandle = (loudSymbol === A ? a : b)[k]!;
      const T = loudCandle.ts + M;
      const log: RunEntry[] = [];
      const { market, scheduler } = runReplay(
        [
          { symbol: A, candles: a },
          { symbol: B, candles: b },
        ],
        new ReplayScheduler(T0),
      );
      market.subscribeRuns(runConsumer(scheduler, log, (s, ts) => s === loudSymbol && ts === loudCandle.ts));
      market.start();
      scheduler.runAll();
      const loudAt = log.findIndex((e) => e.kind === 'next' && e.symbol === loudSymbol && e.ts === loudCandle.ts);
      expect(loudAt).toBeGreaterThan(0);
      // Before the loud candle: nothing absorbed that closes at or after T, in either series.
      for (const e of log.slice(0, loudAt)) if (e.kind === 'absorb') expect(e.lastClose).toBeLessThan(T);
      // The candles closing at T are delivered one by one at T, in series order (A before B).
      const atT = log.filter((e) => e.kind === 'next' && e.at === T);
      expect(atT.map((e) => (e.kind === 'next' ? [e.symbol, e.ts + M] : []))).toEqual([
        [A, T],
        [B, T],
      ]);
      expect(log.filter((e) => e.kind === 'next')).toHaveLength(2);
      // After it, runs resume with the candles closing after T.
      for (const e of log.slice(loudAt)) {
        if (e.kind === 'absorb') expect((e.symbol === A ? a : b)[e.from]!.ts + M).toBeGreaterThan(T);
      }
      expect(log.flatMap((e) => (e.kind === 'absorb' ? [[e.symbol, e.from, e.to]] : []))).toEqual(runs);
      // Each series sees each of its candles exactly once, in order.
      expect(delivered(log, A, a)).toEqual(a.map((c) => c.ts));
      expect(delivered(log, B, b)).toEqual(b.map((c) => c.ts));
    },
  );

  it('never absorbs, within scheduler.runUntil(t), a candle closing after t', () => {
    const log: RunEntry[] = [];
    const { market, scheduler } = runReplay([{ symbol: A, candles: a }]);
    market.subscribeRuns(runConsumer(scheduler, log));
    market.start();
    const chunks = [T0 + 50 * M, T0 + 50 * M + 30_000, T0 + 120 * M + 1, T0 + 121 * M, T0 + 400 * M];
    let seen = 0;
    let previous = T0;
    for (const t of chunks) {
      scheduler.runUntil(t);
      const added = log.slice(seen);
      seen = log.length;
      for (const e of added) {
        if (e.kind === 'absorb') {
          expect(e.lastClose).toBeLessThanOrEqual(t);
          expect(a[e.from]!.ts + M).toBeGreaterThan(previous);
        }
        if (e.kind === 'skipped') expect(e.until).toBeLessThanOrEqual(t);
      }
      previous = t;
    }
    expect(log.filter((e) => e.kind === 'next')).toEqual([]);
    expect(log.filter((e) => e.kind === 'absorb').map((e) => (e.kind === 'absorb' ? [e.from, e.to] : []))).toEqual([
      [0, 50],
      [50, 120],
      [120, 121],
      [121, 300],
    ]);
    expect(delivered(log, A, a)).toEqual(a.map((c) => c.ts));
  });
});
