import {
  roundToDecimals,
  clientOrderIdOf,
  floorToStep,
  thenMaybe,
  type ClientOrderId,
  type ExitLeg,
  type ExitManagerContext,
  type MaybePromise,
  type SubmitOrder,
  type SubmitResult,
  type UnixMillis,
} from '@quantum-trader/core';
import { eachInOrderSettled } from './maybe-steps.js';
import { legStateOf } from './plan-factory.js';
import type { LegState, PlanState, StopKind } from './plan-state.js';
import { stopGeneration, stopLegName } from './stop-legs.js';

/**
 * The orders of the Exit Brain's plans (internal; not re-exported): places, moves and cancels legs through the
 * kernel's order gateway, and knows which plan and leg every client order id belongs to.
 */
export class PlanOrders {
  /** Every leg of every active plan, by client order id. */
  readonly legs = new Map<ClientOrderId, { readonly plan: PlanState; readonly leg: LegState }>();

  constructor(private readonly ctx: ExitManagerContext) {}

  armLocally(plan: PlanState, legs: readonly ExitLeg[]): MaybePromise<void> {
    for (const l of legs) {
      const state = this.addLeg(plan, legStateOf(l, 'initial'));
      state.armed = true;
      if (state.role === 'take_profit') plan.takeProfits.push(state);
      else {
        plan.stop = state;
        plan.stopGeneration = stopGeneration(l.leg);
      }
    }
    return undefined;
  }

  triggerLocalTakeProfit(plan: PlanState, tp: LegState, ts: UnixMillis): MaybePromise<void> {
    tp.armed = false;
    return thenMaybe(this.sendMarket(plan, tp, roundToDecimals(tp.qty - tp.filledQty, 12), ts), () => undefined);
  }

  triggerLocalStop(plan: PlanState, ts: UnixMillis): MaybePromise<void> {
    const stop = plan.stop!;
    stop.armed = false;
    plan.closing = true;
    for (const t of plan.takeProfits) t.armed = false;
    return thenMaybe(this.sendMarket(plan, stop, plan.qty, ts), (res) =>
      res.status === 'rejected' ? this.closeAtMarket(plan, plan.qty, stop.leg, ts) : undefined,
    );
  }

  sendMarket(plan: PlanState, leg: LegState, qty: number, ts: UnixMillis): MaybePromise<SubmitResult> {
    leg.sent = true;
    const order: SubmitOrder = {
      clientOrderId: leg.clientOrderId,
      symbol: plan.symbol,
      side: plan.exitSide,
      type: 'market',
      qty,
      reduceOnly: true,
      positionId: plan.positionId,
      leg: leg.leg,
    };
    return thenMaybe(this.ctx.orders.submit(order, ts), (res) => {
      leg.working = isWorking(res);
      return res;
    });
  }

  submitMarket(plan: PlanState, name: string, role: LegState['role'], qty: number, ts: UnixMillis): MaybePromise<void> {
    const leg = this.addLeg(plan, { ...legStateOf({ leg: name, kind: 'stop_loss', clientOrderId: clientOrderIdOf(plan.planId, name), price: 0, qty, fraction: 1 }, plan.stopKind), role });
    return thenMaybe(this.sendMarket(plan, leg, qty, ts), () => undefined);
  }

  cancelLeg(plan: PlanState, leg: LegState, reason: string, ts: UnixMillis): MaybePromise<void> {
    leg.cancelRequested = true;
    leg.armed = false;
    if (!leg.working) return undefined;
    return thenMaybe(this.ctx.orders.cancel(leg.clientOrderId, plan.symbol, reason, ts), () => {
      leg.working = false;
    });
  }

  /** Forgets the legs of a finished plan. */
  forget(plan: PlanState): void {
    for (const l of plan.legs) this.legs.delete(l.clientOrderId);
  }

  addLeg(plan: PlanState, leg: LegState): LegState {
    plan.legs.push(leg);
    this.legs.set(leg.clientOrderId, { plan, leg });
    return leg;
  }

  /** Take profits in order, then the stop; one failed submission does not keep the others (the stop!) from going out. */
  placeLegs(plan: PlanState, legs: readonly ExitLeg[], ts: UnixMillis): MaybePromise<void> {
    return eachInOrderSettled(legs, (leg) =>
      leg.kind === 'stop_loss' ? thenMaybe(this.submitStop(plan, leg, plan.stopKind, ts), () => undefined) : this.submitTakeProfit(plan, leg, ts),
    );
  }

  submitTakeProfit(plan: PlanState, leg: ExitLeg, ts: UnixMillis): MaybePromise<void> {
    const state = this.addLeg(plan, legStateOf(leg, 'initial'));
    state.sent = true;
    plan.takeProfits.push(state);
    const order: SubmitOrder = {
      clientOrderId: leg.clientOrderId,
      symbol: plan.symbol,
      side: plan.exitSide,
      type: 'limit',
      qty: leg.qty,
      price: leg.price,
      reduceOnly: true,
      positionId: plan.positionId,
      leg: leg.leg,
    };
    // A rejected take profit is journalled by the gateway; the plan carries on with the other legs.
    return thenMaybe(this.ctx.orders.submit(order, ts), (res) => {
      state.working = isWorking(res);
    });
  }

