import { QuantumTraderError } from '@quantum-trader/core';
import type { TpSlInput, TpSlLevels } from '../levels/tp-sl-calculator.js';

/**
 * Trailing stop settings of a profile: once `afterTakeProfits` take profits have filled, the remaining take-profit
 * orders are canceled and the rest of the position rides a stop that follows the best price by
 * `atrMultiple × ATR` (ATR over `atrPeriod` candles of the position's timeframe). The stop only ever moves in the
 * position's favour.
 *
 * @example
 * ```ts
 * const trailing: TrailingStop = { afterTakeProfits: 2, atrMultiple: 3 };
 * ```
 */
export interface TrailingStop {
  /** Number of filled take profits that starts the trail (1 … legs − 1). */
  readonly afterTakeProfits: number;
  /** Distance of the trailing stop from the best price, in ATRs (> 0, ≤ 20). */
  readonly atrMultiple: number;
}

/**
 * An exit profile: the shape of a ladder and how it is managed. This is the plugin interface for exits — a user
 * writes one of these (plain data, plus an optional `adjust` hook) and registers it in an
 * {@link ExitProfileRegistry}; {@link defineExitProfile} checks it.
 *
 * Distances are fractions of the entry (`0.02` = 2 %), on the profitable side for take profits and the losing
 * side for the stop; shorts mirror longs. Whatever a profile asks for, the leverage, size and liquidation caps of
 * the {@link TpSlCalculator} still apply to the stop.
 *
 * @example
 * ```ts
 * const scalper: ExitProfile = {
 *   name: 'DYNAMIC_ETHUSDT_1.0x',
 *   fractions: [0.5, 0.5],
 *   takeProfitPcts: [0.01, 0.02],
 *   stopLossPct: 0.01,
 *   breakevenAfter: 1,
 *   timeStopMs: 6 * 3_600_000,
 * };
 * ```
 */
