// Hand-curated public API of @quantum-trader/exit-brain. Anything not exported here is internal.

export type { TakeProfitLevels, VolatilityRegime } from './levels/regime-take-profits.js';
export {
  regimeTakeProfits,
  volatilityRegime,
  LOW_VOLATILITY_THRESHOLD,
  HIGH_VOLATILITY_THRESHOLD,
  LOW_VOLATILITY_TAKE_PROFITS,
  HIGH_VOLATILITY_TAKE_PROFITS,
} from './levels/regime-take-profits.js';

export type { ExitPlan, LadderOverrides, StandardLadderInput } from './plans/standard-ladder.js';
export {
  standardLadder,
  STANDARD_LADDER,
  STANDARD_LADDER_FRACTIONS,
  DEFAULT_STOP_LOSS_PCT,
} from './plans/standard-ladder.js';
export { profileName } from './plans/profile-name.js';
export { planIdOf } from './plans/plan-id-of.js';

export type { ExitBrainOptions } from './engine/exit-brain.js';
export { ExitBrain } from './engine/exit-brain.js';
export { reconcilePlanRows } from './engine/reconcile-plan-rows.js';
