import { roundToDecimals, type Instrument, type PositionSide } from '@quantum-trader/core';
import { NO_ADJUSTMENT, type LearnedAdjustment } from '../learning/learned-adjustment.js';
import { outOfRange, assertPositive, assertStopLossPct } from '../plans/ladder-validation.js';
import { liquidationDistance } from './liquidation-price.js';
import { regimeTakeProfits, volatilityRegime, type VolatilityRegime } from './regime-take-profits.js';

/**
 * How much a position may lose at its stop. The stop distance is the tightest of the profile's stop and these caps.
 *
 * @example
 * ```ts
 * const budget: RiskBudget = { maxMarginLossPct: 0.1, maxLossQuote: 25, liquidationBuffer: 0.4 };
 * ```
 */
export interface RiskBudget {
  /**
   * Largest loss at the stop as a fraction of the margin posted (`notional / leverage`), default 0.15: with 10x
   * leverage a stop can be at most 1.5 % from the entry, with 3x at most 5 %.
   */
  readonly maxMarginLossPct?: number;
  /** Largest loss at the stop in the quote currency (`qty × entry × stop`), default: no cap. Bigger positions get tighter stops. */
  readonly maxLossQuote?: number;
  /**
   * The stop sits at most this fraction of the way from the entry to the liquidation price, default 0.5
   * (0 < x < 1): "well before" the liquidation even after slippage.
   */
  readonly liquidationBuffer?: number;
}

/**
 * Default {@link RiskBudget}: lose at most 15 % of the margin at the stop, stay at most halfway to liquidation.
 *
 * @example
 * ```ts
 * new TpSlCalculator({ riskBudget: { ...DEFAULT_RISK_BUDGET, maxLossQuote: 20 } });
 * ```
 */
export const DEFAULT_RISK_BUDGET: Required<RiskBudget> = Object.freeze({
  maxMarginLossPct: 0.15,
  maxLossQuote: Number.POSITIVE_INFINITY,
  liquidationBuffer: 0.5,
});

/**
 * Which rule set the final stop distance: the profile's own stop (after learning), the margin budget (leverage),
 * the quote-currency loss budget (position size) or the distance to liquidation.
 *
 * @example
 * ```ts
 * if (levels.stopLimitedBy === 'margin-budget') log.info('stop tightened for leverage');
 * ```
 */
export type StopLimit = 'profile' | 'margin-budget' | 'loss-budget' | 'liquidation';

/**
 * What {@link TpSlCalculator.compute} needs to know about a position.
 *
 * @example
 * ```ts
 * const input: TpSlInput = { side: 'long', entryPrice: 2_000, qty: 0.5, leverage: 3, volatility: 0.035, instrument: ethPerp };
 * ```
 */
export interface TpSlInput {
  readonly side: PositionSide;
  readonly entryPrice: number;
  /** Position size in base units. */
  readonly qty: number;
  /** Leverage the position was opened with (1 for spot). */
  readonly leverage: number;
  /** Volatility measure as a fraction; `NaN`/`undefined` (not measured yet) selects the low regime. */
  readonly volatility: number | undefined;
  readonly instrument: Instrument;
  /** Number of take-profit legs (default 3). The regime levels have three; other counts need `takeProfitPcts`. */
  readonly legs?: number;
  /** Fixed take-profit distances of the profile (one per leg, increasing); default: the regime levels. */
  readonly takeProfitPcts?: readonly number[];
  /** Multiplies the regime levels (not fixed `takeProfitPcts`), default 1. */
  readonly takeProfitScale?: number;
  /** The profile's stop distance before learning and caps (default: the calculator's `stopLossPct`). */
  readonly stopLossPct?: number;
  /** Historical performance of the symbol and regime, from the learner (default: none). */
  readonly adjustment?: LearnedAdjustment;
}

/**
 * The levels of one position, with how they were reached.
 *
 * @example
 * ```ts
 * const { takeProfitPcts, stopLossPct, stopLimitedBy } = calculator.compute(input);
 * ```
 */
