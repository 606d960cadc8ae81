import { describe, expect, it } from 'vitest';
import {
  CandleReplay,
  MemoryJournal,
  ReplayScheduler,
  SimulatedExchange,
  clientOrderIdOf,
  type PlanId,
  type SimulatedExchangeState,
} from '@quantum-trader/core';
import type { ExecutionMode, PositionOutcome } from '@quantum-trader/exit-brain';
import { INSTRUMENT, M5, T0, candlesOf, collect, fillSummary, kernelOn, type Entry, type Row } from './support/kernel-harness.js';

// A process restart in the middle of a ladder: TP1 has filled and the stop sits at breakeven when the process dies.
// The venue survives — but has lost the TP2 order. The new process re-arms the plan from the journal, finds TP2
// missing among the venue's open orders, re-places it with the same client order id, and the ladder finishes
// exactly as it would have without the restart.

const ENTRY: Entry = { at: 0, side: 'long', qty: 10 };
const ROWS: Row[] = [
  [100, 100, 100, 100],
  [100, 100.5, 99.5, 100], // c1: entry at 100
  [100, 102.2, 100, 102], // c2: TP1 → stop to breakeven (the process dies after this candle)
  [102, 102.5, 101.5, 102.2], // c3
  [102.2, 103.6, 101.9, 103.5], // c4: TP2
  [103.5, 103.6, 99.8, 100.1], // c5: breakeven stop
  [99.9, 100.2, 99.5, 99.9], // c6: (local legs act one candle later)
];

function marketOn(scheduler: ReplayScheduler, from?: number): CandleReplay {
  const market = new CandleReplay(
    { series: [{ symbol: INSTRUMENT.symbol, candles: candlesOf(ROWS) }], timeframe: '5m', ...(from !== undefined ? { from } : {}) },
    scheduler,
  );
  return market;
}

async function uninterrupted(mode: ExecutionMode) {
  const scheduler = new ReplayScheduler(T0);
  const market = marketOn(scheduler);
  const exchange = new SimulatedExchange({ instruments: [INSTRUMENT], balances: { USDT: 10_000 }, scheduler });
  market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
  const journal = new MemoryJournal();
  const { kernel, brain } = kernelOn({ scheduler, market, exchange, journal, entry: ENTRY, brain: { profile: 'BREAKEVEN_AFTER_TP1', execution: mode, store: journal, venue: exchange } });
  const outcomes: PositionOutcome[] = [];
  brain().outcomes$.subscribe((o) => outcomes.push(o));
  await kernel.start();
  market.start();
  scheduler.runAll(market.endTime + 60_000);
  kernel.stop();
  if (kernel.error !== undefined) throw kernel.error;
  return { fills: fillSummary(collect(journal).events), outcomes };
}

describe.each(['venue', 'local'] as const)('a restart in the middle of a ladder (%s legs)', (mode) => {
  it('re-arms the plan from the journal, re-places a leg the venue lost with the same client order id, and ends as an uninterrupted run', async () => {
    const expected = await uninterrupted(mode);
    // Local legs trigger at a candle's close and fill at the next open: TP1 is done one candle later.
    const CRASH_AFTER = mode === 'venue' ? 2 : 3;

    // --- first process: runs until candle 2 has closed, then dies ---
    const s1 = new ReplayScheduler(T0);
    const m1 = marketOn(s1);
    const options = { instruments: [INSTRUMENT], balances: { USDT: 10_000 } };
    const venue1 = new SimulatedExchange({ ...options, scheduler: s1 });
    m1.candles$.subscribe((e) => venue1.onCandle(e.symbol, e.candle));
    const journal = new MemoryJournal();
    const first = kernelOn({ scheduler: s1, market: m1, exchange: venue1, journal, entry: ENTRY, brain: { profile: 'BREAKEVEN_AFTER_TP1', execution: mode, store: journal, venue: venue1 } });
    await first.kernel.start();
    m1.start();
    const crashAt = T0 + (CRASH_AFTER + 1) * M5;
    s1.runUntil(crashAt);
    first.kernel.stop();
    expect(first.brain().snapshot()[0]).toMatchObject({ qty: 7, stopKind: 'breakeven' });

    // --- the venue survives, minus the TP2 order (venue mode) ---
    const planId = `plan-${first.brain().snapshot()[0]!.positionId}` as PlanId;
    const tp2 = clientOrderIdOf(planId, 'tp2');
    const saved = venue1.exportState();
    const lost: SimulatedExchangeState = mode === 'venue' ? { ...saved, orders: saved.orders.filter((o) => o.clientOrderId !== tp2) } : saved;
    const s2 = new ReplayScheduler(crashAt);
    const venue2 = SimulatedExchange.fromState(lost, { ...options, scheduler: s2 });
    const m2 = marketOn(s2, T0 + (CRASH_AFTER + 1) * M5);
    m2.candles$.subscribe((e) => venue2.onCandle(e.symbol, e.candle));

    // --- second process: same journal, resumes from it ---
    const second = kernelOn({ scheduler: s2, market: m2, exchange: venue2, journal, entry: ENTRY, resume: 'journal', brain: { profile: 'BREAKEVEN_AFTER_TP1', execution: mode, store: journal, venue: venue2 } });
    const outcomes: PositionOutcome[] = [];
    second.brain().outcomes$.subscribe((o) => outcomes.push(o));
    await second.kernel.start();
    expect(second.brain().snapshot()).toMatchObject([{ qty: 7, stopKind: 'breakeven', stop: { price: 100, qty: 7 } }]);
    if (mode === 'venue') {
      const open = venue2.openOrders().map((o) => `${o.type} ${o.qty} @ ${o.price ?? o.stopPrice}`);
      expect(open).toEqual(['limit 4 @ 105.2', 'stop_market 7 @ 100', 'limit 3 @ 103.25']);
      expect(venue2.getOrder(tp2, INSTRUMENT.symbol)?.status).toBe('open');
      const reconciled = journal.events({ types: ['ReconciliationPerformed'] }).map((j) => j.event);
      expect(reconciled).toMatchObject([{ journal: 'open', venue: 'unknown at venue', action: 're-placing 3 with the same client order id' }]);
    } else {
      expect(venue2.openOrders()).toEqual([]); // local legs: nothing rests at the venue
    }
    m2.start();
    s2.runAll(m2.endTime + 60_000);
    second.kernel.stop();
    if (second.kernel.error !== undefined) throw second.kernel.error;

    const { events } = collect(journal);
    expect(fillSummary(events)).toEqual(expected.fills);
    // the gateway never sent a leg twice
    const submitted = events.flatMap((e) => (e.type === 'OrderSubmitting' ? [e.order.clientOrderId] : []));
    expect(new Set(submitted).size).toBe(submitted.length);
    expect(outcomes).toHaveLength(1);
    // Portfolio.restore rebuilds the exit notional and the fees from the journal's fills, so the outcome after a
    // restart is the outcome of an uninterrupted run, field for field.
    const { exitPrice, fees, ...after } = outcomes[0]!;
    const { exitPrice: expectedExitPrice, fees: expectedFees, ...before } = expected.outcomes[0]!;
    expect(after).toEqual(before);
    expect(exitPrice).toBeCloseTo(expectedExitPrice, 9);
    expect(fees).toBeCloseTo(expectedFees, 9);
    expect(after.exitReasons).toEqual(['tp1', 'tp2', 'breakeven_stop']);
    expect(venue2.openOrders()).toEqual([]);
    expect(journal.exitPlans({ status: 'active' })).toEqual([]);
  });
});
