import { roundToStep } from '@quantum-trader/core';
import { isMoreProtective, type PlanState, type StopKind } from './plan-state.js';

// Internal (not re-exported): where the stop of a plan should be, given what has happened.

/** The entry price on the tick grid: a breakeven stop. */
export function breakevenPrice(plan: PlanState): number {
  return roundToStep(plan.entryPrice, plan.tick);
}

/**
 * A trailing stop `atrMultiple × ATR` behind the best price, on the tick grid and rounded away from the price (so
 * the distance is never less than asked). Without an ATR yet, the plan's initial stop distance is used instead.
 */
export function trailingPrice(plan: PlanState, atr: number, atrMultiple: number): number {
  const distance = Number.isFinite(atr) && atr > 0 ? atrMultiple * atr : plan.entryPrice * plan.context.stopLossPct;
  const raw = plan.side === 'long' ? plan.extreme - distance : plan.extreme + distance;
  const steps = raw / plan.tick;
  const onGrid = plan.side === 'long' ? Math.floor(steps + 1e-9) : Math.ceil(steps - 1e-9);
  return roundToStep(onGrid * plan.tick, plan.tick);
}

/**
 * The stop the plan should have now: the current one, raised to breakeven once `breakevenAfter` take profits have
 * filled, and to the trailing level while trailing — whichever protects most. A stop never moves back.
 */
export function desiredStop(plan: PlanState, atr: number): { readonly price: number; readonly kind: StopKind } {
  let price = plan.stopPrice;
  let kind = plan.stopKind;
  const be = plan.profile.breakevenAfter;
  if (be !== undefined && plan.tpFilled >= be) {
    const p = breakevenPrice(plan);
    if (isMoreProtective(plan.side, p, price)) {
      price = p;
      kind = 'breakeven';
    }
  }
  const trailing = plan.profile.trailing;
  if (plan.trailing && trailing !== undefined) {
    const p = trailingPrice(plan, atr, trailing.atrMultiple);
    if (p > 0 && isMoreProtective(plan.side, p, price)) {
      price = p;
      kind = 'trailing';
    }
  }
  return { price, kind };
}
