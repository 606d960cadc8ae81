import {
  clientOrderIdOf,
  eventIdOf,
  floorToStep,
  thenMaybe,
  type ClientOrderId,
  type DomainEvent,
  type ExitLeg,
  type ExitManager,
  type ExitManagerContext,
  type ExitPlanCompleted,
  type ExitPlanCreated,
  type ExitPlanRow,
  type MaybePromise,
  type OrderRow,
  type OrderSide,
  type PlanId,
  type PositionChanged,
  type PositionClosed,
  type PositionId,
  type PositionOpened,
  type PositionSide,
  type SubmitOrder,
  type SubmitResult,
  type SymbolId,
  type UnixMillis,
} from '@quantum-trader/core';
import { assertFractions, assertStopLossPct, outOfRange } from '../plans/ladder-validation.js';
import { standardLadder, type LadderOverrides } from '../plans/standard-ladder.js';
import { stopGeneration, stopLegName } from './stop-legs.js';
import { eachInOrderSettled } from './maybe-steps.js';
import { reconcilePlanRows } from './reconcile-plan-rows.js';
import { SerialInbox } from './serial-inbox.js';

/**
 * Options of {@link ExitBrain}; everything left out keeps the STANDARD_LADDER default.
 *
 * @example
 * ```ts
 * const options: ExitBrainOptions = { stopLossPct: 0.025, ladder: [0.5, 0.3, 0.2] };
 * ```
 */
export interface ExitBrainOptions {
  /** Stop-loss distance from the entry as a fraction, 0 < x < 1 (default 0.02 = 2 %). */
  readonly stopLossPct?: number;
  /** Share of the position closed at TP1, TP2, TP3; each > 0, summing to 1 (default [0.3, 0.3, 0.4]). */
  readonly ladder?: readonly [number, number, number];
}

interface LegState {
  readonly leg: string;
  readonly clientOrderId: ClientOrderId;
  /** A stop or its market fallback: once one of these fills, the position is on its way out. */
  readonly closesAll: boolean;
  /** Sent and, as far as we know, still working at the venue (so it must be canceled when the plan ends). */
  working: boolean;
}

interface PlanState {
  readonly planId: PlanId;
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly exitSide: OrderSide;
  readonly stopPrice: number;
  /** Every leg sent for this plan, in the order sent (TPs, then each stop generation and fallback). */
  readonly legs: LegState[];
  stop: LegState | undefined;
  stopQty: number;
  stopGeneration: number;
  /** A stop (or its market fallback) fired: the stop is no longer resized. */
  closing: boolean;
}

const HANDLED: ReadonlySet<DomainEvent['type']> = new Set([
  'PositionOpened',
  'PositionChanged',
  'PositionClosed',
  'OrderFilled',
  'OrderCanceled',
  'OrderRejected',
]);

/**
 * The Exit Brain: gives every new position a STANDARD_LADDER exit plan, places its legs, keeps the stop sized to
 * what remains, and cancels what is left when the position closes.
 *
 * - `PositionOpened` → builds the plan ({@link standardLadder}, volatility from `ctx.volatility`), records
 *   `ExitPlanCreated`, then submits TP1–TP3 as reduce-only limits and the stop loss as a reduce-only
 *   `stop_market` for the whole position. A rejected TP is left alone (the gateway journals it); a rejected stop
 *   is replaced at once by a reduce-only market close (leg `sl-fallback`).
 * - `PositionChanged` (e.g. a TP filled) → cancels the stop, then submits `sl-2`, `sl-3`, … for the new size.
 * - `PositionClosed` → cancels every leg still working (OCO), then records `ExitPlanCompleted`.
 *
 * Works with a synchronous context (backtests: `onEvent` returns `undefined` and everything has happened when it
 * returns) and with a promise-returning one. Events that arrive while one is being handled — for instance a fill
 * reported synchronously from inside a submission — are queued and handled in order right after it. Timestamps
 * come from events (or `rearm`'s `now`); the wall clock is never read.
 *
 * @example
 * ```ts
 * const kernel = createTradingKernel({ …, exits: (ctx) => new ExitBrain(ctx, { stopLossPct: 0.02 }) });
 * // or by hand:
 * const brain = new ExitBrain(ctx);
 * await brain.rearm(await journal.exitPlans({ status: 'active' }), now, await journal.orders());
 * for (const e of newEvents) await brain.onEvent(e);
 * ```
 */
export class ExitBrain implements ExitManager {
  private readonly ctx: ExitManagerContext;
  private readonly profile: LadderOverrides;
  private readonly plans = new Map<PositionId, PlanState>();
  private readonly byOrder = new Map<ClientOrderId, { readonly plan: PlanState; readonly leg: LegState }>();
  private readonly inbox = new SerialInbox<DomainEvent>((e) => this.handle(e));

