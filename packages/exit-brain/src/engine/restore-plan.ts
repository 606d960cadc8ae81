import {
  floorToStep,
  positionIdOf,
  type ExitLeg,
  type ExitPlanRow,
  type Instrument,
  type OrderRow,
  type UnixMillis,
} from '@quantum-trader/core';
import type { ExitProfile } from '../plans/exit-profile.js';
import { contextFromLegs, legStateOf, newPlanState } from './plan-factory.js';
import type { PlanMemo } from './plan-memo.js';
import type { ExecutionMode, LegState, PlanState } from './plan-state.js';
import { stopGeneration } from './stop-legs.js';

// Internal (not re-exported): an active plan's state rebuilt from the journal after a restart.

const WORKING: ReadonlySet<OrderRow['status']> = new Set(['open', 'partially_filled', 'submitting']);

export interface RestoreInput {
  /** The row as journalled (legs as planned). */
  readonly planned: ExitPlanRow;
  /** The row brought up to date with the orders ({@link reconcilePlanRows}). */
  readonly current: ExitPlanRow;
  /** The journal's orders of this position (empty when the caller passed none). */
  readonly orders: readonly OrderRow[];
  /** Every journalled order, to find the entry order (for the leverage). */
  readonly allOrders: readonly OrderRow[];
  readonly memo: PlanMemo | undefined;
  readonly profile: ExitProfile;
  readonly mode: ExecutionMode;
  readonly instrument: Instrument;
  readonly now: UnixMillis;
}

export interface Restored {
  readonly plan: PlanState;
  /** Venue mode: legs to (re-)submit through the gateway, take profits first, then the current stop. */
  readonly place: readonly ExitLeg[];
}

export function restorePlan(r: RestoreInput): Restored {
  const { planned, current, orders, memo, instrument } = r;
  const entry = r.allOrders.find((o) => o.leg === 'entry' && positionIdOf(o.clientOrderId) === planned.positionId);
  const leverage = memo?.context.leverage ?? entry?.leverage ?? 1;
  const byId = new Map(orders.map((o) => [o.clientOrderId as string, o]));
  const byLeg = new Map(orders.map((o) => [o.leg ?? '', o]));
  const plannedTps = planned.legs.filter((l) => l.kind === 'take_profit');
  const initialQty = plannedTps.reduce((a, l) => a + l.qty, 0);
  const exited = orders.reduce((a, o) => a + (o.leg === 'entry' ? 0 : o.filledQty), 0);
  const stop = currentStopLeg(current.legs);
  let qty = floorToStep(initialQty - exited, instrument.lotStep);
  if (r.mode === 'venue' && stop !== undefined) qty = Math.min(qty, stop.qty);
  const context = memo?.context ?? contextFromLegs(planned.entryPrice, planned.volatility, planned.legs, leverage);
  const plan = newPlanState({
    planId: planned.planId,
    positionId: planned.positionId,
    symbol: planned.symbol,
    side: planned.side,
    entryPrice: planned.entryPrice,
    openedAt: planned.createdAt,
    armedAt: r.now,
    qty,
    profile: r.profile,
    mode: r.mode,
    instrument,
    context,
    stopPrice: r.mode === 'local' ? (memo?.stopPrice ?? stop?.price ?? Number.NaN) : (stop?.price ?? Number.NaN),
    ...(memo !== undefined ? { stopKind: memo.stopKind } : {}),
  });
  for (const tp of plannedTps) {
    const o = byId.get(tp.clientOrderId);
    if (o?.status === 'filled') {
      plan.tpFilled++;
      plan.lastTakeProfitPrice = o.avgFillPrice > 0 ? o.avgFillPrice : tp.price;
    }
  }
  if (memo !== undefined) {
    plan.mfe = memo.mfe;
    plan.mae = memo.mae;
    memo.mfeBefore.forEach((m, j) => {
      if (j < plan.mfeBefore.length) plan.mfeBefore[j] = m ?? Number.NaN;
    });
    plan.lastExitPrice = memo.lastExitPrice ?? Number.NaN;
    (memo.adverseAt ?? []).forEach((t, j) => {
      if (j < plan.adverseAt.length) plan.adverseAt[j] = t ?? Number.NaN;
    });
    plan.favourableAt.push(...(memo.favourableAt ?? []));
    plan.extreme = typeof memo.extreme === 'number' ? memo.extreme : Number.NaN; // JSON turns NaN into null
    plan.trailing = memo.trailing;
    plan.exitReasons.push(...memo.exitReasons);
  }
  const trailing = r.profile.trailing;
  if (trailing !== undefined && plan.tpFilled >= trailing.afterTakeProfits) plan.trailing = true;
  if (plan.trailing && !Number.isFinite(plan.extreme)) {
    plan.extreme = Number.isFinite(plan.lastTakeProfitPrice) ? plan.lastTakeProfitPrice : plan.entryPrice;
  }
  // Market closes in flight (time stop, stop fallback) mean the position is on its way out.
  for (const o of orders) {
    if (o.leg === 'time-stop' || (o.leg !== null && o.leg.endsWith('fallback'))) {
      plan.closing = true;
      const leg = closeLeg(o);
      plan.legs.push(leg);
    }
  }
  const tps = current.legs.filter((l) => l.kind === 'take_profit');
  if (r.mode === 'venue') {
    return { plan, place: stop === undefined ? tps : [...tps, stop] };
  }
  // Local mode: legs with an order were triggered before the restart; the others are armed again.
  for (const tp of tps) {
    const leg = legStateOf(tp, 'initial');
    const o = byId.get(tp.clientOrderId);
    if (o === undefined) leg.armed = !plan.trailing && !plan.closing;
    else {
      leg.sent = true;
      leg.working = WORKING.has(o.status);
      leg.filledQty = o.filledQty;
    }
    plan.legs.push(leg);
    plan.takeProfits.push(leg);
  }
  if (stop !== undefined) {
    const leg = legStateOf({ ...stop, price: plan.stopPrice, qty: plan.qty }, plan.stopKind);
    const o = byLeg.get(stop.leg);
    if (o === undefined) leg.armed = true;
    else {
      leg.sent = true;
      leg.working = WORKING.has(o.status);
      leg.filledQty = o.filledQty;
      plan.closing = true;
    }
    plan.legs.push(leg);
    plan.stop = leg;
    plan.stopGeneration = stopGeneration(stop.leg);
  }
  return { plan, place: [] };
}

function closeLeg(o: OrderRow): LegState {
  return {
    leg: o.leg ?? 'close',
    clientOrderId: o.clientOrderId,
    role: 'close',
    price: 0,
    qty: o.qty,
    kind: 'initial',
    sent: true,
    working: WORKING.has(o.status),
    armed: false,
    filledQty: o.filledQty,
    cancelRequested: false,
  };
}

/** The stop-loss leg with the highest generation (`sl` < `sl-2` < …). */
export function currentStopLeg(legs: readonly ExitLeg[]): ExitLeg | undefined {
  let best: ExitLeg | undefined;
  for (const l of legs) {
    if (l.kind !== 'stop_loss') continue;
    if (best === undefined || stopGeneration(l.leg) > stopGeneration(best.leg)) best = l;
  }
  return best;
}
