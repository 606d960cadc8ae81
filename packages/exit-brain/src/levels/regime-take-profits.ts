import { roundToDecimals } from '@quantum-trader/core';

/**
 * Take-profit distances for ladder legs TP1, TP2 and TP3, as fractions of the entry price
 * (`0.0195` = +1.95 % for a long, −1.95 % for a short).
 *
 * @example
 * ```ts
 * const [tp1, tp2, tp3]: TakeProfitLevels = regimeTakeProfits(0.01); // 0.0195, 0.0325, 0.052
 * ```
 */
export type TakeProfitLevels = readonly [number, number, number];

/**
 * The volatility regime a measurement falls in: `low` below 2 %, `high` above 5 %, `transition` in between.
 *
 * @example
 * ```ts
 * const regime: VolatilityRegime = volatilityRegime(0.03); // 'transition'
 * ```
 */
export type VolatilityRegime = 'low' | 'transition' | 'high';

/**
 * Volatility (fraction) at or below which the low-volatility levels apply: 2 %.
 *
 * @example
 * ```ts
 * regimeTakeProfits(LOW_VOLATILITY_THRESHOLD); // the low-volatility levels
 * ```
 */
export const LOW_VOLATILITY_THRESHOLD = 0.02;

/**
 * Volatility (fraction) at or above which the high-volatility levels apply: 5 %.
 *
 * @example
 * ```ts
 * regimeTakeProfits(HIGH_VOLATILITY_THRESHOLD); // the high-volatility levels
 * ```
 */
export const HIGH_VOLATILITY_THRESHOLD = 0.05;

/**
 * Take-profit levels of the low-volatility regime (volatility < 2 %): +1.95 %, +3.25 %, +5.20 %.
 *
 * @example
 * ```ts
 * LOW_VOLATILITY_TAKE_PROFITS[0]; // 0.0195
 * ```
 */
export const LOW_VOLATILITY_TAKE_PROFITS: TakeProfitLevels = Object.freeze([0.0195, 0.0325, 0.052] as const);

/**
 * Take-profit levels of the high-volatility regime (volatility > 5 %): +3.0 %, +5.0 %, +8.0 %.
 *
 * @example
 * ```ts
 * HIGH_VOLATILITY_TAKE_PROFITS[2]; // 0.08
 * ```
 */
export const HIGH_VOLATILITY_TAKE_PROFITS: TakeProfitLevels = Object.freeze([0.03, 0.05, 0.08] as const);

/**
 * Classifies a volatility measurement (a fraction: `0.03` = 3 %). `NaN`, `undefined` and anything below 2 %
 * (a standard deviation is never negative, so a negative value is treated as "calm") are `low`.
 *
 * @example
 * ```ts
 * volatilityRegime(0.01);      // 'low'
 * volatilityRegime(undefined); // 'low'
 * volatilityRegime(0.035);     // 'transition'
 * volatilityRegime(0.07);      // 'high'
 * ```
 */
export function volatilityRegime(volatility: number | undefined): VolatilityRegime {
  if (volatility === undefined || Number.isNaN(volatility) || volatility <= LOW_VOLATILITY_THRESHOLD) return 'low';
  if (volatility >= HIGH_VOLATILITY_THRESHOLD) return 'high';
  return 'transition';
}

/**
 * Take-profit distances TP1–TP3 for a position, chosen from the market's volatility.
 *
 * `volatility` is a fraction (`0.03` = 3 %): the kernel measures it as the 24 h realized volatility, the standard
 * deviation of candle returns over the last 24 h scaled to one day.
 *
 * - volatility < 2 % → +1.95 %, +3.25 %, +5.20 % ({@link LOW_VOLATILITY_TAKE_PROFITS});
 * - volatility > 5 % → +3.0 %, +5.0 %, +8.0 % ({@link HIGH_VOLATILITY_TAKE_PROFITS});
 * - 2 % ≤ volatility ≤ 5 % → each level is interpolated linearly on volatility between its low and high value:
 *   `level = low + (high − low) × (volatility − 2 %) / (5 % − 2 %)`. At exactly 2 % this gives the low levels and
 *   at exactly 5 % the high ones, so the levels never jump as volatility moves.
 *
 * A volatility that could not be measured (`NaN` or `undefined`, e.g. not enough candles yet) gets the low regime:
 * the tightest targets, which are the conservative choice when nothing is known. Results are trimmed to 10
 * decimals so that binary noise does not reach the journal.
 *
 * @example
 * ```ts
 * regimeTakeProfits(0.01);  // [0.0195, 0.0325, 0.052]
 * regimeTakeProfits(0.035); // [0.02475, 0.04125, 0.066]  (halfway)
 * regimeTakeProfits(0.08);  // [0.03, 0.05, 0.08]
 * regimeTakeProfits(NaN);   // [0.0195, 0.0325, 0.052]
 * ```
 */
export function regimeTakeProfits(volatility: number | undefined): TakeProfitLevels {
  const regime = volatilityRegime(volatility);
  if (regime === 'low') return LOW_VOLATILITY_TAKE_PROFITS;
  if (regime === 'high') return HIGH_VOLATILITY_TAKE_PROFITS;
  const t = ((volatility as number) - LOW_VOLATILITY_THRESHOLD) / (HIGH_VOLATILITY_THRESHOLD - LOW_VOLATILITY_THRESHOLD);
  const lerp = (i: 0 | 1 | 2): number => {
    const lo = LOW_VOLATILITY_TAKE_PROFITS[i];
    const hi = HIGH_VOLATILITY_TAKE_PROFITS[i];
    return roundToDecimals(lo + (hi - lo) * t, 10);
  };
  return [lerp(0), lerp(1), lerp(2)];
}