  constructor(ctx: ExitManagerContext, options: ExitBrainOptions = {}) {
    if (options.stopLossPct !== undefined) assertStopLossPct('ExitBrain', options.stopLossPct);
    if (options.ladder !== undefined) {
      if (options.ladder.length !== 3) {
        throw outOfRange('ExitBrain', 'ladder', options.ladder, 'three fractions (TP1, TP2, TP3), each > 0, summing to 1');
      }
      assertFractions('ExitBrain', 'ladder', options.ladder);
    }
    this.ctx = ctx;
    this.profile = {
      ...(options.stopLossPct !== undefined ? { stopLossPct: options.stopLossPct } : {}),
      ...(options.ladder !== undefined ? { fractions: [...options.ladder] } : {}),
    };
  }

  /**
   * Number of plans whose position is still open (for status pages).
   *
   * @example
   * ```ts
   * status.exitPlansActive = brain.activePlans();
   * ```
   */
  activePlans(): number {
    return this.plans.size;
  }

  /**
   * Reacts to one journalled event (see the class description); other event types are ignored. Returns
   * `undefined` when the context is synchronous, a promise otherwise.
   *
   * @example
   * ```ts
   * await brain.onEvent(positionOpened); // ExitPlanCreated recorded, four legs submitted
   * ```
   */
  onEvent(event: DomainEvent): MaybePromise<void> {
    return HANDLED.has(event.type) ? this.inbox.push(event) : undefined;
  }

  /**
   * Rebuilds the active plans after a restart, from the journal's exit-plan rows, and re-submits their legs with
   * the same client order ids: the gateway sends only those it has never journalled (a crash between
   * `ExitPlanCreated` and the submissions), and returns the recorded outcome for the others.
   * Pass the journal's `orders` too (or rows already passed through {@link reconcilePlanRows}) so that filled
   * take profits are dropped and the stop is the latest `sl-N` sent before the restart; without them the current
   * stop is the row's `stop_loss` leg with the highest generation. Call it once the gateway knows the journalled
   * orders, before new events are fed.
   *
   * @example
   * ```ts
   * await brain.rearm(await journal.exitPlans({ status: 'active' }), scheduler.now(), await journal.orders());
   * ```
   */
  rearm(plans: readonly ExitPlanRow[], now: UnixMillis, orders?: readonly OrderRow[]): MaybePromise<void> {
    const current = orders === undefined ? plans : reconcilePlanRows(plans, orders);
    const rows = current.filter((row) => row.status === 'active' && !this.plans.has(row.positionId));
    return eachInOrderSettled(rows, (row) => {
      const tps = row.legs.filter((l) => l.kind === 'take_profit');
      const stop = currentStopLeg(row.legs);
      const plan = this.track(row.planId, row.positionId, row.symbol, row.side, stop?.price ?? Number.NaN);
      return this.placeLegs(plan, stop === undefined ? tps : [...tps, stop], now);
    });
  }

