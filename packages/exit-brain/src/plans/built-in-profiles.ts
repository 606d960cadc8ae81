import { defineExitProfile, type ExitProfile } from './exit-profile.js';
import { STANDARD_LADDER, STANDARD_LADDER_FRACTIONS } from './standard-ladder.js';

/**
 * The default profile, `STANDARD_LADDER`: 30 % at TP1, 30 % at TP2, 40 % at TP3 (volatility-regime levels) and a
 * stop 2 % against the entry on all that remains, resized after each take profit.
 *
 * @example
 * ```ts
 * new ExitBrain(ctx, { profile: STANDARD_LADDER_PROFILE.name });
 * ```
 */
export const STANDARD_LADDER_PROFILE: ExitProfile = defineExitProfile({ name: STANDARD_LADDER, fractions: STANDARD_LADDER_FRACTIONS });

/**
 * `BREAKEVEN_AFTER_TP1`: the standard ladder, but once TP1 has filled the stop moves to the entry price, so the
 * rest of the trade can no longer lose (apart from fees and slippage).
 *
 * @example
 * ```ts
 * new ExitBrain(ctx, { profile: BREAKEVEN_AFTER_TP1_PROFILE.name });
 * ```
 */
export const BREAKEVEN_AFTER_TP1_PROFILE: ExitProfile = defineExitProfile({
  name: 'BREAKEVEN_AFTER_TP1',
  fractions: STANDARD_LADDER_FRACTIONS,
  breakevenAfter: 1,
});

/**
 * `TRAILING_AFTER_TP2`: the standard ladder until TP2 fills; then TP3 is canceled and the last 40 % rides a stop
 * that trails the best price by 3 × ATR(14) of the position's timeframe (never below where the stop already is).
 *
 * @example
 * ```ts
 * new ExitBrain(ctx, { profile: TRAILING_AFTER_TP2_PROFILE.name });
 * ```
 */
export const TRAILING_AFTER_TP2_PROFILE: ExitProfile = defineExitProfile({
  name: 'TRAILING_AFTER_TP2',
  fractions: STANDARD_LADDER_FRACTIONS,
  trailing: { afterTakeProfits: 2, atrMultiple: 3 },
});

/**
 * `TIME_STOP_24H`: the standard ladder, and whatever is still open 24 hours (of market time) after the entry is
 * closed at market.
 *
 * @example
 * ```ts
 * new ExitBrain(ctx, { profile: TIME_STOP_PROFILE.name });
 * ```
 */
export const TIME_STOP_PROFILE: ExitProfile = defineExitProfile({
  name: 'TIME_STOP_24H',
  fractions: STANDARD_LADDER_FRACTIONS,
  timeStopMs: 24 * 3_600_000,
});

/**
 * Every built-in profile, in the order an {@link ExitProfileRegistry} registers them by default.
 *
 * @example
 * ```ts
 * BUILT_IN_PROFILES.map((p) => p.name); // ['STANDARD_LADDER', 'BREAKEVEN_AFTER_TP1', 'TRAILING_AFTER_TP2', 'TIME_STOP_24H']
 * ```
 */
export const BUILT_IN_PROFILES: readonly ExitProfile[] = Object.freeze([
  STANDARD_LADDER_PROFILE,
  BREAKEVEN_AFTER_TP1_PROFILE,
  TRAILING_AFTER_TP2_PROFILE,
  TIME_STOP_PROFILE,
]);