  /**
   * The position grew (an entry filled in parts): the last open take profit takes the extra, so the legs still
   * add up to the position. At the venue a bigger copy of the leg (`<leg>#<n>`) goes out first and the old order
   * is canceled once it is accepted; locally the armed quantity just grows.
   */
  growTakeProfit(plan: PlanState, extra: number, ts: UnixMillis): MaybePromise<void> {
    const open = plan.takeProfits.filter((t) => t.armed || t.working);
    const last = open[open.length - 1];
    if (last === undefined) return undefined;
    if (plan.mode === 'local') {
      last.qty = floorToStep(last.qty + extra, plan.lotStep);
      return undefined;
    }
    const copies = plan.legs.filter((l) => l.leg === last.leg).length;
    const qty = floorToStep(last.qty - last.filledQty + extra, plan.lotStep);
    const bigger: ExitLeg = { leg: last.leg, kind: 'take_profit', clientOrderId: clientOrderIdOf(plan.planId, `${last.leg}#${copies + 1}`), price: last.price, qty, fraction: 0 };
    return thenMaybe(this.submitTakeProfit(plan, bigger, ts), () => {
      const added = plan.takeProfits[plan.takeProfits.length - 1]!;
      return added.working ? this.cancelLeg(plan, last, `take profit grown to ${qty}`, ts) : undefined;
    });
  }

  /** Places a stop (venue mode); resolves to whether the venue accepted it. A refused stop closes at market. */
  submitStop(plan: PlanState, leg: ExitLeg, kind: StopKind, ts: UnixMillis): MaybePromise<boolean> {
    const state = this.addLeg(plan, legStateOf(leg, kind));
    state.sent = true;
    plan.stop = state;
    plan.stopPrice = leg.price;
    plan.stopKind = kind;
    plan.stopGeneration = Math.max(plan.stopGeneration, stopGeneration(leg.leg));
    const order: SubmitOrder = {
      clientOrderId: leg.clientOrderId,
      symbol: plan.symbol,
      side: plan.exitSide,
      type: 'stop_market',
      qty: leg.qty,
      stopPrice: leg.price,
      reduceOnly: true,
      positionId: plan.positionId,
      leg: leg.leg,
    };
    return thenMaybe(this.ctx.orders.submit(order, ts), (res) => {
      state.working = isWorking(res);
      if (res.status !== 'rejected') return true;
      return thenMaybe(this.closeAtMarket(plan, leg.qty, leg.leg, ts), () => false);
    });
  }

  /**
   * Moves / re-sizes the stop. At the venue the new stop goes out first and the old one is canceled only once
   * the new one is accepted: the position is never without a stop. Locally the armed level just changes.
   */
  replaceStop(plan: PlanState, qty: number, price: number, kind: StopKind, ts: UnixMillis): MaybePromise<void> {
    const old = plan.stop;
    if (plan.mode === 'local') {
      plan.stopPrice = price;
      plan.stopKind = kind;
      if (old !== undefined) {
        old.price = price;
        old.qty = qty;
        old.kind = kind;
      }
      return undefined;
    }
    const name = stopLegName(plan.stopGeneration + 1);
    const leg: ExitLeg = { leg: name, kind: 'stop_loss', clientOrderId: clientOrderIdOf(plan.planId, name), price, qty, fraction: 1 };
    return thenMaybe(this.submitStop(plan, leg, kind, ts), (accepted) =>
      accepted && old !== undefined && old.working ? this.cancelLeg(plan, old, `stop moved to ${price} for ${qty}`, ts) : undefined,
    );
  }

  /** The stop was refused: an unprotected position is worse than an early exit, so close what it covered now. */
  closeAtMarket(plan: PlanState, qty: number, stopLeg: string, ts: UnixMillis, attempt = 1): MaybePromise<void> {
    const generation = stopGeneration(stopLeg);
    const base = generation <= 1 ? 'sl-fallback' : `${stopLeg}-fallback`;
    const id = attempt === 1 ? base : `${base}-${attempt}`;
    const clientOrderId = clientOrderIdOf(plan.planId, id);
    if (this.legs.has(clientOrderId)) return undefined;
    const state = this.addLeg(plan, { ...legStateOf({ leg: 'sl-fallback', kind: 'stop_loss', clientOrderId, price: 0, qty, fraction: 1 }, plan.stopKind), role: 'close' });
    return thenMaybe(this.sendMarket(plan, state, qty, ts), (res) => {
      if (res.status === 'accepted') {
        plan.closing = true;
        return undefined;
      }
      // Refused too — on spot, typically because the take-profit orders hold the coins. Free them and try once more.
      const working = plan.takeProfits.filter((t) => t.working);
      if (attempt > 1 || working.length === 0) return undefined;
      return thenMaybe(
        eachInOrderSettled(working, (t) => this.cancelLeg(plan, t, 'freeing the position to close it: its stop was refused', ts)),
        () => this.closeAtMarket(plan, qty, stopLeg, ts, attempt + 1),
      );
    });
  }

}

function isWorking(res: SubmitResult): boolean {
  return res.status === 'accepted' && (res.order.status === 'open' || res.order.status === 'partially_filled');
}
