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

/**
 * Step, in base-stop distances, of the favourable levels whose first-reach times the Exit Brain records
 * (`favourableTimesMs` of a {@link PositionOutcome}: element `k` is when the MFE first reached `(k + 1) × 0.25`
 * base-stop distances). At most {@link FAVOURABLE_LEVELS} levels are recorded.
 *
 * @example
 * ```ts
 * const reachedTp2At = outcome.favourableTimesMs[Math.floor(1.625 / FAVOURABLE_STEP) - 1];
 * ```
 */
export const FAVOURABLE_STEP = 0.25;

/**
 * Number of favourable levels recorded (up to 10 base-stop distances).
 *
 * @example
 * ```ts
 * outcome.favourableTimesMs.length <= FAVOURABLE_LEVELS; // true
 * ```
 */
export const FAVOURABLE_LEVELS = 40;
