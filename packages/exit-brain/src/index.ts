// Hand-curated public API of @quantum-trader/exit-brain. Anything not exported here is internal.

// --- levels: volatility regimes, leverage and risk caps ---
export type { TakeProfitLevels, VolatilityRegime } from './levels/regime-take-profits.js';
export {
  regimeTakeProfits,
  volatilityRegime,
  LOW_VOLATILITY_THRESHOLD,
  HIGH_VOLATILITY_THRESHOLD,
  LOW_VOLATILITY_TAKE_PROFITS,
  HIGH_VOLATILITY_TAKE_PROFITS,
} from './levels/regime-take-profits.js';
export type { RiskBudget, StopLimit, TpSlInput, TpSlLevels, TpSlCalculatorOptions } from './levels/tp-sl-calculator.js';
export { TpSlCalculator, DEFAULT_RISK_BUDGET } from './levels/tp-sl-calculator.js';
export { liquidationPrice, liquidationDistance, DEFAULT_MAINTENANCE_MARGIN_RATE } from './levels/liquidation-price.js';

// --- plans and profiles ---
export type { ExitPlan, LadderOverrides, StandardLadderInput } from './plans/standard-ladder.js';
export {
  standardLadder,
  STANDARD_LADDER,
  STANDARD_LADDER_FRACTIONS,
  DEFAULT_STOP_LOSS_PCT,
} from './plans/standard-ladder.js';
export { profileName } from './plans/profile-name.js';
export { planIdOf } from './plans/plan-id-of.js';
export type { ExitProfile, TrailingStop } from './plans/exit-profile.js';
export { defineExitProfile } from './plans/exit-profile.js';
export {
  STANDARD_LADDER_PROFILE,
  BREAKEVEN_AFTER_TP1_PROFILE,
  TRAILING_AFTER_TP2_PROFILE,
  TIME_STOP_PROFILE,
  BUILT_IN_PROFILES,
} from './plans/built-in-profiles.js';
export { ExitProfileRegistry } from './plans/profile-registry.js';

// --- the engine ---
export type { ExitBrainOptions, ExitExecution } from './engine/exit-brain-options.js';
export type { ExecutionMode, StopKind } from './engine/plan-state.js';
export type { ExitPlanSnapshot, LegSnapshot, LegStatus } from './engine/exit-plan-snapshot.js';
export type { ExitVenue } from './engine/venue-check.js';
export { ExitBrain } from './engine/exit-brain.js';
export { reconcilePlanRows } from './engine/reconcile-plan-rows.js';

// --- the learning loop ---
export type { LearnedAdjustment } from './learning/learned-adjustment.js';
export { NO_ADJUSTMENT } from './learning/learned-adjustment.js';
export type { PositionOutcome, ExitReason } from './learning/position-outcome.js';
export type { StateStore } from './learning/state-store.js';
export type {
  ExitLearnerState,
  LearnerKeyState,
  LearnerChange,
  LearnerSample,
} from './learning/learner-state.js';
export { parseLearnerState, LEARNER_STATE_KEY, LEARNER_STATE_SCHEMA } from './learning/learner-state.js';
export type { ExitLearnerOptions } from './learning/exit-learner.js';
export { ExitLearner } from './learning/exit-learner.js';
