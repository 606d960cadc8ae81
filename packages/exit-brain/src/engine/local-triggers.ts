import type { Candle } from '@quantum-trader/core';
import type { LegState, PlanState } from './plan-state.js';

// Internal (not re-exported): which locally emulated legs a closed candle reached.

/**
 * What a closed candle triggers in a locally emulated plan. The candle records only its range, so the path is
 * assumed conservative, like the simulated exchange's default: the adverse extreme first. If the stop level was
 * reached, only the stop fires (the take profits of that candle may never have traded before it); otherwise every
 * armed take profit inside the favourable extreme fires, in ladder order.
 */
export function localTriggers(plan: PlanState, candle: Candle): { readonly stop: boolean; readonly takeProfits: readonly LegState[] } {
  const long = plan.side === 'long';
  const stop = plan.stop;
  if (stop !== undefined && stop.armed && (long ? candle.low <= stop.price : candle.high >= stop.price)) {
    return { stop: true, takeProfits: [] };
  }
  const hit: LegState[] = [];
  for (const tp of plan.takeProfits) {
    if (tp.armed && (long ? candle.high >= tp.price : candle.low <= tp.price)) hit.push(tp);
  }
  return { stop: false, takeProfits: hit };
}

/**
 * Whether a candle with this range would trigger anything of a locally emulated plan: the same comparisons as
 * {@link localTriggers}, without building the answer (the quiet-run scan over candle columns).
 */
export function reachesLocalLeg(plan: PlanState, high: number, low: number): boolean {
  const long = plan.side === 'long';
  const stop = plan.stop;
  if (stop !== undefined && stop.armed && (long ? low <= stop.price : high >= stop.price)) return true;
  for (const tp of plan.takeProfits) {
    if (tp.armed && (long ? high >= tp.price : low <= tp.price)) return true;
  }
  return false;
}
