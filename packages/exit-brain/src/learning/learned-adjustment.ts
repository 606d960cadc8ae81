/**
 * What the outcome learner has learned for one symbol and volatility regime: multipliers applied to the take-profit
 * distances and to the stop-loss distance of new plans (1 = no change), with the evidence behind them.
 *
 * @example
 * ```ts
 * const a: LearnedAdjustment = learner.adjustment(symbolId('ETH/USDT:USDT'), 'low');
 * a.takeProfitMultiplier; // e.g. 0.9: targets 10 % closer to the entry
 * ```
 */
export interface LearnedAdjustment {
  /** Multiplies every take-profit distance. */
  readonly takeProfitMultiplier: number;
  /** Multiplies the stop-loss distance (leverage and risk caps still apply afterwards). */
  readonly stopLossMultiplier: number;
  /** Closed positions the adjustment is based on. */
  readonly samples: number;
  /** Learner state version the adjustment was read from (0: nothing learned yet). */
  readonly version: number;
}

/**
 * The neutral adjustment: both multipliers 1, no samples.
 *
 * @example
 * ```ts
 * calculator.compute({ ...input, adjustment: NO_ADJUSTMENT }); // same as no adjustment
 * ```
 */
export const NO_ADJUSTMENT: LearnedAdjustment = Object.freeze({
  takeProfitMultiplier: 1,
  stopLossMultiplier: 1,
  samples: 0,
  version: 0,
});
