import { describe, expect, it } from 'vitest';
import { filter, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  CandleReplay,
  MemoryIntentQueue,
  MemoryJournal,
  RiskEngine,
  SimulatedExchange,
  TradingKernel,
  type DomainEvent,
} from '@quantum-trader/core';
import { ExitBrain, ExitProfileRegistry, TIME_STOP_PROFILE, type ExitBrainOptions } from '@quantum-trader/exit-brain';
import { INSTRUMENT, scriptedEntry, type Row } from './support/kernel-harness.js';

// The engine in virtual time: the kernel, the simulated exchange and the Exit Brain on a TestScheduler, with the
// exit events of the journal as a marble diagram. Candles are 5 minutes; candle i closes at (i + 1) × 5m.
//   P ExitPlanCreated · a/b/c TP1/TP2/TP3 filled · m a stop (re)placed after the first · s the stop filled
//   t the time stop filled · C ExitPlanCompleted

const M5 = 300_000;
const candles = (rows: readonly Row[]) => rows.map(([open, high, low, close], i) => ({ ts: i * M5, open, high, low, close, volume: 1_000 }));

function exitEvents(scheduler: TestScheduler, rows: readonly Row[], brain: ExitBrainOptions): Observable<string> {
  const market = new CandleReplay({ series: [{ symbol: INSTRUMENT.symbol, candles: candles(rows) }], timeframe: '5m' }, scheduler);
  const exchange = new SimulatedExchange({ instruments: [INSTRUMENT], balances: { USDT: 10_000 }, scheduler });
  market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
  const kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal: new MemoryJournal(),
    queue: new MemoryIntentQueue(),
    strategies: [scriptedEntryAtZero()],
    risk: new RiskEngine({ rules: [], sizer: () => 10, leverage: 1, instrument: () => INSTRUMENT }),
    instruments: [INSTRUMENT],
    exits: (ctx) => new ExitBrain(ctx, { volatility: () => 0.01, timeframe: '5m', ...brain }),
    initialBalance: 10_000,
    resume: 'fresh',
  });
  const legs = new Map<string, string>();
  const letters = kernel.events$.pipe(
    map((e: DomainEvent): string | undefined => {
      switch (e.type) {
        case 'ExitPlanCreated':
          return 'P';
        case 'ExitPlanCompleted':
          return 'C';
        case 'OrderSubmitting':
          legs.set(e.order.clientOrderId, e.order.leg ?? '');
          return e.order.type === 'stop_market' && e.order.leg !== 'sl' ? 'm' : undefined;
        case 'OrderFilled': {
          const leg = legs.get(e.clientOrderId) ?? '';
          return { tp1: 'a', tp2: 'b', tp3: 'c', 'time-stop': 't' }[leg] ?? (leg.startsWith('sl') ? 's' : undefined);
        }
        default:
          return undefined;
      }
    }),
    filter((x): x is string => x !== undefined),
  );
  void kernel.start(); // synchronous with resume 'fresh'
  market.start();
  scheduler.schedule(() => kernel.stop(), 12 * M5);
  return letters;
}

function scriptedEntryAtZero() {
  return scriptedEntry({ at: 0, side: 'long', qty: 10 }, 0);
}

const FLAT: Row = [100, 100, 100, 100];
const QUIET: Row = [100, 100.5, 99.5, 100];

describe('the Exit Brain in virtual time (marbles)', () => {
  const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

  it('breakeven ladder: plan at the entry (10m), TP1 + stop moved (15m), TP2 + stop resized (20m), breakeven stop + completion (25m)', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const rows: Row[] = [FLAT, QUIET, [100, 102.2, 100, 102], [102, 103.5, 101.5, 103], [103, 103.1, 99.5, 99.8]];
      expectObservable(exitEvents(ts, rows, { profile: 'BREAKEVEN_AFTER_TP1' })).toBe(
        '10m P 299999ms (am) 299996ms (bm) 299996ms (sC)',
      );
    });
  });

  it('time stop: whatever is open 15 minutes after the entry leaves at the next open', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const rows: Row[] = [FLAT, QUIET, QUIET, QUIET, QUIET, QUIET, QUIET];
      const profiles = new ExitProfileRegistry().register({ ...TIME_STOP_PROFILE, name: 'T15', timeStopMs: 15 * 60_000 });
      // entry fills at 10m; at 25m (15 minutes later) the time stop is sent; it fills when the next candle closes
      expectObservable(exitEvents(ts, rows, { profiles, profile: 'T15' })).toBe('10m P 1199999ms (tC)');
    });
  });

  it('local legs: TP1 is touched in the candle closing at 15m and fills with the next one (20m)', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const rows: Row[] = [FLAT, QUIET, [100, 102.2, 100, 102], [101.5, 101.8, 100.5, 100.8], [100.8, 101, 97.9, 98.2], [97.5, 98, 97, 97.8]];
      expectObservable(exitEvents(ts, rows, { execution: 'local' })).toBe('10m P 599999ms a 599999ms (sC)');
    });
  });
});
