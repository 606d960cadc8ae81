import { clientOrderIdOf, isQuantumTraderError, symbolId, type Instrument, type PlanId } from '@quantum-trader/core';
import { describe, expect, it } from 'vitest';
import {
  planIdOf,
  profileName,
  standardLadder,
  STANDARD_LADDER,
  type LadderOverrides,
  type StandardLadderInput,
} from '@quantum-trader/exit-brain';
import { BNB, BTC, POSITION } from './fixtures.js';

type Row = [leg: string, qty: number, price: number];

interface Case {
  readonly name: string;
  readonly instrument: Instrument;
  readonly side: 'long' | 'short';
  readonly qty: number;
  readonly entryPrice: number;
  readonly volatility: number;
  readonly profile?: LadderOverrides;
  /** Take-profit legs, then the stop loss. */
  readonly legs: readonly Row[];
}

const BTC_MIN_100: Instrument = { ...BTC, minNotional: 100 };

const cases: readonly Case[] = [
  {
    name: 'BTC long, low volatility, clean split',
    instrument: BTC, side: 'long', qty: 0.01, entryPrice: 50_000, volatility: 0.01,
    legs: [['tp1', 0.003, 50_975], ['tp2', 0.003, 51_625], ['tp3', 0.004, 52_600], ['sl', 0.01, 49_000]],
  },
  {
    name: 'BTC short, low volatility, mirrors the long',
    instrument: BTC, side: 'short', qty: 0.01, entryPrice: 50_000, volatility: 0.01,
    legs: [['tp1', 0.003, 49_025], ['tp2', 0.003, 48_375], ['tp3', 0.004, 47_400], ['sl', 0.01, 51_000]],
  },
  {
    name: 'BTC long, high volatility, off-tick entry, remainder on tp3',
    instrument: BTC, side: 'long', qty: 0.017, entryPrice: 43_210.37, volatility: 0.06,
    legs: [['tp1', 0.005, 44_506.7], ['tp2', 0.005, 45_370.9], ['tp3', 0.007, 46_667.2], ['sl', 0.017, 42_346.2]],
  },
  {
    name: 'BTC short, high volatility, off-tick entry, remainder on tp3',
    instrument: BTC, side: 'short', qty: 0.017, entryPrice: 43_210.37, volatility: 0.06,
    legs: [['tp1', 0.005, 41_914.1], ['tp2', 0.005, 41_049.9], ['tp3', 0.007, 39_753.5], ['sl', 0.017, 44_074.6]],
  },
  {
    name: 'BNB long, interpolated midpoint volatility',
    instrument: BNB, side: 'long', qty: 1.37, entryPrice: 612.34, volatility: 0.035,
    legs: [['tp1', 0.41, 627.5], ['tp2', 0.41, 637.6], ['tp3', 0.55, 652.75], ['sl', 1.37, 600.09]],
  },
  {
    name: 'BNB short, interpolated midpoint volatility',
    instrument: BNB, side: 'short', qty: 1.37, entryPrice: 612.34, volatility: 0.035,
    legs: [['tp1', 0.41, 597.18], ['tp2', 0.41, 587.08], ['tp3', 0.55, 571.93], ['sl', 1.37, 624.59]],
  },
  {
    name: 'BTC long under a 100 USDT min notional: tp1 merges into tp2',
    instrument: BTC_MIN_100, side: 'long', qty: 0.005, entryPrice: 50_000, volatility: 0.01,
    legs: [['tp2', 0.002, 51_625], ['tp3', 0.003, 52_600], ['sl', 0.005, 49_000]],
  },
  {
    name: 'BTC short under a 100 USDT min notional: lower TP prices merge everything into tp3',
    instrument: BTC_MIN_100, side: 'short', qty: 0.005, entryPrice: 50_000, volatility: 0.01,
    legs: [['tp3', 0.005, 47_400], ['sl', 0.005, 51_000]],
  },
  {
    name: 'tiny BTC position: one take-profit leg and the stop',
    instrument: BTC, side: 'long', qty: 0.002, entryPrice: 50_000, volatility: Number.NaN,
    legs: [['tp3', 0.002, 52_600], ['sl', 0.002, 49_000]],
  },
  {
    name: 'a last leg below minQty absorbs the leg before it',
    instrument: { ...BNB, minQty: 0.02 }, side: 'long', qty: 0.1, entryPrice: 600, volatility: 0.01,
    profile: { fractions: [0.5, 0.4, 0.1] },
    legs: [['tp1', 0.05, 611.7], ['tp3', 0.05, 631.2], ['sl', 0.1, 588]],
  },
  {
    name: 'a coarse tick never rounds a target onto the entry',
    instrument: { ...BNB, tickSize: 0.1, minNotional: 0 }, side: 'long', qty: 1, entryPrice: 1, volatility: 0.01,
    legs: [['tp1', 0.3, 1.1], ['tp2', 0.3, 1.1], ['tp3', 0.4, 1.1], ['sl', 1, 0.9]],
  },
  {
    name: 'a custom stop distance',
    instrument: BTC, side: 'short', qty: 0.01, entryPrice: 50_000, volatility: 0.01, profile: { stopLossPct: 0.035 },
    legs: [['tp1', 0.003, 49_025], ['tp2', 0.003, 48_375], ['tp3', 0.004, 47_400], ['sl', 0.01, 51_750]],
  },
];

