import { describe, expect, it } from 'vitest';
import { MemoryJournal, isQuantumTraderError, symbolId, type ExitPlanCreated, type PositionClosed, type PositionOpened } from '@quantum-trader/core';
import {
  ExitBrain,
  ExitLearner,
  LEARNER_STATE_KEY,
  parseLearnerState,
  type PositionOutcome,
} from '@quantum-trader/exit-brain';
import { BTC, FakeContext, POSITION } from './fixtures.js';

const DAY = 86_400_000;
const T0 = 1_700_000_000_000;
const ETH = symbolId('ETH/USDT:USDT');

/** An outcome with the low-regime ladder (middle TP 3.25 %, stop 2 %). */
function outcome(over: Partial<PositionOutcome> = {}): PositionOutcome {
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
    openedAt: T0,
    closedAt: T0,
    baseTakeProfitPcts: [0.0195, 0.0325, 0.052],
    baseStopLossPct: 0.02,
    takeProfitPcts: [0.0195, 0.0325, 0.052],
    stopLossPct: 0.02,
    exitReasons: ['stop_loss'],
    exitReason: 'stop_loss',
    realizedPnl: -10,
    fees: 0.4,
    riskAmount: 10,
    realizedR: -1,
    mfePct: 0.01625, // half of the middle take profit
    maePct: 0.02,
    learnerVersion: 0,
    ...over,
  };
}

describe('ExitLearner', () => {
  it('changes nothing before a key has minSamples closed positions', () => {
    const learner = new ExitLearner();
    for (let i = 0; i < 9; i++) expect(learner.observe(outcome({ closedAt: T0 + i * DAY }))).toBeUndefined();
    expect(learner.version).toBe(0);
    expect(learner.adjustment(BTC.symbol, 'low')).toEqual({ takeProfitMultiplier: 1, stopLossMultiplier: 1, samples: 9, version: 0 });
  });

  it('moves toward the MFE target, shrunk toward 1, at most maxStep per change and once per day of market time', () => {
    const learner = new ExitLearner();
    for (let i = 0; i < 9; i++) learner.observe(outcome({ closedAt: T0 + i * 60_000 }));
    // 10 samples, target 0.5 clamped to 0.6, weight 10/30: desired 0.8667 → one step of 0.05
    const first = learner.observe(outcome({ closedAt: T0 + 9 * 60_000 }));
    expect(first).toEqual({ version: 1, ts: T0 + 9 * 60_000, key: 'BTC/USDT:USDT|low', takeProfitMultiplier: 0.95, stopLossMultiplier: 1, samples: 10 });
    // an hour later: rate-limited
    expect(learner.observe(outcome({ closedAt: T0 + 3_600_000 }))).toBeUndefined();
    expect(learner.adjustment(BTC.symbol, 'low').takeProfitMultiplier).toBe(0.95);
    // a day after the first change (13 samples): desired 1 − 0.4 × 13/33 = 0.842, one more step to 0.90
    learner.observe(outcome({ closedAt: T0 + 2 * 3_600_000 }));
    expect(learner.observe(outcome({ closedAt: T0 + DAY + 9 * 60_000 }))?.takeProfitMultiplier).toBe(0.9);
    expect(learner.version).toBe(2);
    expect(learner.adjustment(BTC.symbol, 'low')).toEqual({ takeProfitMultiplier: 0.9, stopLossMultiplier: 1, samples: 13, version: 2 });
  });

  it('stays inside its bounds and near the shrunk target however long the evidence', () => {
    const learner = new ExitLearner();
    for (let i = 0; i < 400; i++) learner.observe(outcome({ closedAt: T0 + i * DAY, mfePct: 0 }));
    // window 200: desired 1 + (200/220) × (0.6 − 1) = 0.6364
    expect(learner.adjustment(BTC.symbol, 'low').takeProfitMultiplier).toBeCloseTo(0.6364, 3);
    const wide = new ExitLearner();
    for (let i = 0; i < 400; i++) wide.observe(outcome({ closedAt: T0 + i * DAY, mfePct: 1 }));
    expect(wide.adjustment(BTC.symbol, 'low').takeProfitMultiplier).toBeCloseTo(1 + (200 / 220) * 0.6, 3);
    expect(wide.adjustment(BTC.symbol, 'low').takeProfitMultiplier).toBeLessThanOrEqual(1.6);
  });

  it('tightens the stop to just beyond the adverse excursion of the winners', () => {
    const learner = new ExitLearner({ priorStrength: 0, maxStep: 1 });
    // winners went at most 0.5 % against the entry: the 80th percentile ratio 0.25 × 1.1 = 0.275 → bound 0.5
    for (let i = 0; i < 10; i++) {
      learner.observe(outcome({ closedAt: T0 + i * DAY, realizedPnl: 5, realizedR: 0.5, mfePct: 0.0325, maePct: 0.005 }));
    }
    expect(learner.adjustment(BTC.symbol, 'low')).toMatchObject({ takeProfitMultiplier: 1, stopLossMultiplier: 0.5 });
  });

  it('learns per symbol and regime', () => {
    const learner = new ExitLearner();
    for (let i = 0; i < 10; i++) learner.observe(outcome({ closedAt: T0 + i }));
    expect(learner.adjustment(BTC.symbol, 'low').takeProfitMultiplier).toBe(0.95);
    expect(learner.adjustment(BTC.symbol, 'high').takeProfitMultiplier).toBe(1);
    expect(learner.adjustment(ETH, 'low').takeProfitMultiplier).toBe(1);
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
    const learner = new ExitLearner();
    for (let i = 0; i < 10; i++) learner.observe(outcome({ closedAt: T0 + i }));
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

  it('feeds every closed position to the learner and saves it in the store', () => {
    const learner = new ExitLearner();
    const journal = new MemoryJournal();
    const brain = new ExitBrain(new FakeContext(), { learner, store: journal });
    brain.onEvent(opened);
    brain.onEvent(closed);
    const state = parseLearnerState(journal.getState(LEARNER_STATE_KEY)!);
    expect(state.keys['BTC/USDT:USDT|low']).toMatchObject({ observed: 1, window: [[0, 0, 0, -1.04]] });
  });
});
