import type { PlanId, PositionId } from '@quantum-trader/core';

/**
 * The id of the exit plan of a position: `plan-<positionId>`. One position has at most one plan, so the id is
 * deterministic and a re-delivered `PositionOpened` maps to the same plan (and the same leg client order ids).
 *
 * @example
 * ```ts
 * planIdOf('pos-qt-1a2b3c4d5e6f7a8bx' as PositionId); // 'plan-pos-qt-1a2b3c4d5e6f7a8bx'
 * ```
 */
export function planIdOf(positionId: PositionId): PlanId {
  return `plan-${positionId}` as PlanId;
}
