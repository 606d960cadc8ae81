import {
  QuantumTraderError,
  eventIdOf,
  floorToStep,
  thenMaybe,
  type Candle,
  type CandleColumns,
  type DomainEvent,
  type ExitManager,
  type ExitManagerContext,
  type ExitPlanCompleted,
  type ExitPlanCreated,
  type ExitPlanRow,
  type Instrument,
  type MaybePromise,
  type OrderFilled,
  type OrderRow,
  type PlanId,
  type PositionChanged,
  type PositionClosed,
  type PositionId,
  type PositionOpened,
  type SymbolId,
  type UnixMillis,
} from '@quantum-trader/core';
import { Subject, type Observable } from 'rxjs';
import { TpSlCalculator } from '../levels/tp-sl-calculator.js';
import type { ExitLearner } from '../learning/exit-learner.js';
import type { PositionOutcome } from '../learning/position-outcome.js';
import type { StateStore } from '../learning/state-store.js';
import { STANDARD_LADDER_PROFILE } from '../plans/built-in-profiles.js';
import { assertFractions, assertStopLossPct, outOfRange } from '../plans/ladder-validation.js';
import { ExitProfileRegistry } from '../plans/profile-registry.js';
import { profileName } from '../plans/profile-name.js';
import { CandleTracker } from './candle-tracker.js';
import type { ExitBrainOptions } from './exit-brain-options.js';
import { snapshotOf, type ExitPlanSnapshot } from './exit-plan-snapshot.js';
import { localTriggers, reachesLocalLeg } from './local-triggers.js';
import { eachInOrderSettled } from './maybe-steps.js';
import { contextOf, ladderFor, levelsFor, newPlanState } from './plan-factory.js';
import { ACTIVE_PLANS_KEY, parseMemos, serializeMemos, type PlanMemo } from './plan-memo.js';
import { exitReasonOfLeg, updateExcursions, type ExecutionMode, type PlanState } from './plan-state.js';
import { reconcilePlanRows } from './reconcile-plan-rows.js';
import { restorePlan } from './restore-plan.js';
import { SerialInbox } from './serial-inbox.js';
import { desiredStop } from './stop-policy.js';
import { replaceMissingLegs, type ExitVenue } from './venue-check.js';
import { outcomeOf } from './outcome-of.js';
import { PlanOrders } from './plan-orders.js';

/** A closed candle in the inbox; an event goes in as it is (no wrapper per event). */
class CandleWork {
  constructor(
    readonly symbol: SymbolId,
    readonly candle: Candle,
    readonly closeTime: UnixMillis,
  ) {}
}
type Work = DomainEvent | CandleWork;

const HANDLED: ReadonlySet<DomainEvent['type']> = new Set([
  'PositionOpened',
  'PositionChanged',
  'PositionClosed',
  'OrderFilled',
  'OrderCanceled',
  'OrderRejected',
]);
/** Times the venue may cancel a stop on its own before the position is closed at market instead. */
const MAX_REPROTECTS = 3;

/**
 * The Exit Brain: gives every new position an exit plan — a ladder of take profits and a stop loss computed from
 * volatility, size, leverage and what it has learned — executes it at the venue or locally, keeps it in step with
 * the position, cleans up when the position closes (OCO), and learns from the outcome.
 *
 * - `PositionOpened` → profile from the registry (`DYNAMIC_<SYMBOL>_<lev>x` or the default), levels from the
 *   {@link TpSlCalculator} (with the learner's adjustment), ladder from {@link standardLadder}; records
 *   `ExitPlanCreated`, then submits the take profits (reduce-only limits) and the stop (reduce-only stop market),
 *   or arms them locally. A rejected take profit is left alone; a rejected stop is replaced at once by a
 *   reduce-only market close (`sl-fallback`).
 * - `PositionChanged` (a take profit filled) → the stop is re-sized to what remains, moved to breakeven or a
 *   trailing level when the profile says so: the new stop (`sl-2`, `sl-3`, …) is placed **before** the old one is
 *   canceled, so the position is never without a stop. Trailing profiles cancel the remaining take profits.
 * - Closed candles (`onCandle`) → excursions (MFE/MAE), local triggers, trailing updates, the time stop.
 * - `PositionClosed` → every leg still working is canceled (OCO), `ExitPlanCompleted` is recorded, and a
 *   {@link PositionOutcome} goes to the learner (persisted in the `store`) and to {@link ExitBrain.outcomes$}.
 * - Restart → {@link ExitBrain.rearm} rebuilds the plans from the journal and checks them against the venue.
 *
 * Works with a synchronous context (backtests in virtual time: every call returns `undefined` and everything has
 * happened when it returns) and with a promise-returning one. Events that arrive while one is being handled are
 * queued and handled in order right after it. Timestamps come from events and candles; no clock is read.
 *
 * @example
 * ```ts
 * const learner = await ExitLearner.load(journal);
 * const kernel = new TradingKernel({ …, exits: (ctx) => new ExitBrain(ctx, { learner, store: journal, venue: exchange }) });
 * ```
 */