export interface TpSlLevels {
  /** The volatility used (0 when it could not be measured). */
  readonly volatility: number;
  readonly regime: VolatilityRegime;
  /** Take-profit distances before the learned multiplier. */
  readonly baseTakeProfitPcts: readonly number[];
  /** Stop distance before the learned multiplier and the caps. */
  readonly baseStopLossPct: number;
  /** Final take-profit distances, TP1 first. */
  readonly takeProfitPcts: readonly number[];
  /** Final stop distance. */
  readonly stopLossPct: number;
  readonly stopLimitedBy: StopLimit;
  /** Distance from the entry to the liquidation price (fraction), `undefined` for spot. */
  readonly liquidationDistance: number | undefined;
  readonly adjustment: LearnedAdjustment;
}

/**
 * Options of {@link TpSlCalculator}.
 *
 * @example
 * ```ts
 * const options: TpSlCalculatorOptions = { stopLossPct: 0.025, riskBudget: { maxMarginLossPct: 0.2 } };
 * ```
 */
export interface TpSlCalculatorOptions {
  /** Stop distance of profiles that set none (default 0.02 = 2 %). */
  readonly stopLossPct?: number;
  readonly riskBudget?: RiskBudget;
}

const WHERE = 'TpSlCalculator';
const trim = (x: number): number => roundToDecimals(x, 10);

/**
 * Computes the take-profit and stop-loss distances of a position from market volatility, position size, leverage
 * and the symbol's historical performance.
 *
 * 1. **Volatility** picks the take profits: {@link regimeTakeProfits} (below 2 % → +1.95/+3.25/+5.20 %, above 5 % →
 *    +3/+5/+8 %, linear interpolation between), optionally scaled by the profile, unless the profile fixes them.
 * 2. **Historical performance**: the learner's multipliers for the symbol and regime scale the take profits and the
 *    stop (bounded and shrunk toward 1 by the learner itself).
 * 3. **Leverage, size and liquidation** cap the stop: loss at the stop ≤ `maxMarginLossPct` of the margin
 *    (`stop ≤ maxMarginLossPct / leverage`), ≤ `maxLossQuote` (`stop ≤ maxLossQuote / (qty × entry)`), and the stop
 *    at most `liquidationBuffer` of the way to the liquidation price. The tightest wins; `stopLimitedBy` says which.
 *
 * Throws `PARAMETER_OUT_OF_RANGE` for an input or option out of range, naming the field and what was expected.
 *
 * @example
 * ```ts
 * const calc = new TpSlCalculator();
 * const levels = calc.compute({ side: 'long', entryPrice: 50_000, qty: 0.02, leverage: 10, volatility: 0.01, instrument: btcPerp });
 * levels.takeProfitPcts; // [0.0195, 0.0325, 0.052]
 * levels.stopLossPct;    // 0.015 — 2 % would lose 20 % of the margin at 10x; the budget allows 15 %
 * levels.stopLimitedBy;  // 'margin-budget'
 * ```
 */
export class TpSlCalculator {
  private readonly stopLossPct: number;
  private readonly budget: Required<RiskBudget>;

  constructor(options: TpSlCalculatorOptions = {}) {
    this.stopLossPct = options.stopLossPct ?? 0.02;
    assertStopLossPct(WHERE, this.stopLossPct);
    const b = { ...DEFAULT_RISK_BUDGET, ...stripUndefined(options.riskBudget ?? {}) };
    if (!(b.maxMarginLossPct > 0 && b.maxMarginLossPct <= 1)) {
      throw outOfRange(WHERE, 'riskBudget.maxMarginLossPct', b.maxMarginLossPct, 'a fraction > 0 and <= 1 (0.15 = 15 % of the margin)');
    }
    if (!(b.maxLossQuote > 0)) throw outOfRange(WHERE, 'riskBudget.maxLossQuote', b.maxLossQuote, 'an amount > 0 in the quote currency');
    if (!(b.liquidationBuffer > 0 && b.liquidationBuffer < 1)) {
      throw outOfRange(WHERE, 'riskBudget.liquidationBuffer', b.liquidationBuffer, 'a fraction > 0 and < 1 of the way to liquidation');
    }
    this.budget = b;
  }