function input(c: Pick<Case, 'instrument' | 'side' | 'qty' | 'entryPrice' | 'volatility' | 'profile'>): StandardLadderInput {
  return {
    positionId: POSITION,
    symbol: c.instrument.symbol,
    side: c.side,
    qty: c.qty,
    entryPrice: c.entryPrice,
    volatility: c.volatility,
    instrument: c.instrument,
    ...(c.profile !== undefined ? { profile: c.profile } : {}),
  };
}

describe('standardLadder', () => {
  it.each(cases)('$name', (c) => {
    const plan = standardLadder(input(c));
    expect(plan.legs.map((l): Row => [l.leg, l.qty, l.price])).toEqual(c.legs);
  });

  it('describes the plan: ids, kinds, profile, fractions and the volatility used', () => {
    const plan = standardLadder(input(cases[0]!));
    const planId = `plan-${POSITION}` as PlanId;
    expect(plan.planId).toBe(planId);
    expect(planIdOf(POSITION)).toBe(planId);
    expect(plan.profile).toBe(STANDARD_LADDER);
    expect(plan.volatility).toBe(0.01);
    expect(plan.takeProfitPcts).toEqual([0.0195, 0.0325, 0.052]);
    expect(plan.stopLossPct).toBe(0.02);
    expect(plan.legs.map((l) => l.clientOrderId)).toEqual(
      ['tp1', 'tp2', 'tp3', 'sl'].map((leg) => clientOrderIdOf(planId, leg)),
    );
    expect(plan.legs.map((l) => l.kind)).toEqual(['take_profit', 'take_profit', 'take_profit', 'stop_loss']);
    expect(plan.legs.map((l) => l.fraction)).toEqual([0.3, 0.3, 0.4, 1]);
  });

  it('records an unknown volatility as 0 (the low regime)', () => {
    expect(standardLadder({ ...input(cases[0]!), volatility: undefined }).volatility).toBe(0);
    expect(standardLadder({ ...input(cases[0]!), volatility: Number.NaN }).volatility).toBe(0);
  });

  it('takes a profile name and explicit take-profit distances', () => {
    const plan = standardLadder({
      ...input(cases[0]!),
      profile: { name: 'TWO_STEP', fractions: [0.5, 0.5], takeProfitPcts: [0.01, 0.02] },
    });
    expect(plan.profile).toBe('TWO_STEP');
    expect(plan.legs.map((l): Row => [l.leg, l.qty, l.price])).toEqual([
      ['tp1', 0.005, 50_500],
      ['tp2', 0.005, 51_000],
      ['sl', 0.01, 49_000],
    ]);
  });

  const bad: ReadonlyArray<[string, Partial<StandardLadderInput>, RegExp]> = [
    ['a negative qty', { qty: -0.01 }, /qty must be a finite number > 0, got -0\.01/],
    ['a zero qty', { qty: 0 }, /qty must be a finite number > 0, got 0/],
    ['a qty off the lot step', { qty: 0.0105 }, /qty must be a multiple of the instrument's lotStep 0\.001, got 0\.0105/],
    ['a non-positive entry price', { entryPrice: 0 }, /entryPrice must be a finite number > 0, got 0/],
    ['a stop loss of 0', { profile: { stopLossPct: 0 } }, /stopLossPct must be a fraction > 0 and < 1.*got 0$/],
    ['a stop loss of 100 %', { profile: { stopLossPct: 1 } }, /stopLossPct must be a fraction > 0 and < 1.*got 1$/],
    ['fractions not summing to 1', { profile: { fractions: [0.3, 0.3, 0.3] } }, /fractions must be fractions summing to 1 \(they sum to 0\.8999/],
    ['a negative fraction', { profile: { fractions: [-0.2, 0.8, 0.4] } }, /fractions must be .*each > 0.*got \[-0\.2, 0\.8, 0\.4\]/],
    ['four fractions without four take-profit distances', { profile: { fractions: [0.25, 0.25, 0.25, 0.25] } }, /takeProfitPcts must be 4 fractions/],
  ];

  it.each(bad)('rejects %s with PARAMETER_OUT_OF_RANGE naming field, value and expectation', (_, patch, message) => {
    const run = () => standardLadder({ ...input(cases[0]!), ...patch });
    expect(run).toThrow(message);
    try {
      run();
    } catch (err) {
      expect(isQuantumTraderError(err, 'PARAMETER_OUT_OF_RANGE')).toBe(true);
      expect((err as Error).message).toMatch(/^standardLadder: /);
    }
  });
});

describe('profileName', () => {
  it('names a dynamic profile after the pair and the leverage', () => {
    expect(profileName(symbolId('ETH/USDT'), 1)).toBe('DYNAMIC_ETHUSDT_1.0x');
    expect(profileName(symbolId('BTC/USDT:USDT'), 10)).toBe('DYNAMIC_BTCUSDT_10.0x');
    expect(profileName(symbolId('BNB/USDT:USDT'), 2.5)).toBe('DYNAMIC_BNBUSDT_2.5x');
    expect(profileName(symbolId('BNB/USDT:USDT'), 2.25)).toBe('DYNAMIC_BNBUSDT_2.25x');
  });

  it('rejects a leverage that is not > 0', () => {
    expect(() => profileName(symbolId('ETH/USDT'), 0)).toThrow(/profileName: leverage must be a finite number > 0, got 0/);
  });
});
