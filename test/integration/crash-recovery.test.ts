import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CandleReplay,
  MemoryIntentQueue,
  ReplayScheduler,
  RiskEngine,
  SimulatedExchange,
  TradingKernel,
  cooldownRule,
  fixedNotionalSizer,
  maxNotionalRule,
  momentumStrategy,
  onePositionPerSymbolRule,
  type Candle,
  type ClientOrderId,
  type Journal,
} from '@quantum-trader/core';
import { ExitBrain } from '@quantum-trader/exit-brain';
import { SqliteJournal } from '@quantum-trader/sql';
import { S, T0, candlesOf, instrument, type Row } from './support/test-market.js';

// "Nothing lost, nothing twice": the process dies at each step of the submit path (journal → send → answer),
// the venue and the SQLite journal survive, a new kernel starts on them, and exactly one order exists.
const rows: Row[] = [
  [98, 98, 98, 98],
  [98, 100, 98, 100], // LONG signal when this closes (entry sent at c1's close)
  [100, 100.5, 99.5, 100], // entry fills at 100
  [100, 102, 99.5, 101.5], // TP1
  [101.5, 101.8, 101, 101.2],
  [101.2, 106, 101, 105.5], // TP2 + TP3
  [105.5, 105.6, 105, 105.2],
];
const candles: Candle[] = candlesOf(rows, 1e6);
const dir = mkdtempSync(join(tmpdir(), 'qt-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kernelOn(
  world: { scheduler: ReplayScheduler; market: CandleReplay; exchange: SimulatedExchange },
  journal: Journal,
  onStep?: (step: 'journalled' | 'sent' | 'answered', coid: ClientOrderId) => void,
): TradingKernel {
  return new TradingKernel({
    scheduler: world.scheduler,
    market: world.market,
    broker: world.exchange,
    journal,
    queue: new MemoryIntentQueue(),
    strategies: [momentumStrategy({ lookbackHours: 5 / 60, timeframe: '5m' })],
    risk: new RiskEngine({
      rules: [maxNotionalRule(1000), onePositionPerSymbolRule(), cooldownRule(86_400_000)],
      sizer: fixedNotionalSizer(1000),
      leverage: 1,
      instrument: () => instrument,
    }),
    instruments: [instrument],
    exits: (ctx) => new ExitBrain(ctx),
    initialBalance: 10_000,
    ...(onStep !== undefined ? { onExecutionStep: onStep } : {}),
  });
}

const steps = ['journalled', 'sent', 'answered'] as const;
const orderNo = [1, 2, 5] as const; // the entry, TP1, and the SL of the plan

describe.each(steps)('a crash right after the order is %s', (step) => {
  it.each(orderNo)('of order #%i leaves exactly one order at the venue after restart, and the ladder completes', async (n) => {
    const scheduler = new ReplayScheduler(T0);
    const market = new CandleReplay({ series: [{ symbol: S, candles }], timeframe: '5m' }, scheduler);
    const exchange = new SimulatedExchange({ instruments: [instrument], balances: { USDT: 10_000 }, scheduler });
    market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
    const world = { scheduler, market, exchange };
    const db = join(dir, `${step}-${n}.sqlite`);

    let seen = 0;
    let crashedOn: ClientOrderId | undefined;
    const first = kernelOn(world, await SqliteJournal.open(db), (s, coid) => {
      if (s === 'journalled') seen++;
      if (s === step && seen === n && crashedOn === undefined) {
        crashedOn = coid;
        throw new Error(`simulated crash after ${s}`);
      }
    });
    await first.start();
    market.start();
    // run until the first kernel dies
    while (first.error === undefined && scheduler.nextDue() !== undefined) scheduler.runUntil(scheduler.nextDue()!);
    expect(first.error).toBeInstanceOf(Error);
    expect(crashedOn).toBeDefined();

    // the process is gone; the venue and the journal file survive. A new process starts on them.
    const journal = await SqliteJournal.open(db);
    const second = kernelOn(world, journal);
    await second.start();
    scheduler.runAll(market.endTime + 60_000);
    second.stop();
    expect(second.error).toBeUndefined();

    const venueOrders = exchange.exportState().orders.filter((o) => o.clientOrderId === crashedOn);
    expect(venueOrders).toHaveLength(1);
    const submitting = journal.events({ types: ['OrderSubmitting'] }).filter((e) => e.event.type === 'OrderSubmitting' && e.event.order.clientOrderId === crashedOn);
    expect(submitting).toHaveLength(1);
    // every order the journal knows exists exactly once at the venue, and vice versa
    const journalCoids = journal.orders().map((o) => o.clientOrderId).sort();
    const venueCoids = exchange.exportState().orders.map((o) => o.clientOrderId).filter((c) => !c.startsWith('liq-')).sort();
    expect(venueCoids).toEqual(journalCoids);
    // the position ended flat through the ladder, and the journal agrees with the venue
    expect(exchange.positions()).toEqual([]);
    expect(journal.positions({ status: 'open' })).toEqual([]);
    const trades = journal.trades();
    expect(trades).toHaveLength(1);
    expect(trades[0]!.exitReason).toBe('tp3');
    journal.close();
  });
});
