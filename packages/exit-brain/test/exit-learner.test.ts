import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryJournal, isQuantumTraderError, symbolId, type ExitPlanCreated, type PositionClosed, type PositionOpened } from '@quantum-trader/core';
import {
  ExitBrain,
  ExitLearner,
  LEARNER_STATE_KEY,
  parseLearnerState,
  type LearnerSample,
  type PositionOutcome,
} from '@quantum-trader/exit-brain';
import { BTC, FakeContext, POSITION } from './fixtures.js';
import { counterfactualMinutes, counterfactualR } from '../src/learning/counterfactual-replay.js';

const DAY = 86_400_000;
const T0 = 1_700_000_000_000;
const ETH = symbolId('ETH/USDT:USDT');

/**
 * A long at 50 000 with the low-regime ladder (TP 1.95 / 3.25 / 5.2 %, stop 2 %) that went 1 % its way, then
 * 2 % against it and was stopped: in base-stop units MFE 0.5, MAE 1.
 */
function outcome(over: Partial<PositionOutcome> = {}): PositionOutcome {
  const closedAt = over.closedAt ?? T0 + 3_600_000;
  return {
    positionId: POSITION,
    symbol: BTC.symbol,
    side: 'long',
    profile: 'STANDARD_LADDER',
    regime: 'low',
    volatility: 0.01,
    leverage: 1,
    qty: 0.01,
    entryPrice: 50_000,
    exitPrice: 49_000,
    openedAt: closedAt - 3_600_000, // open for an hour
    closedAt,
    baseTakeProfitPcts: [0.0195, 0.0325, 0.052],
    baseStopLossPct: 0.02,
    takeProfitPcts: [0.0195, 0.0325, 0.052],
    stopLossPct: 0.02,
    exitReasons: ['stop_loss'],
    exitReason: 'stop_loss',
    realizedPnl: -10.4,
    fees: 0.4,
    riskAmount: 10,
    realizedR: -1.04,
    mfePct: 0.01,
    maePct: 0.02,
    mfeBeforeAdverse: [0.002, 0.01, 0.01, 0.01, 0.01],
    adverseTimesMs: [600_000, 1_800_000, 3_600_000, null, null],
    favourableTimesMs: [300_000, 300_000],
    takeProfitFractions: [0.3, 0.3, 0.4],
    lastExitPct: -0.02,
    stopSlippagePct: 0,
    learnerVersion: 0,
    ...over,
  };
}

/** A sample in base-stop units (see LearnerSample). */
const sample = (over: Partial<LearnerSample> = {}): LearnerSample => ({
  t: [0.975, 1.625, 2.6],
  f: [0.3, 0.3, 0.4],
  m: 1.7,
  d: 1,
  p: [0.2, 1.7, 1.7, 1.7, 1.7],
  x: -1,
  s: 1,
  g: 0,
  c: 0.04,
  n: 0.34,
  ta: [10, 30, 60, -1, -1],
  tf: [5, 5, 10, 20, 25, 40],
  te: 60,
  ...over,
});

describe('the counterfactual replay of a closed position', () => {
  // went 1.7 stop distances its way (TP1, TP2), then back to its stop: 0.3 × 0.975 + 0.3 × 1.625 − 0.4 = 0.38
  it('reproduces what happened with the multipliers it was traded with', () => {
    expect(counterfactualR(sample(), 1, 1, 2)).toBeCloseTo(0.38, 12);
    expect(counterfactualMinutes(sample(), 1, 1, 2)).toBe(60);
  });

  it('a tighter stop is hit before the favourable move it did not wait for', () => {
    // the MAE reached 0.5 when the MFE was only 0.2: no take profit, −0.5
    expect(counterfactualR(sample(), 1, 0.5, 0)).toBeCloseTo(-0.5, 12);
    expect(counterfactualMinutes(sample(), 1, 0.5, 0)).toBe(10);
  });

  it('a wider stop gets no credit for what happened after the position was stopped', () => {
    expect(counterfactualR(sample(), 1, 1.25, 3)).toBeCloseTo(0.78 - 0.4 * 1.25, 12);
  });

  it('closer targets are all taken before the stop, and the position is flat when the last one fills', () => {
    // TP3 at 0.6 × 2.6 = 1.56 ≤ 1.7: 0.6 × (0.3 × 0.975 + 0.3 × 1.625 + 0.4 × 2.6) = 1.092
    expect(counterfactualR(sample(), 0.6, 1, 2)).toBeCloseTo(1.092, 12);
    // level floor(1.56 / 0.25) = 6 was first reached after 40 minutes
    expect(counterfactualMinutes(sample(), 0.6, 1, 2)).toBe(40);
  });

  it('a stop filled beyond its level (a gap) costs every stop the same slippage', () => {
    expect(counterfactualR(sample({ g: 0.3 }), 1, 0.5, 0)).toBeCloseTo(-0.8, 12);
  });
});