export class ExitBrain implements ExitManager {
  /** One {@link PositionOutcome} per closed position, after the learner has seen it. */
  readonly outcomes$: Observable<PositionOutcome>;
  private readonly outcomeSubject = new Subject<PositionOutcome>();
  private readonly ctx: ExitManagerContext;
  private readonly registry: ExitProfileRegistry;
  private readonly defaultProfile: string | undefined;
  private readonly calculator: TpSlCalculator;
  private readonly learner: ExitLearner | undefined;
  private readonly learning: 'online' | 'frozen';
  private readonly store: StateStore | undefined;
  private readonly venue: ExitVenue | undefined;
  private readonly modeOf: (instrument: Instrument) => ExecutionMode;
  private readonly measure: (symbol: SymbolId, asOf: UnixMillis) => number;
  private readonly tracker: CandleTracker;
  private readonly plans = new Map<PositionId, PlanState>();
  private readonly orders: PlanOrders;
  private readonly inbox = new SerialInbox<Work>((w) => this.handle(w));
  /** Scratch of {@link ExitBrain.absorb}: the plans of the symbol whose candles are absorbed. */
  private readonly absorbing: PlanState[] = [];

  constructor(ctx: ExitManagerContext, options: ExitBrainOptions = {}) {
    if (options.stopLossPct !== undefined) assertStopLossPct('ExitBrain', options.stopLossPct);
    if (options.ladder !== undefined) {
      if (options.ladder.length !== 3) {
        throw outOfRange('ExitBrain', 'ladder', options.ladder, 'three fractions (TP1, TP2, TP3), each > 0, summing to 1');
      }
      assertFractions('ExitBrain', 'ladder', options.ladder);
      if (options.profiles !== undefined) {
        throw new QuantumTraderError('CONFIG_INVALID', 'ExitBrain: pass either ladder (fractions of STANDARD_LADDER) or profiles, not both; register a profile with those fractions instead');
      }
    }
    const atrPeriod = options.atrPeriod ?? 14;
    if (!(Number.isInteger(atrPeriod) && atrPeriod >= 1)) throw outOfRange('ExitBrain', 'atrPeriod', atrPeriod, 'an integer >= 1');
    const execution = options.execution ?? 'auto';
    if (typeof execution !== 'function' && execution !== 'venue' && execution !== 'local' && execution !== 'auto') {
      throw outOfRange('ExitBrain', 'execution', execution, "'auto', 'venue', 'local' or a function of the instrument");
    }
    this.ctx = ctx;
    this.orders = new PlanOrders(ctx);
    this.calculator = new TpSlCalculator({
      ...(options.stopLossPct !== undefined ? { stopLossPct: options.stopLossPct } : {}),
      ...(options.riskBudget !== undefined ? { riskBudget: options.riskBudget } : {}),
    });
    const registry = options.profiles ?? new ExitProfileRegistry();
    if (options.ladder !== undefined) registry.register({ ...STANDARD_LADDER_PROFILE, fractions: options.ladder }, { replace: true });
    this.registry = registry;
    // The user's registry is not changed: the default profile of this brain is kept here.
    this.defaultProfile = options.profile === undefined ? undefined : registry.require(options.profile).name;
    this.learner = options.learner;
    this.learning = options.learning ?? 'online';
    if (this.learning !== 'online' && this.learning !== 'frozen') throw outOfRange('ExitBrain', 'learning', this.learning, "'online' or 'frozen'");
    this.store = options.store;
    this.venue = options.venue;
    this.modeOf =
      typeof execution === 'function'
        ? execution
        : execution === 'auto'
          ? (i) => (i.contractType === 'spot' ? 'local' : 'venue')
          : () => execution;
    this.measure = options.volatility ?? ((s, t) => ctx.volatility(s, t));
    this.tracker = new CandleTracker(atrPeriod, options.timeframe);
    this.outcomes$ = this.outcomeSubject.asObservable();
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
   * A read-only view of every active plan: legs, stop level and kind, excursions.
   *
   * @example
   * ```ts
   * brain.snapshot().map((p) => `${p.symbol} ${p.profile} stop ${p.stop?.price} (${p.stopKind})`);
   * ```
   */
  snapshot(): ExitPlanSnapshot[] {
    return [...this.plans.values()].map(snapshotOf);
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
   * Reacts to a closed candle of a symbol, after the venue has matched it: updates the ATR and the excursions of
   * the symbol's plans, fires locally emulated legs the candle reached, moves trailing stops, applies time stops.
   *
   * @example
   * ```ts
   * market.candles$.subscribe(({ symbol, candle }) => brain.onCandle(symbol, candle)); // the kernel does this
   * ```
   */
  onCandle(symbol: SymbolId, candle: Candle): MaybePromise<void> {
    const closeTime = this.tracker.update(symbol, candle);
    if (this.plans.size === 0) return undefined;
    let any = false;
    for (const p of this.plans.values()) if (p.symbol === symbol) any = true;
    return any ? this.inbox.push(new CandleWork(symbol, candle, closeTime)) : undefined;
  }

  /**
   * The quiet-run scan of replays ({@link ExitManager.quietUntil}): the first candle in `[from, to)` of `symbol`
   * that `onCandle` must see on its own, or `to`. Quiet while only the excursions of the symbol's plans move (legs
   * resting at the venue are the venue's to scan); not quiet on a candle that reaches a locally emulated leg or a
   * time stop's deadline, nor while a stop trails or — with a `store` — excursions are persisted candle by candle.
   *
   * @example
   * ```ts
   * const q = brain.quietUntil(symbol, cols, from, to); // candles [from, q) can be absorbed
   * ```
   */
  quietUntil(symbol: SymbolId, candles: CandleColumns, from: number, to: number, scanFrom = from): number {
    if (!this.inbox.idle) return from;
    if (this.plans.size === 0) return to;
    let q = to;
    const { ts, high, low } = candles;
    for (const p of this.plans.values()) {
      if (p.symbol !== symbol) continue;
      if (this.store !== undefined || p.trailing) return from;
      if (p.mode === 'local') {
        // Legs act from the candle that opens at or after the plan was armed, like a resting order.
        for (let j = Math.max(from, scanFrom); j < q; j++) {
          if (ts[j]! >= p.armedAt && reachesLocalLeg(p, high[j]!, low[j]!)) {
            q = j;
            break;
          }
        }
      }
      const maxHold = p.profile.timeStopMs;
      if (maxHold === undefined || p.closing) continue;
      const step = this.tracker.stepOf(symbol);
      if (!Number.isFinite(step)) return from;
      // The close time is the open time plus the step known so far; a smaller step found later only delays it.
      for (let j = Math.max(from, scanFrom); j < q; j++) {
        if (ts[j]! + step - p.openedAt >= maxHold) {
          q = j;
          break;
        }
      }
    }
    return q;
  }

  /**
   * Takes quiet candles `[from, to)` of `symbol` at once (after {@link ExitBrain.quietUntil}): the ATR and the
   * excursions of the symbol's plans move as `onCandle` for each candle would move them.
   *
   * @example
   * ```ts
   * brain.absorb(symbol, cols, from, q);
   * ```
   */
  absorb(symbol: SymbolId, candles: CandleColumns, from: number, to: number): void {
    const mine = this.absorbing;
    mine.length = 0;
    for (const p of this.plans.values()) if (p.symbol === symbol) mine.push(p);
    const track = this.tracker.track(symbol);
    const { ts, high, low, close } = candles;
    // The ATR takes the candles lazily when it can (CandleTracker.defer); then a candle's close time is its time
    // plus the step, and a symbol without plans has nothing more to do.
    const deferred = this.tracker.defer(track, candles, from, to);
    if (deferred && mine.length === 0) return;
    const step = track.stepMs;
    // Excursions move only on a new extreme (they are monotonic in the high and the low), so for a single plan a
    // candle inside the range it has already seen in this run cannot change them: only the others go through
    // updateExcursions. Nor can a candle before the first plan was armed; with the ATR deferred, the loop starts
    // past those (the times rise: defer checked).
    let top = Number.NEGATIVE_INFINITY;
    let bottom = Number.POSITIVE_INFINITY;
    let armed = Number.POSITIVE_INFINITY;
    for (let m = 0; m < mine.length; m++) armed = Math.min(armed, mine[m]!.armedAt);
    const single = mine.length === 1;
    let j = from;
    if (deferred) while (j < to && ts[j]! < armed) j++;
    for (; j < to; j++) {
      const closeTime = deferred ? ts[j]! + step : this.tracker.updateWith(track, ts[j]!, high[j]!, low[j]!, close[j]!);
      const h = high[j]!;
      const l = low[j]!;
      if ((single && h <= top && l >= bottom) || ts[j]! < armed) continue;
      if (h > top) top = h;
      if (l < bottom) bottom = l;
      for (let m = 0; m < mine.length; m++) {
        const plan = mine[m]!;
        if (ts[j]! >= plan.armedAt) updateExcursions(plan, h, l, closeTime);
      }
    }
    mine.length = 0;
  }

  /**
   * Rebuilds the active plans after a restart, from the journal's exit-plan rows and orders, and puts their legs
   * back: with `venue` set, legs the journal believes are working but the venue has never heard of are re-placed
   * with the **same client order id** (journalled as `ReconciliationPerformed`); then every current leg is submitted
   * through the gateway, which sends only what it never journalled and answers the rest from the journal.
   * Local legs are armed again. Filled take profits are dropped and the stop is the latest `sl-N`
   * ({@link reconcilePlanRows}); breakeven and trailing state, excursions and the learning context come back from
   * the `store` when there is one. Call it once the gateway knows the journalled orders, before new events.
   *
   * @example
   * ```ts
   * await brain.rearm(await journal.exitPlans({ status: 'active' }), scheduler.now(), await journal.orders());
   * ```
   */
  rearm(plans: readonly ExitPlanRow[], now: UnixMillis, orders?: readonly OrderRow[]): MaybePromise<void> {
    const current = orders === undefined ? plans : reconcilePlanRows(plans, orders);
    const todo: { planned: ExitPlanRow; current: ExitPlanRow }[] = [];
    current.forEach((row, i) => {
      if (row.status === 'active' && !this.plans.has(row.positionId)) todo.push({ planned: plans[i]!, current: row });
    });
    if (todo.length === 0) return undefined;
    return thenMaybe(this.loadMemos(), (memos) =>
      eachInOrderSettled(todo, ({ planned, current: row }) => this.rearmOne(planned, row, orders ?? [], memos.get(row.planId), now)),
    );
  }

  private rearmOne(planned: ExitPlanRow, row: ExitPlanRow, orders: readonly OrderRow[], memo: PlanMemo | undefined, now: UnixMillis): MaybePromise<void> {
    const instrument = this.ctx.instrument(row.symbol);
    const profile = this.registry.get(row.profile) ?? { ...STANDARD_LADDER_PROFILE, name: row.profile };
    const own = orders.filter((o) => o.positionId === row.positionId);
    const { plan, place } = restorePlan({ planned, current: row, orders: own, allOrders: orders, memo, profile, mode: this.modeOf(instrument), instrument, now });
    this.plans.set(plan.positionId, plan);
    for (const l of plan.legs) this.orders.legs.set(l.clientOrderId, { plan, leg: l });
    if (plan.mode === 'local') return undefined;
    const rows = new Map(own.map((o) => [o.clientOrderId, o]));
    const checked =
      this.venue === undefined
        ? undefined
        : replaceMissingLegs(this.venue, (e) => this.ctx.record(e), plan.symbol, place.map((l) => l.clientOrderId), rows, now);
    return thenMaybe(checked, () =>
      thenMaybe(this.orders.placeLegs(plan, place, now), () => {
        const stale = plan.trailing ? plan.takeProfits.filter((t) => t.working) : [];
        return thenMaybe(
          eachInOrderSettled(stale, (t) => this.orders.cancelLeg(plan, t, 'trailing stop active', now)),
          () => this.syncStop(plan, now),
        );
      }),
    );
  }

  private handle(w: Work): MaybePromise<void> {
    if (w instanceof CandleWork) return this.onClosedCandle(w.symbol, w.candle, w.closeTime);
    const event = w;
    switch (event.type) {
      case 'PositionOpened':
        return this.onPositionOpened(event);
      case 'PositionChanged':
        return this.onPositionChanged(event);
      case 'PositionClosed':
        return this.onPositionClosed(event);
      case 'OrderFilled':
        return this.onFill(event);
      case 'OrderCanceled': {
        const hit = this.orders.legs.get(event.clientOrderId);
        if (hit === undefined) return undefined;
        const { plan, leg } = hit;
        leg.working = false;
        // The venue dropped the current stop on its own (expiry, a restart that lost it): put one back.
        if (leg === plan.stop && !leg.cancelRequested && !plan.closing && plan.mode === 'venue' && plan.qty > 0) {
          plan.reprotects++;
          if (plan.reprotects > MAX_REPROTECTS) return this.orders.closeAtMarket(plan, plan.qty, leg.leg, event.ts);
          return this.orders.replaceStop(plan, plan.qty, plan.stopPrice, plan.stopKind, event.ts);
        }
        return undefined;
      }
      case 'OrderRejected': {
        const hit = this.orders.legs.get(event.clientOrderId);
        if (hit !== undefined) hit.leg.working = false;
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private onPositionOpened(e: PositionOpened): MaybePromise<void> {
    if (this.plans.has(e.positionId)) return undefined; // redelivered: the plan exists already
    const instrument = this.ctx.instrument(e.symbol);
    const leverage = instrument.contractType === 'spot' ? 1 : e.leverage;
    const profile =
      this.registry.get(profileName(e.symbol, leverage)) ??
      (this.defaultProfile === undefined ? this.registry.defaultProfile() : this.registry.require(this.defaultProfile));
    const levels = levelsFor(e, instrument, profile, { calculator: this.calculator, learner: this.learner, volatility: this.measure(e.symbol, e.ts) });
    const ladder = ladderFor(e, instrument, profile, levels);
    const stop = ladder.legs.find((l) => l.kind === 'stop_loss')!;
    const plan = newPlanState({
      planId: ladder.planId,
      positionId: e.positionId,
      symbol: e.symbol,
      side: e.side,
      entryPrice: e.entryPrice,
      openedAt: e.ts,
      armedAt: e.ts,
      qty: ladder.qty,
      profile,
      mode: this.modeOf(instrument),
      instrument,
      context: contextOf(levels, leverage, ladder.legs),
      stopPrice: stop.price,
    });
    this.plans.set(plan.positionId, plan);
    const created: ExitPlanCreated = {
      id: eventIdOf('ExitPlanCreated', ladder.planId),
      type: 'ExitPlanCreated',
      ts: e.ts,
      planId: ladder.planId,
      positionId: ladder.positionId,
      symbol: ladder.symbol,
      side: ladder.side,
      profile: ladder.profile,
      entryPrice: ladder.entryPrice,
      volatility: ladder.volatility,
      legs: ladder.legs,
    };
    return thenMaybe(this.ctx.record([created]), () =>
      thenMaybe(this.saveMemos(), () => (plan.mode === 'venue' ? this.orders.placeLegs(plan, ladder.legs, e.ts) : this.orders.armLocally(plan, ladder.legs))),
    );
  }

  private onPositionChanged(e: PositionChanged): MaybePromise<void> {
    const plan = this.plans.get(e.positionId);
    if (plan === undefined) return undefined;
    const qty = floorToStep(e.qty, plan.lotStep);
    const grown = floorToStep(qty - plan.qty, plan.lotStep);
    plan.qty = qty;
    if (plan.closing || !(qty > 0) || !Number.isFinite(plan.stopPrice)) return undefined;
    const trailing = plan.profile.trailing;
    const start =
      trailing !== undefined && !plan.trailing && plan.tpFilled >= trailing.afterTakeProfits
        ? this.startTrailing(plan, e.ts)
        : grown > 0 && !plan.trailing
          ? this.orders.growTakeProfit(plan, grown, e.ts)
          : undefined;
    return thenMaybe(start, () => thenMaybe(this.syncStop(plan, e.ts), () => this.saveMemos()));
  }

  private onFill(e: OrderFilled): MaybePromise<void> {
    const hit = this.orders.legs.get(e.clientOrderId);
    if (hit === undefined) return undefined;
    const { plan, leg } = hit;
    if (leg.filledQty === 0) plan.exitReasons.push(exitReasonOfLeg(leg));
    leg.filledQty += e.qty;
    plan.lastExitPrice = e.price;
    updateExcursions(plan, e.price, e.price, e.ts);
    if (e.remainingQty <= 0) {
      leg.working = false;
      leg.armed = false;
      if (leg.role === 'take_profit') {
        plan.tpFilled++;
        plan.lastTakeProfitPrice = e.price;
      }
    }
    if (leg.role !== 'take_profit') plan.closing = true;
    return undefined;
  }

  private onPositionClosed(e: PositionClosed): MaybePromise<void> {
    const plan = this.plans.get(e.positionId);
    if (plan === undefined) return undefined;
    const reason = `position closed (${e.exitReason})`;
    const working = plan.legs.filter((l) => l.working);
    const canceled = eachInOrderSettled(working, (l) => this.orders.cancelLeg(plan, l, reason, e.ts));
    const completed: ExitPlanCompleted = {
      id: eventIdOf('ExitPlanCompleted', plan.planId),
      type: 'ExitPlanCompleted',
      ts: e.ts,
      planId: plan.planId,
      positionId: plan.positionId,
      reason: e.exitReason,
    };
    return thenMaybe(canceled, () =>
      thenMaybe(this.ctx.record([completed]), () => {
        this.plans.delete(plan.positionId);
        this.orders.forget(plan);
        const learns = this.learner !== undefined && this.learning === 'online';
        // The learning record is built only for someone who reads it: the learner or a subscriber of outcomes$.
        const outcome = learns || this.outcomeSubject.observed ? outcomeOf(plan, e) : undefined;
        if (learns) this.learner!.observe(outcome!);
        const saved = learns && this.store !== undefined ? this.learner!.save(this.store) : undefined;
        return thenMaybe(saved, () =>
          thenMaybe(this.saveMemos(), () => {
            if (outcome !== undefined) this.outcomeSubject.next(outcome);
          }),
        );
      }),
    );
  }

  private onClosedCandle(symbol: SymbolId, candle: Candle, closeTime: UnixMillis): MaybePromise<void> {
    const mine: PlanState[] = [];
    let excursions = 0;
    for (const p of this.plans.values()) {
      if (p.symbol !== symbol) continue;
      mine.push(p);
      excursions += p.mfe + p.mae;
    }
    const done = eachInOrderSettled(mine, (plan) => this.onPlanCandle(plan, candle, closeTime));
    // A new extreme is part of the learning record: persist it, so a restart does not lose it.
    return thenMaybe(done, () => {
      let after = 0;
      for (const p of mine) after += p.mfe + p.mae;
      return after !== excursions && this.store !== undefined ? this.saveMemos() : undefined;
    });
  }

  private onPlanCandle(plan: PlanState, candle: Candle, closeTime: UnixMillis): MaybePromise<void> {
    if (!this.plans.has(plan.positionId)) return undefined; // closed by an earlier step of this candle
    // Excursions count from the first candle the legs could act on, like the triggers (and a resting order).
    if (candle.ts >= plan.armedAt) updateExcursions(plan, candle.high, candle.low, closeTime);
    if (plan.mode === 'local' && candle.ts >= plan.armedAt) {
      const hit = localTriggers(plan, candle);
      if (hit.stop) return this.orders.triggerLocalStop(plan, closeTime);
      if (!plan.closing && hit.takeProfits.length > 0) {
        return eachInOrderSettled(hit.takeProfits, (tp) => this.orders.triggerLocalTakeProfit(plan, tp, closeTime));
      }
    }
    if (plan.closing) return undefined;
    const maxHold = plan.profile.timeStopMs;
    if (maxHold !== undefined && closeTime - plan.openedAt >= maxHold) return this.timeStop(plan, closeTime);
    if (plan.trailing && candle.ts >= plan.armedAt) {
      const best = plan.side === 'long' ? candle.high : candle.low;
      if (!Number.isFinite(plan.extreme) || (plan.side === 'long' ? best > plan.extreme : best < plan.extreme)) plan.extreme = best;
      return this.syncStop(plan, closeTime, true);
    }
    return undefined;
  }

  /** Re-sizes / moves the stop to where it should be now; `persist` saves the memo when it moved. */
  private syncStop(plan: PlanState, ts: UnixMillis, persist = false): MaybePromise<void> {
    if (plan.closing || plan.stop === undefined || !Number.isFinite(plan.stopPrice)) return undefined;
    // the ATR only moves a trailing stop: read (and so computed) only for one
    const atr = plan.trailing && plan.profile.trailing !== undefined ? this.tracker.atr(plan.symbol) : Number.NaN;
    const want = desiredStop(plan, atr);
    if (want.price === plan.stopPrice && plan.qty === plan.stop.qty) return undefined;
    const moved = this.orders.replaceStop(plan, plan.qty, want.price, want.kind, ts);
    return persist ? thenMaybe(moved, () => this.saveMemos()) : moved;
  }

  private startTrailing(plan: PlanState, ts: UnixMillis): MaybePromise<void> {
    plan.trailing = true;
    plan.extreme = Number.isFinite(plan.lastTakeProfitPrice) ? plan.lastTakeProfitPrice : plan.entryPrice;
    for (const t of plan.takeProfits) t.armed = false;
    const working = plan.takeProfits.filter((t) => t.working);
    return eachInOrderSettled(working, (t) => this.orders.cancelLeg(plan, t, 'trailing stop takes over', ts));
  }

  private timeStop(plan: PlanState, ts: UnixMillis): MaybePromise<void> {
    plan.closing = true;
    for (const t of plan.takeProfits) t.armed = false;
    const working = plan.takeProfits.filter((t) => t.working);
    const canceled = eachInOrderSettled(working, (t) => this.orders.cancelLeg(plan, t, 'time stop', ts));
    return thenMaybe(canceled, () => this.orders.submitMarket(plan, 'time-stop', 'close', plan.qty, ts));
  }

  private loadMemos(): MaybePromise<ReadonlyMap<PlanId, PlanMemo>> {
    if (this.store === undefined) return new Map();
    return thenMaybe(this.store.getState(ACTIVE_PLANS_KEY), parseMemos);
  }

  private saveMemos(): MaybePromise<void> {
    return this.store === undefined ? undefined : this.store.setState(ACTIVE_PLANS_KEY, serializeMemos(this.plans.values()));
  }
}
