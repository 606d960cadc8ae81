import { QuantumTraderError, type PlanId } from '@quantum-trader/core';
import type { PlanContext, PlanState, StopKind } from './plan-state.js';

// Internal (not re-exported): what of an active plan is not in the journal's plan and order rows, persisted in the
// journal's key-value state so a restart resumes the learning record and the local / trailing stop.

/** Journal state key of the active plans' memos. */
export const ACTIVE_PLANS_KEY = 'exit-brain/active-plans';

export interface PlanMemo {
  readonly context: PlanContext;
  readonly stopPrice: number;
  readonly stopKind: StopKind;
  readonly trailing: boolean;
  readonly extreme: number;
  readonly mfe: number;
  readonly mae: number;
  /** `null` where the level was not reached (JSON has no NaN). */
  readonly mfeBefore: readonly (number | null)[];
  readonly lastExitPrice: number | null;
  readonly adverseAt: readonly (number | null)[];
  readonly favourableAt: readonly number[];
  readonly exitReasons: readonly string[];
}

export function memoOf(plan: PlanState): PlanMemo {
  return {
    context: plan.context,
    stopPrice: plan.stopPrice,
    stopKind: plan.stopKind,
    trailing: plan.trailing,
    extreme: plan.extreme,
    mfe: plan.mfe,
    mae: plan.mae,
    mfeBefore: plan.mfeBefore.map((m) => (Number.isNaN(m) ? null : m)),
    lastExitPrice: Number.isNaN(plan.lastExitPrice) ? null : plan.lastExitPrice,
    adverseAt: plan.adverseAt.map((t) => (Number.isNaN(t) ? null : t)),
    favourableAt: [...plan.favourableAt],
    exitReasons: [...plan.exitReasons],
  };
}

/** Serialises the memos of the given plans (sorted by plan id, so equal state gives equal text). */
export function serializeMemos(plans: Iterable<PlanState>): string {
  const out: Record<string, PlanMemo> = {};
  for (const p of [...plans].sort((a, b) => (a.planId < b.planId ? -1 : 1))) out[p.planId] = memoOf(p);
  return JSON.stringify({ schema: 1, plans: out });
}

export function parseMemos(raw: string | undefined): ReadonlyMap<PlanId, PlanMemo> {
  if (raw === undefined || raw === '') return new Map();
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new QuantumTraderError('DATA_INVALID', `exit-brain plan memos (journal key '${ACTIVE_PLANS_KEY}') are not JSON: ${(err as Error).message}`, { cause: err });
  }
  const v = value as { schema?: unknown; plans?: unknown };
  if (v?.schema !== 1 || typeof v.plans !== 'object' || v.plans === null) {
    throw new QuantumTraderError('DATA_INVALID', `exit-brain plan memos (journal key '${ACTIVE_PLANS_KEY}') have an unknown format (schema ${String(v?.schema)}, expected 1)`);
  }
  return new Map(Object.entries(v.plans as Record<string, PlanMemo>) as [PlanId, PlanMemo][]);
}
