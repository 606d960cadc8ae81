import type { ExitLeg, ExitPlanRow, OrderRow } from '@quantum-trader/core';
import { stopGeneration } from './stop-legs.js';

const DONE: ReadonlySet<OrderRow['status']> = new Set(['filled', 'canceled', 'rejected']);

/**
 * Brings exit-plan rows up to date with the journal's orders (what {@link ExitBrain.rearm} does when given the
 * orders): take-profit legs
 * whose order is filled, canceled or rejected are dropped (nothing left to cancel or re-place), working take-profit
 * orders the row does not list (a leg re-placed bigger after the entry filled in parts) are added, and the stop-loss
 * leg becomes the latest stop generation sent for the position (`sl-2`, `sl-3`, … with its own qty), so that after
 * a restart the Exit Brain cancels the right stop and numbers the next one without reusing a client order id.
 * Rows are matched to orders by `positionId` and `leg`; plans with no such orders are returned unchanged.
 *
 * @example
 * ```ts
 * const plans = await journal.exitPlans({ status: 'active' });
 * const orders = await journal.orders();
 * await brain.rearm(reconcilePlanRows(plans, orders), scheduler.now());
 * ```
 */
export function reconcilePlanRows(plans: readonly ExitPlanRow[], orders: readonly OrderRow[]): ExitPlanRow[] {
  const byPosition = new Map<string, OrderRow[]>();
  for (const o of orders) {
    if (o.positionId === null || o.leg === null) continue;
    const list = byPosition.get(o.positionId);
    if (list === undefined) byPosition.set(o.positionId, [o]);
    else list.push(o);
  }
  return plans.map((plan) => {
    const own = byPosition.get(plan.positionId);
    if (own === undefined) return plan;
    const byId = new Map(own.map((o) => [o.clientOrderId as string, o]));
    const takeProfits = plan.legs.filter((l) => {
      if (l.kind !== 'take_profit') return false;
      const o = byId.get(l.clientOrderId);
      return o === undefined || !DONE.has(o.status);
    });
    // Copies of a take profit made after the plan (a leg grown when the entry filled in parts) are in the orders only.
    const planned = new Set(plan.legs.map((l) => l.clientOrderId as string));
    for (const o of own) {
      if (o.type !== 'limit' || planned.has(o.clientOrderId) || DONE.has(o.status) || o.leg === null || !o.leg.startsWith('tp')) continue;
      takeProfits.push({ leg: o.leg, kind: 'take_profit', clientOrderId: o.clientOrderId, price: o.price ?? 0, qty: o.qty, fraction: 0 });
    }
    const plannedStop = plan.legs.find((l) => l.kind === 'stop_loss');
    let stop: ExitLeg | undefined = plannedStop;
    let latest: OrderRow | undefined;
    for (const o of own) {
      const g = stopGeneration(o.leg!);
      if (g > 0 && (latest === undefined || g > stopGeneration(latest.leg!))) latest = o;
    }
    if (latest !== undefined && (plannedStop === undefined || stopGeneration(latest.leg!) >= stopGeneration(plannedStop.leg))) {
      stop = {
        leg: latest.leg!,
        kind: 'stop_loss',
        clientOrderId: latest.clientOrderId,
        price: latest.stopPrice ?? plannedStop?.price ?? Number.NaN,
        qty: latest.qty,
        fraction: 1,
      };
    }
    return { ...plan, legs: stop === undefined ? takeProfits : [...takeProfits, stop] };
  });
}