  /**
   * The levels of one position (see the class description).
   *
   * @example
   * ```ts
   * calc.compute({ side: 'short', entryPrice: 2_000, qty: 1, leverage: 1, volatility: 0.06, instrument: ethPerp });
   * // takeProfitPcts [0.03, 0.05, 0.08], stopLossPct 0.02
   * ```
   */
  compute(input: TpSlInput): TpSlLevels {
    const { entryPrice, qty, leverage, instrument } = input;
    assertPositive(WHERE, 'entryPrice', entryPrice);
    assertPositive(WHERE, 'qty', qty);
    const legs = input.legs ?? 3;
    if (!Number.isInteger(legs) || legs < 1) throw outOfRange(WHERE, 'legs', legs, 'an integer >= 1');
    const adjustment = input.adjustment ?? NO_ADJUSTMENT;
    assertMultiplier('adjustment.takeProfitMultiplier', adjustment.takeProfitMultiplier);
    assertMultiplier('adjustment.stopLossMultiplier', adjustment.stopLossMultiplier);
    const liqDistance = liquidationDistance(leverage, instrument);

    const volatility = input.volatility !== undefined && Number.isFinite(input.volatility) && input.volatility > 0 ? input.volatility : 0;
    const regime = volatilityRegime(volatility);
    let base: readonly number[];
    if (input.takeProfitPcts !== undefined) {
      base = input.takeProfitPcts;
    } else {
      if (legs !== 3) {
        throw outOfRange(WHERE, 'takeProfitPcts', undefined, `${legs} fixed distances: the volatility regimes define three take-profit levels`);
      }
      const scale = input.takeProfitScale ?? 1;
      if (!(scale > 0 && scale <= 10)) throw outOfRange(WHERE, 'takeProfitScale', scale, 'a number > 0 and <= 10');
      base = regimeTakeProfits(volatility).map((p) => trim(p * scale));
    }
    assertIncreasingDistances('takeProfitPcts', base, legs);
    const takeProfitPcts = base.map((p) => trim(p * adjustment.takeProfitMultiplier));
    if (takeProfitPcts.some((p) => p >= 1)) {
      throw outOfRange(WHERE, 'takeProfitPcts', takeProfitPcts, 'distances < 1 after the learned multiplier');
    }

    const baseStop = input.stopLossPct ?? this.stopLossPct;
    assertStopLossPct(WHERE, baseStop);
    let stop = baseStop * adjustment.stopLossMultiplier;
    let limitedBy: StopLimit = 'profile';
    const caps: ReadonlyArray<readonly [StopLimit, number]> = [
      ['margin-budget', this.budget.maxMarginLossPct / leverage],
      ['loss-budget', this.budget.maxLossQuote / (qty * entryPrice)],
      ['liquidation', liqDistance === undefined ? Number.POSITIVE_INFINITY : liqDistance * this.budget.liquidationBuffer],
    ];
    for (const [name, cap] of caps) {
      if (cap < stop) {
        stop = cap;
        limitedBy = name;
      }
    }
    // The ladder keeps the stop at least one tick from the entry; that tick must still be short of liquidation.
    if (liqDistance !== undefined && liqDistance * entryPrice <= instrument.tickSize) {
      throw outOfRange(WHERE, 'leverage', leverage, `low enough that the liquidation price is more than one tick (${instrument.tickSize}) from the entry ${entryPrice}`);
    }
    return {
      volatility,
      regime,
      baseTakeProfitPcts: [...base],
      baseStopLossPct: baseStop,
      takeProfitPcts,
      // Trimmed downwards: binary noise must not push the stop past a cap.
      stopLossPct: Math.floor(Math.min(stop, 0.999) * 1e10 + 1e-3) / 1e10,
      stopLimitedBy: limitedBy,
      liquidationDistance: liqDistance,
      adjustment,
    };
  }
}

function assertMultiplier(field: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0 && value <= 10)) throw outOfRange(WHERE, field, value, 'a number > 0 and <= 10');
}

function assertIncreasingDistances(field: string, levels: readonly number[], legs: number): void {
  const ok = levels.length === legs && levels.every((p, i) => Number.isFinite(p) && p > 0 && p < 1 && (i === 0 || p > levels[i - 1]!));
  if (!ok) throw outOfRange(WHERE, field, levels, `${legs} increasing distances, each > 0 and < 1`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
