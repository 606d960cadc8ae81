import { roundToDecimals, type PlanId, type PositionId, type PositionSide, type SymbolId } from '@quantum-trader/core';
import type { ExecutionMode, LegState, PlanState, StopKind } from './plan-state.js';

/**
 * Where one leg of an active plan stands: `armed` (watched locally, nothing sent), `working` (an order rests at
 * the venue), `filled`, or `done` (canceled, rejected, or disarmed).
 *
 * @example
 * ```ts
 * const waiting = snapshot.takeProfits.filter((t) => t.status === 'working' || t.status === 'armed');
 * ```
 */
export type LegStatus = 'armed' | 'working' | 'filled' | 'done';

/**
 * One leg in an {@link ExitPlanSnapshot}.
 *
 * @example
 * ```ts
 * const { leg, price, remainingQty, status } = snapshot.takeProfits[0]!;
 * ```
 */
export interface LegSnapshot {
  readonly leg: string;
  readonly price: number;
  readonly qty: number;
  /** Quantity not filled yet. */
  readonly remainingQty: number;
  readonly status: LegStatus;
}

/**
 * A read-only view of an active exit plan, for status pages, tests and debugging.
 *
 * @example
 * ```ts
 * for (const p of brain.snapshot()) console.log(p.profile, p.qty, p.stop?.price, p.stopKind);
 * ```
 */
export interface ExitPlanSnapshot {
  readonly planId: PlanId;
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly profile: string;
  readonly mode: ExecutionMode;
  readonly entryPrice: number;
  /** Position size the plan believes is open. */
  readonly qty: number;
  readonly takeProfits: readonly LegSnapshot[];
  /** The current stop (`undefined` only for a plan re-armed from a row without one). */
  readonly stop: LegSnapshot | undefined;
  readonly stopKind: StopKind;
  readonly trailing: boolean;
  readonly closing: boolean;
  readonly mfePct: number;
  readonly maePct: number;
}

function legSnapshot(l: LegState): LegSnapshot {
  const remaining = Math.max(0, roundToDecimals(l.qty - l.filledQty, 12));
  const status: LegStatus = remaining <= 0 ? 'filled' : l.working ? 'working' : l.armed ? 'armed' : 'done';
  return { leg: l.leg, price: l.price, qty: l.qty, remainingQty: remaining, status };
}

/** Internal: the snapshot of a plan's state. */
export function snapshotOf(plan: PlanState): ExitPlanSnapshot {
  return {
    planId: plan.planId,
    positionId: plan.positionId,
    symbol: plan.symbol,
    side: plan.side,
    profile: plan.profile.name,
    mode: plan.mode,
    entryPrice: plan.entryPrice,
    qty: plan.qty,
    takeProfits: plan.takeProfits.map(legSnapshot),
    stop: plan.stop === undefined ? undefined : { ...legSnapshot(plan.stop), price: plan.stopPrice, qty: plan.stop.qty },
    stopKind: plan.stopKind,
    trailing: plan.trailing,
    closing: plan.closing,
    mfePct: plan.mfe,
    maePct: plan.mae,
  };
}
