import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isQuantumTraderError, type Instrument } from '@quantum-trader/core';
import {
  TpSlCalculator,
  liquidationPrice,
  standardLadder,
  type LearnedAdjustment,
  type TpSlInput,
} from '@quantum-trader/exit-brain';
import { BTC, POSITION } from './fixtures.js';

const base: TpSlInput = { side: 'long', entryPrice: 50_000, qty: 0.02, leverage: 1, volatility: 0.01, instrument: BTC };
const learned = (tp: number, sl: number): LearnedAdjustment => ({ takeProfitMultiplier: tp, stopLossMultiplier: sl, samples: 40, version: 3 });

describe('TpSlCalculator', () => {
  const calc = new TpSlCalculator();

  it.each([
    [0.01, 'low', [0.0195, 0.0325, 0.052]],
    [0.035, 'transition', [0.02475, 0.04125, 0.066]],
    [0.06, 'high', [0.03, 0.05, 0.08]],
    [Number.NaN, 'low', [0.0195, 0.0325, 0.052]],
  ] as const)('volatility %s → %s regime, take profits %j', (volatility, regime, tps) => {
    const l = calc.compute({ ...base, volatility });
    expect(l.regime).toBe(regime);
    expect(l.takeProfitPcts).toEqual(tps);
    expect(l.stopLossPct).toBe(0.02);
    expect(l.stopLimitedBy).toBe('profile');
  });

  it.each([
    [1, 0.02, 'profile'],
    [5, 0.02, 'profile'],
    [7.5, 0.02, 'profile'],
    [10, 0.015, 'margin-budget'],
    [20, 0.0075, 'margin-budget'],
    [100, 0.0015, 'margin-budget'],
  ] as const)('tightens the stop with leverage %sx to %s (loss at the stop ≤ 15 %% of the margin)', (leverage, stop, limitedBy) => {
    const l = calc.compute({ ...base, leverage });
    expect(l.stopLossPct).toBeCloseTo(stop, 12);
    expect(l.stopLimitedBy).toBe(limitedBy);
    expect(l.stopLossPct * leverage).toBeLessThanOrEqual(0.15 + 1e-12);
  });

  it('keeps the stop at most halfway to the liquidation price when the margin budget allows more', () => {
    const loose = new TpSlCalculator({ riskBudget: { maxMarginLossPct: 1 } });
    const l = loose.compute({ ...base, leverage: 25 }); // liquidation 1/25 − 0.004 = 3.6 % away
    expect(l.liquidationDistance).toBeCloseTo(0.036, 12);
    expect(l.stopLossPct).toBeCloseTo(0.018, 12);
    expect(l.stopLimitedBy).toBe('liquidation');
    const long = standardLadder({ positionId: POSITION, symbol: BTC.symbol, side: 'long', qty: 0.02, entryPrice: 50_000, volatility: 0.01, instrument: BTC, profile: { stopLossPct: l.stopLossPct } });
    expect(long.legs.at(-1)!.price).toBe(49_100);
    expect(liquidationPrice('long', 50_000, 25, BTC)).toBeCloseTo(48_200, 6);
  });

  it('tightens the stop of a bigger position so the loss at the stop stays within maxLossQuote', () => {
    const capped = new TpSlCalculator({ riskBudget: { maxLossQuote: 10 } });
    expect(capped.compute({ ...base, qty: 0.005 }).stopLossPct).toBe(0.02); // 250 USDT × 2 % = 5
    const big = capped.compute({ ...base, qty: 0.02 }); // 1 000 USDT: 10 / 1 000 = 1 %
    expect(big.stopLossPct).toBeCloseTo(0.01, 12);
    expect(big.stopLimitedBy).toBe('loss-budget');
  });

  it('applies the learned multipliers of the symbol and regime before the caps', () => {
    const l = calc.compute({ ...base, adjustment: learned(0.8, 1.25) });
    expect(l.baseTakeProfitPcts).toEqual([0.0195, 0.0325, 0.052]);
    expect(l.takeProfitPcts).toEqual([0.0156, 0.026, 0.0416]);
    expect(l.stopLossPct).toBeCloseTo(0.025, 12);
    // At 10x the leverage cap still wins over a wider learned stop.
    expect(calc.compute({ ...base, leverage: 10, adjustment: learned(1, 1.5) }).stopLossPct).toBeCloseTo(0.015, 12);
  });

  it('uses fixed or scaled take profits of a profile', () => {
    expect(calc.compute({ ...base, legs: 2, takeProfitPcts: [0.01, 0.02] }).takeProfitPcts).toEqual([0.01, 0.02]);
    expect(calc.compute({ ...base, takeProfitScale: 2 }).takeProfitPcts).toEqual([0.039, 0.065, 0.104]);
  });

  it.each([
    [{ leverage: 0.5 }, /leverage must be a number >= 1, got 0.5/],
    [{ leverage: 200 }, /leverage must be at most the maximum leverage 125 of BTC\/USDT:USDT, got 200/],
    [{ leverage: 300, instrument: { ...BTC, maxLeverage: 1000 } }, /the position would be liquidated at its entry/],
    [{ qty: 0 }, /qty must be a finite number > 0, got 0/],
    [{ legs: 2 }, /takeProfitPcts must be 2 fixed distances/],
    [{ takeProfitPcts: [0.03, 0.02, 0.05] }, /takeProfitPcts must be 3 increasing distances/],
    [{ stopLossPct: 1.5 }, /stopLossPct must be a fraction > 0 and < 1/],
    [{ adjustment: learned(-1, 1) }, /adjustment.takeProfitMultiplier must be a number > 0 and <= 10, got -1/],
  ] as const)('refuses %j with a clear PARAMETER_OUT_OF_RANGE', (patch, message) => {
    const run = () => calc.compute({ ...base, ...(patch as Partial<TpSlInput>) });
    expect(run).toThrow(message);
    expect(catchError(run)).toSatisfy((e: unknown) => isQuantumTraderError(e, 'PARAMETER_OUT_OF_RANGE'));
  });

  it.each([
    [{ stopLossPct: 0 }, /TpSlCalculator: stopLossPct must be a fraction > 0 and < 1/],
    [{ riskBudget: { maxMarginLossPct: 2 } }, /riskBudget.maxMarginLossPct must be a fraction > 0 and <= 1/],
    [{ riskBudget: { liquidationBuffer: 1 } }, /riskBudget.liquidationBuffer must be a fraction > 0 and < 1/],
    [{ riskBudget: { maxLossQuote: -5 } }, /riskBudget.maxLossQuote must be an amount > 0/],
  ])('refuses the option %j', (options, message) => {
    expect(() => new TpSlCalculator(options)).toThrow(message);
  });

  it('property: the stop is inside the risk budget, rounded on the losing side, and strictly before liquidation', () => {
    const instrument = fc.record({
      tickSize: fc.constantFrom(0.01, 0.1, 0.5),
      mmr: fc.constantFrom(0.004, 0.005, 0.01),
    });
    fc.assert(
      fc.property(
        instrument,
        fc.double({ min: 20, max: 80_000, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.constantFrom('long' as const, 'short' as const),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        (inst, entryRaw, leverage, units, side, volatility, slMult) => {
          const ins: Instrument = { ...BTC, tickSize: inst.tickSize, maintenanceMarginRate: inst.mmr, minNotional: 0, minQty: 0.001 };
          const entryPrice = Math.round(entryRaw / inst.tickSize) * inst.tickSize;
          const qty = units / 1000;
          if (1 / leverage - inst.mmr <= 0 || (1 / leverage - inst.mmr) * entryPrice <= inst.tickSize * 3) return;
          const l = calc.compute({ side, entryPrice, qty, leverage, volatility, instrument: ins, adjustment: learned(1, slMult) });
          expect(l.stopLossPct * leverage).toBeLessThanOrEqual(0.15 + 1e-9);
          expect(l.stopLossPct).toBeLessThanOrEqual(l.liquidationDistance! * 0.5 + 1e-12);
          const plan = standardLadder({ positionId: POSITION, symbol: ins.symbol, side, qty, entryPrice, volatility, instrument: ins, profile: { stopLossPct: l.stopLossPct, takeProfitPcts: l.takeProfitPcts } });
          const stop = plan.legs.at(-1)!.price;
          const liq = liquidationPrice(side, entryPrice, leverage, ins)!;
          if (side === 'long') {
            expect(stop).toBeLessThan(entryPrice);
            expect(stop).toBeGreaterThan(liq);
          } else {
            expect(stop).toBeGreaterThan(entryPrice);
            expect(stop).toBeLessThan(liq);
          }
        },
      ),
      { numRuns: 400, seed: 7 },
    );
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
