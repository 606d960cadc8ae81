import type {
  ClientOrderId,
  OrderSide,
  PlanId,
  PositionId,
  PositionSide,
  SymbolId,
  UnixMillis,
} from '@quantum-trader/core';
import type { VolatilityRegime } from '../levels/regime-take-profits.js';
import type { ExitProfile } from '../plans/exit-profile.js';
import { ADVERSE_LEVELS, FAVOURABLE_LEVELS, FAVOURABLE_STEP } from '../learning/adverse-levels.js';

// Internal (not re-exported): the Exit Brain's in-memory state of one plan.

/**
 * Where the legs of a plan live: resting at the venue, or watched locally from the candle stream.
 *
 * @example
 * ```ts
 * const mode: ExecutionMode = instrument.contractType === 'spot' ? 'local' : 'venue';
 * ```
 */
export type ExecutionMode = 'venue' | 'local';

/**
 * What the current stop of a plan is: the initial stop, the entry (breakeven), or a trailing level.
 *
 * @example
 * ```ts
 * const locked: boolean = brain.snapshot()[0]?.stopKind !== 'initial';
 * ```
 */
export type StopKind = 'initial' | 'breakeven' | 'trailing';

/** `close` legs are market closes: the stop's fallback and the time stop. */
export type LegRole = 'take_profit' | 'stop' | 'close';

export interface LegState {
  readonly leg: string;
  readonly clientOrderId: ClientOrderId;
  readonly role: LegRole;
  price: number;
  qty: number;
  /** Stop legs: what the stop protected when placed (for the exit reason). */
  kind: StopKind;
  /** An order exists for this leg (always in venue mode; once triggered in local mode). */
  sent: boolean;
  /** Sent and, as far as we know, still working at the venue. */
  working: boolean;
  /** Local mode: waiting for the price to reach it. */
  armed: boolean;
  filledQty: number;
  /** We asked for the cancel (so an `OrderCanceled` is expected, not a venue surprise). */
  cancelRequested: boolean;
}

/** Levels and context the plan was built with (persisted for the learning record). */
export interface PlanContext {
  readonly leverage: number;
  readonly regime: VolatilityRegime;
  readonly volatility: number;
  readonly baseTakeProfitPcts: readonly number[];
  readonly baseStopLossPct: number;
  readonly takeProfitPcts: readonly number[];
  readonly stopLossPct: number;
  /** Each take-profit level's share of the position as planned (0 for a level merged away for size). */
  readonly takeProfitFractions: readonly number[];
  readonly learnerVersion: number;
}

export interface PlanState {
  readonly planId: PlanId;
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly exitSide: OrderSide;
  readonly entryPrice: number;
  readonly openedAt: UnixMillis;
  /** Local triggers only fire on candles that open at or after this time (like resting orders at a venue). */
  readonly armedAt: UnixMillis;
  readonly profile: ExitProfile;
  readonly mode: ExecutionMode;
  readonly tick: number;
  readonly lotStep: number;
  readonly context: PlanContext;
  /** Current position size. */
  qty: number;
  /** Every leg of the plan, in the order created. */
  readonly legs: LegState[];
  readonly takeProfits: LegState[];
  /** The current stop (venue: the latest generation sent; local: the armed level). */
  stop: LegState | undefined;
  stopGeneration: number;
  stopPrice: number;
  stopKind: StopKind;
  /** Take-profit legs completely filled. */
  tpFilled: number;
  /** Price of the last take-profit fill (where a trail starts). */
  lastTakeProfitPrice: number;
  trailing: boolean;
  /** Best price since the trail started. */
  extreme: number;
  /** A stop, its fallback or the time stop is taking the position out: no more stop changes. */
  closing: boolean;
  /** Times the venue canceled the stop on its own and it was put back. */
  reprotects: number;
  mfe: number;
  mae: number;
  /** MFE when the MAE first reached each of {@link ADVERSE_LEVELS} × the base stop (the final MFE if it never did). */
  readonly mfeBefore: number[];
  /** Market time since the open when the MAE first reached each adverse level (NaN: not yet). */
  readonly adverseAt: number[];
  /** Market time since the open when the MFE first reached each favourable level (k + 1) × step × base stop. */
  readonly favourableAt: number[];
  /** Price of the latest exit fill. */
  lastExitPrice: number;
  readonly exitReasons: string[];
}

/** The side a stop moves toward when it protects more: up for a long, down for a short. */
export function isMoreProtective(side: PositionSide, candidate: number, current: number): boolean {
  return side === 'long' ? candidate > current : candidate < current;
}

/**
 * Updates the maximum favourable / adverse excursion (fractions of the entry) with a price range. The adverse
 * extreme is taken first (conservative path), so the favourable excursion recorded "before" an adverse level does
 * not include the candle that reached it.
 */
export function updateExcursions(plan: PlanState, high: number, low: number, ts: number): void {
  const e = plan.entryPrice;
  const fav = plan.side === 'long' ? (high - e) / e : (e - low) / e;
  const adv = plan.side === 'long' ? (e - low) / e : (high - e) / e;
  const unit = plan.context.baseStopLossPct;
  const elapsed = Math.max(0, ts - plan.openedAt);
  if (adv > plan.mae) {
    for (let j = 0; j < ADVERSE_LEVELS.length; j++) {
      const level = ADVERSE_LEVELS[j]! * unit;
      if (plan.mae < level && adv >= level) {
        plan.mfeBefore[j] = plan.mfe;
        plan.adverseAt[j] = elapsed;
      }
    }
    plan.mae = adv;
  }
  if (fav > plan.mfe) {
    plan.mfe = fav;
    const reached = Math.min(FAVOURABLE_LEVELS, Math.floor(fav / (FAVOURABLE_STEP * unit) + 1e-9));
    while (plan.favourableAt.length < reached) plan.favourableAt.push(elapsed);
  }
}

/** The favourable excursion before each adverse level (the final MFE where the level was never reached). */
export function mfeBeforeAdverse(plan: PlanState): number[] {
  return plan.mfeBefore.map((m) => (Number.isNaN(m) ? plan.mfe : m));
}

/** The learning label of a leg's fill. */
export function exitReasonOfLeg(leg: LegState): string {
  if (leg.role === 'take_profit') return leg.leg;
  if (leg.role === 'stop') return leg.kind === 'initial' ? 'stop_loss' : leg.kind === 'breakeven' ? 'breakeven_stop' : 'trailing_stop';
  return leg.leg === 'time-stop' ? 'time_stop' : 'stop_fallback';
}