  private handle(event: DomainEvent): MaybePromise<void> {
    switch (event.type) {
      case 'PositionOpened':
        return this.onPositionOpened(event);
      case 'PositionChanged':
        return this.onPositionChanged(event);
      case 'PositionClosed':
        return this.onPositionClosed(event);
      case 'OrderFilled': {
        const hit = this.byOrder.get(event.clientOrderId);
        if (hit === undefined) return undefined;
        if (event.remainingQty <= 0) hit.leg.working = false;
        if (hit.leg.closesAll) hit.plan.closing = true;
        return undefined;
      }
      case 'OrderCanceled':
      case 'OrderRejected': {
        const hit = this.byOrder.get(event.clientOrderId);
        if (hit !== undefined) hit.leg.working = false;
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private onPositionOpened(e: PositionOpened): MaybePromise<void> {
    if (this.plans.has(e.positionId)) return undefined; // redelivered: the plan exists already
    const plan = standardLadder({
      positionId: e.positionId,
      symbol: e.symbol,
      side: e.side,
      qty: e.qty,
      entryPrice: e.entryPrice,
      volatility: this.ctx.volatility(e.symbol, e.ts),
      instrument: this.ctx.instrument(e.symbol),
      profile: this.profile,
    });
    const stopPrice = plan.legs.find((l) => l.kind === 'stop_loss')!.price;
    const state = this.track(plan.planId, plan.positionId, plan.symbol, plan.side, stopPrice);
    const created: ExitPlanCreated = {
      id: eventIdOf('ExitPlanCreated', plan.planId),
      type: 'ExitPlanCreated',
      ts: e.ts,
      planId: plan.planId,
      positionId: plan.positionId,
      symbol: plan.symbol,
      side: plan.side,
      profile: plan.profile,
      entryPrice: plan.entryPrice,
      volatility: plan.volatility,
      legs: plan.legs,
    };
    return thenMaybe(this.ctx.record([created]), () => this.placeLegs(state, plan.legs, e.ts));
  }

  private onPositionChanged(e: PositionChanged): MaybePromise<void> {
    const plan = this.plans.get(e.positionId);
    if (plan === undefined || plan.closing || !Number.isFinite(plan.stopPrice)) return undefined;
    const qty = floorToStep(e.qty, this.ctx.instrument(plan.symbol).lotStep);
    if (qty === plan.stopQty || !(qty > 0)) return undefined;
    const old = plan.stop;
    const leg = stopLegName(plan.stopGeneration + 1);
    const replacement: ExitLeg = {
      leg,
      kind: 'stop_loss',
      clientOrderId: clientOrderIdOf(plan.planId, leg),
      price: plan.stopPrice,
      qty,
      fraction: 1,
    };
    const canceled =
      old?.working === true
        ? thenMaybe(this.ctx.orders.cancel(old.clientOrderId, plan.symbol, `stop resized to ${qty}`, e.ts), () => {
            old.working = false;
          })
        : undefined;
    return thenMaybe(canceled, () => this.submitStop(plan, replacement, e.ts));
  }

  private onPositionClosed(e: PositionClosed): MaybePromise<void> {
    const plan = this.plans.get(e.positionId);
    if (plan === undefined) return undefined;
    const reason = `position closed (${e.exitReason})`;
    const working = plan.legs.filter((l) => l.working);
    const canceled = eachInOrderSettled(working, (l) =>
      thenMaybe(this.ctx.orders.cancel(l.clientOrderId, plan.symbol, reason, e.ts), () => {
        l.working = false;
      }),
    );
    const completed: ExitPlanCompleted = {
      id: eventIdOf('ExitPlanCompleted', plan.planId),
      type: 'ExitPlanCompleted',
      ts: e.ts,
      planId: plan.planId,
      positionId: plan.positionId,
      reason: e.exitReason,
    };
    return thenMaybe(canceled, () => thenMaybe(this.ctx.record([completed]), () => this.forget(plan)));
  }

  private track(planId: PlanId, positionId: PositionId, symbol: SymbolId, side: PositionSide, stopPrice: number): PlanState {
    const plan: PlanState = {
      planId,
      positionId,
      symbol,
      exitSide: side === 'long' ? 'sell' : 'buy',
      stopPrice,
      legs: [],
      stop: undefined,
      stopQty: 0,
      stopGeneration: 0,
      closing: false,
    };
    this.plans.set(positionId, plan);
    return plan;
  }

  private forget(plan: PlanState): void {
    this.plans.delete(plan.positionId);
    for (const l of plan.legs) this.byOrder.delete(l.clientOrderId);
  }

  private addLeg(plan: PlanState, leg: string, clientOrderId: ClientOrderId, closesAll: boolean): LegState {
    const state: LegState = { leg, clientOrderId, closesAll, working: false };
    plan.legs.push(state);
    this.byOrder.set(clientOrderId, { plan, leg: state });
    return state;
  }

  /** Take profits in order, then the stop; one failed submission does not keep the others (the stop!) from going out. */
  private placeLegs(plan: PlanState, legs: readonly ExitLeg[], ts: UnixMillis): MaybePromise<void> {
    return eachInOrderSettled(legs, (leg) =>
      leg.kind === 'stop_loss' ? this.submitStop(plan, leg, ts) : this.submitTakeProfit(plan, leg, ts),
    );
  }

  private submitTakeProfit(plan: PlanState, leg: ExitLeg, ts: UnixMillis): MaybePromise<void> {
    const state = this.addLeg(plan, leg.leg, leg.clientOrderId, false);
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

  private submitStop(plan: PlanState, leg: ExitLeg, ts: UnixMillis): MaybePromise<void> {
    const state = this.addLeg(plan, leg.leg, leg.clientOrderId, true);
    const generation = stopGeneration(leg.leg);
    plan.stop = state;
    plan.stopQty = leg.qty;
    plan.stopGeneration = Math.max(plan.stopGeneration, generation);
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
      if (res.status === 'rejected') return this.closeAtMarket(plan, leg, ts);
      return undefined;
    });
  }

  /** The stop was refused: an unprotected position is worse than an early exit, so close what it covered now. */
  private closeAtMarket(plan: PlanState, stop: ExitLeg, ts: UnixMillis): MaybePromise<void> {
    const generation = stopGeneration(stop.leg);
    const id = generation === 1 ? 'sl-fallback' : `${stop.leg}-fallback`;
    const clientOrderId = clientOrderIdOf(plan.planId, id);
    const state = this.addLeg(plan, 'sl-fallback', clientOrderId, true);
    const order: SubmitOrder = {
      clientOrderId,
      symbol: plan.symbol,
      side: plan.exitSide,
      type: 'market',
      qty: stop.qty,
      reduceOnly: true,
      positionId: plan.positionId,
      leg: 'sl-fallback',
    };
    return thenMaybe(this.ctx.orders.submit(order, ts), (res) => {
      state.working = isWorking(res);
      if (res.status === 'accepted') plan.closing = true;
    });
  }
}

function isWorking(res: SubmitResult): boolean {
  return res.status === 'accepted' && (res.order.status === 'open' || res.order.status === 'partially_filled');
}

function currentStopLeg(legs: readonly ExitLeg[]): ExitLeg | undefined {
  let best: ExitLeg | undefined;
  for (const l of legs) {
    if (l.kind !== 'stop_loss') continue;
    if (best === undefined || stopGeneration(l.leg) > stopGeneration(best.leg)) best = l;
  }
  return best;
}
