import { describe, expect, it } from 'vitest';
import {
  HIGH_VOLATILITY_TAKE_PROFITS,
  LOW_VOLATILITY_TAKE_PROFITS,
  regimeTakeProfits,
  volatilityRegime,
} from '@quantum-trader/exit-brain';

describe('regimeTakeProfits', () => {
  it('gives +1.95 %, +3.25 %, +5.20 % when volatility is below 2 %', () => {
    expect(regimeTakeProfits(0.01)).toEqual([0.0195, 0.0325, 0.052]);
    expect(regimeTakeProfits(0)).toEqual([0.0195, 0.0325, 0.052]);
    expect(regimeTakeProfits(0.0199)).toEqual(LOW_VOLATILITY_TAKE_PROFITS);
  });

  it('gives +3 %, +5 %, +8 % when volatility is above 5 %', () => {
    expect(regimeTakeProfits(0.051)).toEqual([0.03, 0.05, 0.08]);
    expect(regimeTakeProfits(0.5)).toEqual(HIGH_VOLATILITY_TAKE_PROFITS);
    expect(regimeTakeProfits(Number.POSITIVE_INFINITY)).toEqual(HIGH_VOLATILITY_TAKE_PROFITS);
  });

  it('interpolates each level linearly between 2 % and 5 % (midpoint 3.5 % is halfway)', () => {
    expect(regimeTakeProfits(0.035)).toEqual([0.02475, 0.04125, 0.066]);
    const [tp1, tp2, tp3] = regimeTakeProfits(0.03); // one third of the way
    expect(tp1).toBeCloseTo(0.0195 + (0.03 - 0.0195) / 3, 9);
    expect(tp2).toBeCloseTo(0.0325 + (0.05 - 0.0325) / 3, 9);
    expect(tp3).toBeCloseTo(0.052 + (0.08 - 0.052) / 3, 9);
  });

  it('meets each regime exactly at the 2 % and 5 % boundaries', () => {
    expect(regimeTakeProfits(0.02)).toEqual([0.0195, 0.0325, 0.052]);
    expect(regimeTakeProfits(0.05)).toEqual([0.03, 0.05, 0.08]);
    expect(regimeTakeProfits(0.0200001)[0]).toBeCloseTo(0.0195, 6);
    expect(regimeTakeProfits(0.0499999)[2]).toBeCloseTo(0.08, 6);
  });

  it('falls back to the low regime when volatility is unknown or negative', () => {
    expect(regimeTakeProfits(Number.NaN)).toEqual(LOW_VOLATILITY_TAKE_PROFITS);
    expect(regimeTakeProfits(undefined)).toEqual(LOW_VOLATILITY_TAKE_PROFITS);
    expect(regimeTakeProfits(-0.03)).toEqual(LOW_VOLATILITY_TAKE_PROFITS);
  });

  it('never decreases as volatility rises', () => {
    let previous = regimeTakeProfits(0);
    for (let v = 0; v <= 0.08; v += 0.0005) {
      const next = regimeTakeProfits(v);
      for (let i = 0; i < 3; i++) expect(next[i]!).toBeGreaterThanOrEqual(previous[i]! - 1e-12);
      previous = next;
    }
  });
});

describe('volatilityRegime', () => {
  it('names the regime a volatility falls in', () => {
    expect(volatilityRegime(0.01)).toBe('low');
    expect(volatilityRegime(0.02)).toBe('low');
    expect(volatilityRegime(0.03)).toBe('transition');
    expect(volatilityRegime(0.05)).toBe('high');
    expect(volatilityRegime(Number.NaN)).toBe('low');
  });
});
