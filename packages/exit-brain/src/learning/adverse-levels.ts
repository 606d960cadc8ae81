/**
 * Adverse-excursion levels, as multiples of a plan's base stop distance, at which the Exit Brain records how far
 * the price had gone in the position's favour *before* it first went that far against it (`mfeBeforeAdverse` of a
 * {@link PositionOutcome}). They are also the stop multipliers the learner can choose from. Inside a candle the
 * adverse extreme is assumed to come first, like the simulated exchange's conservative path.
 *
 * @example
 * ```ts
 * ADVERSE_LEVELS; // [0.5, 0.75, 1, 1.25, 1.5]
 * outcome.mfeBeforeAdverse[ADVERSE_LEVELS.indexOf(1)]; // favourable excursion before the base stop was reached
 * ```
 */
export const ADVERSE_LEVELS: readonly number[] = Object.freeze([0.5, 0.75, 1, 1.25, 1.5]);