describe('ExitLearner', () => {
  it('changes nothing before a key has minSamples closed positions', () => {
    const learner = new ExitLearner();
    for (let i = 0; i < 9; i++) expect(learner.observe(outcome({ closedAt: T0 + i * DAY }))).toBeUndefined();
    expect(learner.version).toBe(0);
    expect(learner.adjustment(BTC.symbol, 'low')).toEqual({ takeProfitMultiplier: 1, stopLossMultiplier: 1, samples: 9, version: 0 });
  });

  it('tightens the stop of positions that were stopped without going far their way — one bounded step per day', () => {
    const learner = new ExitLearner();
    for (let i = 0; i < 9; i++) learner.observe(outcome({ closedAt: T0 + i * 60_000 }));
    const first = learner.observe(outcome({ closedAt: T0 + 9 * 60_000 }));
    // target stop × 0.5 (−0.5 instead of −1, sooner); shrunk by 10/30 → 0.83; one step of at most 0.05
    expect(first).toEqual({ version: 1, ts: T0 + 9 * 60_000, key: 'BTC/USDT:USDT|low', takeProfitMultiplier: 1, stopLossMultiplier: 0.95, samples: 10 });
    expect(learner.observe(outcome({ closedAt: T0 + 3_600_000 }))).toBeUndefined(); // rate-limited
    expect(learner.observe(outcome({ closedAt: T0 + DAY + 9 * 60_000 }))?.stopLossMultiplier).toBe(0.9);
    expect(learner.version).toBe(2);
    expect(learner.adjustment(BTC.symbol, 'low')).toEqual({ takeProfitMultiplier: 1, stopLossMultiplier: 0.9, samples: 12, version: 2 });
  });

  it('widens the targets of positions that ran far beyond TP3 and left at it', () => {
    const learner = new ExitLearner();
    const runner = (i: number) =>
      outcome({
        closedAt: T0 + i * DAY,
        exitReasons: ['tp1', 'tp2', 'tp3'],
        exitReason: 'tp3',
        realizedPnl: 18,
        mfePct: 0.12,
        maePct: 0,
        mfeBeforeAdverse: [0.12, 0.12, 0.12, 0.12, 0.12],
        adverseTimesMs: [null, null, null, null, null],
        // the excursion climbs a quarter stop distance every 10 minutes
        favourableTimesMs: Array.from({ length: 24 }, (_, k) => (k + 1) * 600_000),
        lastExitPct: 0.052,
      });
    for (let i = 0; i < 60; i++) learner.observe(runner(i));
    const a = learner.adjustment(BTC.symbol, 'low');
    expect(a.takeProfitMultiplier).toBeGreaterThan(1.3);
    expect(a.takeProfitMultiplier).toBeLessThanOrEqual(1.6);
    expect(a.stopLossMultiplier).toBe(1);
  });

  it('stays inside its bounds and shrinks toward 1, whatever the outcomes (property)', () => {
    const arb = fc.record({
      mfe: fc.double({ min: 0, max: 0.2, noNaN: true }),
      mae: fc.double({ min: 0, max: 0.05, noNaN: true }),
      pnl: fc.double({ min: -30, max: 30, noNaN: true }),
      minutes: fc.integer({ min: 5, max: 3_000 }),
    });
    fc.assert(
      fc.property(fc.array(arb, { minLength: 1, maxLength: 80 }), fc.integer({ min: 0, max: 200 }), (xs, prior) => {
        const learner = new ExitLearner({ priorStrength: prior });
        let previous = { tp: 1, sl: 1 };
        xs.forEach((x, i) => {
          learner.observe(
            outcome({
              closedAt: T0 + i * DAY,
              mfePct: x.mfe,
              maePct: x.mae,
              realizedPnl: x.pnl,
              mfeBeforeAdverse: [x.mfe / 2, x.mfe, x.mfe, x.mfe, x.mfe],
              adverseTimesMs: [x.minutes * 30_000, x.minutes * 60_000, null, null, null],
              favourableTimesMs: [x.minutes * 20_000],
            }),
          );
          const a = learner.adjustment(BTC.symbol, 'low');
          expect(a.takeProfitMultiplier).toBeGreaterThanOrEqual(0.6);
          expect(a.takeProfitMultiplier).toBeLessThanOrEqual(1.6);
          expect(a.stopLossMultiplier).toBeGreaterThanOrEqual(0.5);
          expect(a.stopLossMultiplier).toBeLessThanOrEqual(1.5);
          expect(Math.abs(a.takeProfitMultiplier - previous.tp)).toBeLessThanOrEqual(0.05 + 1e-9);
          expect(Math.abs(a.stopLossMultiplier - previous.sl)).toBeLessThanOrEqual(0.05 + 1e-9);
          // shrinkage: never further from 1 than the data weight n / (n + prior) allows
          const w = Math.min(i + 1, 200) / (Math.min(i + 1, 200) + prior);
          expect(Math.abs(a.stopLossMultiplier - 1)).toBeLessThanOrEqual(0.5 * w + 1e-4);
          previous = { tp: a.takeProfitMultiplier, sl: a.stopLossMultiplier };
        });
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('learns per symbol and regime', () => {
    const learner = new ExitLearner();
    for (let i = 0; i < 10; i++) learner.observe(outcome({ closedAt: T0 + i }));
    expect(learner.adjustment(BTC.symbol, 'low').stopLossMultiplier).toBe(0.95);
    expect(learner.adjustment(BTC.symbol, 'high').stopLossMultiplier).toBe(1);
    expect(learner.adjustment(ETH, 'low').stopLossMultiplier).toBe(1);
  });

  it('persists through the journal state, versioned, and refuses a state it cannot read', async () => {
    const journal = new MemoryJournal();
    const learner = new ExitLearner();
    for (let i = 0; i < 10; i++) learner.observe(outcome({ closedAt: T0 + i }));
    await learner.save(journal);
    const again = await ExitLearner.load(journal);
    expect(again.toJSON()).toEqual(learner.toJSON());
    expect(again.version).toBe(1);
    expect(JSON.parse(journal.getState(LEARNER_STATE_KEY)!)).toMatchObject({ schema: 1, version: 1 });
    expect((await ExitLearner.load(new MemoryJournal())).version).toBe(0);

    journal.setState(LEARNER_STATE_KEY, JSON.stringify({ ...learner.toJSON(), schema: 2 }));
    const err = (() => {
      try {
        ExitLearner.load(journal);
      } catch (e) {
        return e;
      }
    })();
    expect(isQuantumTraderError(err, 'DATA_INVALID')).toBe(true);
    expect((err as Error).message).toBe(
      "exit-brain learner state (journal key 'exit-brain/learner') is not valid: schema 2 is not supported (this version reads schema 1). Delete the key to start learning afresh.",
    );
    expect(() => parseLearnerState('{not json')).toThrow(/is not JSON/);
    expect(() => parseLearnerState({ schema: 1, version: 0, keys: { k: { takeProfitMultiplier: -1 } }, history: [] })).toThrow(
      "keys['k'].takeProfitMultiplier must be > 0",
    );
  });

  it.each([
    [{ priorStrength: -1 }, /ExitLearner: priorStrength must be a number >= 0, got -1/],
    [{ minSamples: 0 }, /ExitLearner: minSamples must be an integer >= 1, got 0/],
    [{ maxStep: 2 }, /ExitLearner: maxStep must be a number > 0 and <= 1, got 2/],
    [{ idleMsPerTrade: -5 }, /ExitLearner: idleMsPerTrade must be a number of milliseconds >= 0, got -5/],
    [{ takeProfitBounds: [1.2, 2] as const }, /ExitLearner: takeProfitBounds must be \[low, high\] with 0 < low <= 1 <= high <= 10, got \[1.2, 2\]/],
  ])('refuses the setting %j', (options, message) => {
    expect(() => new ExitLearner(options)).toThrow(message);
  });
});

describe('ExitBrain with a learner', () => {
  const opened: PositionOpened = {
    id: `PositionOpened:${POSITION}`,
    type: 'PositionOpened',
    ts: T0,
    positionId: POSITION,
    symbol: BTC.symbol,
    side: 'long',
    qty: 0.01,
    entryPrice: 50_000,
    leverage: 3,
  };
  const closed: PositionClosed = {
    id: `PositionClosed:${POSITION}`,
    type: 'PositionClosed',
    ts: T0 + 3_600_000,
    positionId: POSITION,
    symbol: BTC.symbol,
    side: 'long',
    entryPrice: 50_000,
    exitPrice: 49_000,
    qty: 0.01,
    openedAt: T0,
    realizedPnl: -10.4,
    fees: 0.4,
    exitReason: 'stop_loss',
  };

  it('builds new plans with the learned multipliers of the symbol and regime, and records the learner version', () => {
    const learner = new ExitLearner({}, {
      schema: 1,
      version: 1,
      keys: { 'BTC/USDT:USDT|low': { takeProfitMultiplier: 0.95, stopLossMultiplier: 1, observed: 40, lastChangeAt: T0, window: [] } },
      history: [],
    });
    const ctx = new FakeContext();
    const outcomes: PositionOutcome[] = [];
    const brain = new ExitBrain(ctx, { learner });
    brain.outcomes$.subscribe((o) => outcomes.push(o));
    brain.onEvent(opened);
    const created = ctx.recorded()[0] as ExitPlanCreated;
    // TPs × 0.95: 1.8525 %, 3.0875 %, 4.94 % (50 926.25 → 50 926.2 on the 0.1 tick)
    expect(created.legs.map((l) => l.price)).toEqual([50_926.2, 51_543.8, 52_470, 49_000]);
    brain.onEvent(closed);
    expect(outcomes[0]).toMatchObject({
      learnerVersion: 1,
      baseTakeProfitPcts: [0.0195, 0.0325, 0.052],
      takeProfitPcts: [0.018525, 0.030875, 0.0494],
      riskAmount: 10,
      realizedR: -1.04,
      leverage: 3,
      regime: 'low',
    });
  });

  it('a frozen learner shapes new plans but learns nothing more', () => {
    const learner = new ExitLearner();
    const journal = new MemoryJournal();
    const brain = new ExitBrain(new FakeContext(), { learner, learning: 'frozen', store: journal });
    brain.onEvent(opened);
    brain.onEvent(closed);
    expect(learner.adjustment(BTC.symbol, 'low').samples).toBe(0);
    expect(journal.getState(LEARNER_STATE_KEY)).toBeUndefined();
  });

  it('feeds every closed position to the learner and saves it in the store', () => {
    const learner = new ExitLearner();
    const journal = new MemoryJournal();
    const brain = new ExitBrain(new FakeContext(), { learner, store: journal });
    brain.onEvent(opened);
    brain.onEvent(closed);
    const state = parseLearnerState(journal.getState(LEARNER_STATE_KEY)!);
    // nothing went for or against the position in this bare event sequence; it lost 1.04 stop distances net, 0.04 of it fees
    expect(state.keys['BTC/USDT:USDT|low']).toMatchObject({ observed: 1, window: [{ m: 0, d: 0, x: 0, s: 0, c: 0.04, n: -1.04, te: 60 }] });
  });
});
