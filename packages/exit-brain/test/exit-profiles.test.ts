import { describe, expect, it } from 'vitest';
import { isQuantumTraderError, symbolId, type ExitPlanCreated, type PositionOpened } from '@quantum-trader/core';
import {
  BREAKEVEN_AFTER_TP1_PROFILE,
  BUILT_IN_PROFILES,
  ExitBrain,
  ExitProfileRegistry,
  STANDARD_LADDER_PROFILE,
  defineExitProfile,
  type ExitProfile,
} from '@quantum-trader/exit-brain';
import { BTC, FakeContext, POSITION } from './fixtures.js';

const opened = (leverage = 3): PositionOpened => ({
  id: `PositionOpened:${POSITION}`,
  type: 'PositionOpened',
  ts: 1_700_000_000_000,
  positionId: POSITION,
  symbol: BTC.symbol,
  side: 'long',
  qty: 0.01,
  entryPrice: 50_000,
  leverage,
});

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('exit profiles', () => {
  it('ships STANDARD_LADDER, BREAKEVEN_AFTER_TP1, TRAILING_AFTER_TP2 and TIME_STOP_24H, STANDARD_LADDER by default', () => {
    const registry = new ExitProfileRegistry();
    expect(registry.names()).toEqual(['STANDARD_LADDER', 'BREAKEVEN_AFTER_TP1', 'TRAILING_AFTER_TP2', 'TIME_STOP_24H']);
    expect(BUILT_IN_PROFILES.map((p) => p.name)).toEqual(registry.names());
    expect(registry.defaultProfile()).toEqual(STANDARD_LADDER_PROFILE);
    expect(STANDARD_LADDER_PROFILE.fractions).toEqual([0.3, 0.3, 0.4]);
    expect(registry.get('TRAILING_AFTER_TP2')?.trailing).toEqual({ afterTakeProfits: 2, atrMultiple: 3 });
    expect(registry.get('TIME_STOP_24H')?.timeStopMs).toBe(86_400_000);
  });

  it('resolves the dynamic profile of a symbol and leverage when one is registered, the default otherwise', () => {
    const registry = new ExitProfileRegistry().register({ ...BREAKEVEN_AFTER_TP1_PROFILE, name: 'DYNAMIC_ETHUSDT_1.0x' });
    expect(registry.resolve(symbolId('ETH/USDT:USDT'), 1).name).toBe('DYNAMIC_ETHUSDT_1.0x');
    expect(registry.resolve(symbolId('ETH/USDT'), 1).name).toBe('DYNAMIC_ETHUSDT_1.0x');
    expect(registry.resolve(symbolId('ETH/USDT:USDT'), 2).name).toBe('STANDARD_LADDER');
    expect(registry.setDefault('BREAKEVEN_AFTER_TP1').resolve(symbolId('BTC/USDT:USDT'), 1).name).toBe('BREAKEVEN_AFTER_TP1');
  });

  it('a plugin profile drives the Exit Brain: its name, legs, levels and hook', () => {
    const plugin: ExitProfile = {
      name: 'DYNAMIC_BTCUSDT_3.0x',
      fractions: [0.5, 0.5],
      takeProfitPcts: [0.01, 0.02],
      stopLossPct: 0.012,
      // the hook may narrow the targets; it cannot widen the stop past the 3x margin budget (5 %)
      adjust: (levels) => ({ takeProfitPcts: levels.takeProfitPcts.map((p) => p * 0.5), stopLossPct: 0.4 }),
    };
    const ctx = new FakeContext();
    new ExitBrain(ctx, { profiles: new ExitProfileRegistry().register(plugin) }).onEvent(opened(3));
    const created = ctx.recorded()[0] as ExitPlanCreated;
    expect(created.profile).toBe('DYNAMIC_BTCUSDT_3.0x');
    expect(created.legs.map((l) => [l.leg, l.qty, l.price])).toEqual([
      ['tp1', 0.005, 50_250],
      ['tp2', 0.005, 50_500],
      ['sl', 0.01, 47_500],
    ]);
  });

  it('registering a name twice needs { replace: true }', () => {
    const registry = new ExitProfileRegistry();
    expect(() => registry.register(STANDARD_LADDER_PROFILE)).toThrow(
      "exit profile 'STANDARD_LADDER' is already registered; pick another name or pass { replace: true }",
    );
    registry.register({ ...STANDARD_LADDER_PROFILE, stopLossPct: 0.03 }, { replace: true });
    expect(registry.require('STANDARD_LADDER').stopLossPct).toBe(0.03);
  });

  it('an unknown profile name is a CONFIG_INVALID error listing the registered ones', () => {
    const err = errorOf(() => new ExitBrain(new FakeContext(), { profile: 'NOPE' }));
    expect(isQuantumTraderError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toBe(
      "unknown exit profile 'NOPE'; registered: STANDARD_LADDER, BREAKEVEN_AFTER_TP1, TRAILING_AFTER_TP2, TIME_STOP_24H",
    );
    expect(() => new ExitBrain(new FakeContext(), { profiles: new ExitProfileRegistry(), ladder: [0.3, 0.3, 0.4] })).toThrow(
      /pass either ladder .* or profiles, not both/,
    );
  });

  const bad: Array<[string, ExitProfile, string]> = [
    ['a name with a space', { name: 'MY LADDER', fractions: [1], takeProfitPcts: [0.02] }, "exit profile 'MY LADDER': name must be 1–64 letters, digits, \"_\", \".\" or \"-\", got MY LADDER"],
    ['fractions not summing to 1', { name: 'X', fractions: [0.5, 0.6], takeProfitPcts: [0.01, 0.02] }, "exit profile 'X': fractions must be fractions summing to 1 (they sum to 1.1), got [0.5, 0.6]"],
    ['a zero fraction', { name: 'X', fractions: [0, 1], takeProfitPcts: [0.01, 0.02] }, "exit profile 'X': fractions must be a non-empty list of fractions, each > 0, summing to 1, got [0, 1]"],
    ['two legs without take-profit distances', { name: 'X', fractions: [0.5, 0.5] }, "exit profile 'X': takeProfitPcts must be given for a ladder of 2 legs (the volatility regimes define exactly three levels), got undefined"],
    ['decreasing take profits', { name: 'X', fractions: [0.5, 0.5], takeProfitPcts: [0.02, 0.01] }, "exit profile 'X': takeProfitPcts must be 2 increasing distances (one per fraction), each > 0 and < 1, got [0.02, 0.01]"],
    ['a stop of 100 %', { name: 'X', fractions: [0.3, 0.3, 0.4], stopLossPct: 1 }, "exit profile 'X': stopLossPct must be a fraction > 0 and < 1 (0.02 = 2 %), got 1"],
    ['breakeven after the last take profit', { name: 'X', fractions: [0.3, 0.3, 0.4], breakevenAfter: 3 }, "exit profile 'X': breakevenAfter must be an integer from 1 to 2 (a number of filled take profits that leaves something open), got 3"],
    ['a trail of 0 ATR', { name: 'X', fractions: [0.3, 0.3, 0.4], trailing: { afterTakeProfits: 2, atrMultiple: 0 } }, "exit profile 'X': trailing.atrMultiple must be a number of ATRs > 0 and <= 20, got 0"],
    ['a negative time stop', { name: 'X', fractions: [0.3, 0.3, 0.4], timeStopMs: -1 }, "exit profile 'X': timeStopMs must be a whole number of milliseconds > 0, got -1"],
    ['a take-profit scale of 0', { name: 'X', fractions: [0.3, 0.3, 0.4], takeProfitScale: 0 }, "exit profile 'X': takeProfitScale must be a number > 0 and <= 10, got 0"],
  ];
  it.each(bad)('refuses %s with a PARAMETER_OUT_OF_RANGE naming profile, field and value', (_what, profile, message) => {
    const err = errorOf(() => defineExitProfile(profile));
    expect(isQuantumTraderError(err, 'PARAMETER_OUT_OF_RANGE')).toBe(true);
    expect((err as Error).message).toBe(message);
    // the registry checks the same way
    expect(() => new ExitProfileRegistry().register(profile)).toThrow(message);
  });

  it('returns a frozen copy', () => {
    const p = defineExitProfile({ name: 'X', fractions: [0.3, 0.3, 0.4] });
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.fractions)).toBe(true);
  });
});