export interface ExitProfile {
  /** Unique name, letters, digits and `_ . -` (e.g. `STANDARD_LADDER`, `DYNAMIC_ETHUSDT_1.0x`). */
  readonly name: string;
  /** Share of the position closed at each take profit, in order; each > 0, summing to 1. */
  readonly fractions: readonly number[];
  /** Fixed take-profit distances (one per fraction, increasing). Default: the volatility-regime levels (3 legs). */
  readonly takeProfitPcts?: readonly number[];
  /** Multiplies the regime levels (ignored with fixed `takeProfitPcts`), default 1. */
  readonly takeProfitScale?: number;
  /** Stop distance before learning and caps, 0 < x < 1. Default: the Exit Brain's `stopLossPct` (2 %). */
  readonly stopLossPct?: number;
  /** Move the stop to the entry price once this many take profits have filled (1 … legs − 1). */
  readonly breakevenAfter?: number;
  /** Trail the rest of the position after some take profits (see {@link TrailingStop}). */
  readonly trailing?: TrailingStop;
  /** Close what is left at market once the position has been open this long (milliseconds of market time). */
  readonly timeStopMs?: number;
  /** Apply the learner's multipliers to this profile (default true). */
  readonly learn?: boolean;
  /**
   * Optional hook: change the computed distances of one position. What it returns replaces the calculator's take
   * profits and/or stop; the risk caps are applied again afterwards, so a hook cannot widen a stop past them.
   */
  readonly adjust?: (levels: TpSlLevels, input: TpSlInput) => { readonly takeProfitPcts?: readonly number[]; readonly stopLossPct?: number };
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function bad(name: string, field: string, value: unknown, expected: string): QuantumTraderError {
  const shown = Array.isArray(value) ? `[${value.join(', ')}]` : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  return new QuantumTraderError('PARAMETER_OUT_OF_RANGE', `exit profile '${name}': ${field} must be ${expected}, got ${shown}`);
}

/**
 * Checks an exit profile and returns a frozen copy: the one place a profile is validated, so that a bad profile
 * fails when it is registered rather than when a position opens. Throws `PARAMETER_OUT_OF_RANGE` naming the
 * profile, the field, the value and what was expected.
 *
 * @example
 * ```ts
 * const wide = defineExitProfile({ name: 'WIDE', fractions: [0.3, 0.3, 0.4], takeProfitScale: 1.5, stopLossPct: 0.03 });
 * defineExitProfile({ name: 'BAD', fractions: [0.5, 0.6] });
 * // QuantumTraderError: exit profile 'BAD': fractions must be fractions summing to 1 (they sum to 1.1), got [0.5, 0.6]
 * ```
 */
export function defineExitProfile(profile: ExitProfile): ExitProfile {
  const name = typeof profile?.name === 'string' ? profile.name : String(profile?.name);
  if (!NAME.test(name)) throw bad(name, 'name', name, '1–64 letters, digits, "_", "." or "-"');
  const { fractions } = profile;
  if (!Array.isArray(fractions) || fractions.length === 0 || fractions.some((f) => !Number.isFinite(f) || f <= 0)) {
    throw bad(name, 'fractions', fractions, 'a non-empty list of fractions, each > 0, summing to 1');
  }
  const sum = fractions.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) throw bad(name, 'fractions', fractions, `fractions summing to 1 (they sum to ${Number(sum.toFixed(10))})`);
  const legs = fractions.length;
  if (profile.takeProfitPcts !== undefined) {
    const t = profile.takeProfitPcts;
    const ok = Array.isArray(t) && t.length === legs && t.every((p, i) => Number.isFinite(p) && p > 0 && p < 1 && (i === 0 || p > t[i - 1]!));
    if (!ok) throw bad(name, 'takeProfitPcts', t, `${legs} increasing distances (one per fraction), each > 0 and < 1`);
  } else if (legs !== 3) {
    throw bad(name, 'takeProfitPcts', undefined, `given for a ladder of ${legs} legs (the volatility regimes define exactly three levels)`);
  }
  if (profile.takeProfitScale !== undefined && !(profile.takeProfitScale > 0 && profile.takeProfitScale <= 10)) {
    throw bad(name, 'takeProfitScale', profile.takeProfitScale, 'a number > 0 and <= 10');
  }
  if (profile.stopLossPct !== undefined && !(profile.stopLossPct > 0 && profile.stopLossPct < 1)) {
    throw bad(name, 'stopLossPct', profile.stopLossPct, 'a fraction > 0 and < 1 (0.02 = 2 %)');
  }
  const legCount = (field: string, v: number | undefined): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= legs - 1)) {
      throw bad(name, field, v, legs > 1 ? `an integer from 1 to ${legs - 1} (a number of filled take profits that leaves something open)` : 'left out: a one-leg ladder is closed by its only take profit');
    }
  };
  legCount('breakevenAfter', profile.breakevenAfter);
  if (profile.trailing !== undefined) {
    const tr = profile.trailing;
    if (typeof tr !== 'object' || tr === null) throw bad(name, 'trailing', tr, '{ afterTakeProfits, atrMultiple }');
    legCount('trailing.afterTakeProfits', tr.afterTakeProfits);
    if (tr.afterTakeProfits === undefined) throw bad(name, 'trailing.afterTakeProfits', undefined, 'an integer number of filled take profits');
    if (!(Number.isFinite(tr.atrMultiple) && tr.atrMultiple > 0 && tr.atrMultiple <= 20)) {
      throw bad(name, 'trailing.atrMultiple', tr.atrMultiple, 'a number of ATRs > 0 and <= 20');
    }
  }
  if (profile.timeStopMs !== undefined && !(Number.isInteger(profile.timeStopMs) && profile.timeStopMs > 0)) {
    throw bad(name, 'timeStopMs', profile.timeStopMs, 'a whole number of milliseconds > 0');
  }
  if (profile.adjust !== undefined && typeof profile.adjust !== 'function') throw bad(name, 'adjust', profile.adjust, 'a function');
  return Object.freeze({
    ...profile,
    fractions: Object.freeze([...fractions]),
    ...(profile.takeProfitPcts !== undefined ? { takeProfitPcts: Object.freeze([...profile.takeProfitPcts]) } : {}),
    ...(profile.trailing !== undefined ? { trailing: Object.freeze({ ...profile.trailing }) } : {}),
  });
}
