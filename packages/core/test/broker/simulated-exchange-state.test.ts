import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedExchange, type SimulatedExchangeOptions, type SimulatedExchangeState } from '../../src/broker/index.js';
import { isQuantumTraderError } from '../../src/errors/quantum-trader-error.js';
import type { BrokerEvent } from '../../src/model/events.js';
import { linearXyz, ManualClock, spotXyz, TF } from './helpers.js';
import { act, randomRunArb, reactLegs, type RandomRun } from './random-run.js';

function optionsFor(run: RandomRun, clock: ManualClock): SimulatedExchangeOptions {
  return {
    instruments: [linearXyz, spotXyz],
    balances: { USDT: run.quote },
    scheduler: clock,
    intrabar: run.intrabar,
    slippageBps: run.slippageBps,
    ...(run.participation !== undefined ? { maxVolumeParticipation: run.participation } : {}),
  };
}

/** Runs candles [from, to) of `run` on `ex`, recording its events. */
function drive(ex: SimulatedExchange, clock: ManualClock, run: RandomRun, from: number, to: number, log: BrokerEvent[]): void {
  const sub = ex.events$.subscribe((e) => {
    log.push(e);
    reactLegs(ex, run, e);
  });
  for (let i = from; i < to; i++) {
    const c = run.candles[i]!;
    clock.t = c.ts;
    act(ex, run, i);
    clock.t = c.ts + TF;
    ex.onCandle(run.symbol, c);
  }
  sub.unsubscribe();
}

/** An uninterrupted run vs. a run exported after `cut` candles, JSON round-tripped, imported into a fresh venue. */
function compare(run: RandomRun, cut: number): void {
  const clockA = new ManualClock();
  const a = new SimulatedExchange(optionsFor(run, clockA));
  const logA: BrokerEvent[] = [];
  drive(a, clockA, run, 0, run.candles.length, logA);

  const clockB = new ManualClock();
  const b = new SimulatedExchange(optionsFor(run, clockB));
  const logB: BrokerEvent[] = [];
  drive(b, clockB, run, 0, cut, logB);
  const saved = JSON.stringify(b.exportState());

  const clockC = new ManualClock();
  clockC.t = clockB.t;
  const c = SimulatedExchange.fromState(JSON.parse(saved) as SimulatedExchangeState, optionsFor(run, clockC));
  drive(c, clockC, run, cut, run.candles.length, logB);

  expect(logB).toEqual(logA);
  expect(c.exportState()).toEqual(a.exportState());
  expect(c.positions()).toEqual(a.positions());
  expect(c.balances()).toEqual(a.balances());
  expect(c.openOrders()).toEqual(a.openOrders());
}

describe('SimulatedExchange state export and import', () => {
  it('resumes from an exported state mid-run exactly as an uninterrupted run continues', () => {
    fc.assert(
      fc.property(
        randomRunArb.chain((run) => fc.tuple(fc.constant(run), fc.integer({ min: 0, max: run.candles.length }))),
        ([run, cut]) => compare(run, cut),
      ),
      { numRuns: 150 },
    );
  });

  it('produces a JSON-serializable snapshot that survives a round trip unchanged', () => {
    const [run] = fc.sample(randomRunArb, { numRuns: 1, seed: 42 });
    const clock = new ManualClock();
    const ex = new SimulatedExchange(optionsFor(run!, clock));
    drive(ex, clock, run!, 0, run!.candles.length, []);
    const state = ex.exportState();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    const other = new SimulatedExchange(optionsFor(run!, new ManualClock()));
    other.importState(state);
    expect(other.exportState()).toEqual(state);
  });

  it('refuses a state that names a symbol the instruments do not have', () => {
    const ex = new SimulatedExchange({ instruments: [linearXyz], balances: {}, scheduler: new ManualClock() });
    const state: SimulatedExchangeState = {
      version: 1,
      balances: { USDT: 1 },
      positions: [{ symbol: 'ABC/USDT:USDT', qty: 1, entryPrice: 1, leverage: 1, margin: 1 }],
      orders: [],
      counters: { order: 0, venue: 0, liquidation: 0 },
      lastPrices: {},
    };
    try {
      ex.importState(state);
      expect.unreachable();
    } catch (err) {
      expect(isQuantumTraderError(err, 'UNKNOWN_SYMBOL')).toBe(true);
      expect((err as Error).message).toContain('ABC/USDT:USDT');
    }
  });
});
