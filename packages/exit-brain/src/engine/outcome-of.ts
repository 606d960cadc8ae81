import type { PositionClosed } from '@quantum-trader/core';
import type { PositionOutcome } from '../learning/position-outcome.js';
import type { PlanState } from './plan-state.js';

/** The learning record of a plan whose position just closed (internal; not re-exported). */
export function outcomeOf(plan: PlanState, e: PositionClosed): PositionOutcome {
  const c = plan.context;
  const riskAmount = e.qty * plan.entryPrice * c.stopLossPct;
  return {
    positionId: plan.positionId,
    symbol: plan.symbol,
    side: plan.side,
    profile: plan.profile.name,
    regime: c.regime,
    volatility: c.volatility,
    leverage: c.leverage,
    qty: e.qty,
    entryPrice: plan.entryPrice,
    exitPrice: e.exitPrice,
    openedAt: plan.openedAt,
    closedAt: e.ts,
    baseTakeProfitPcts: c.baseTakeProfitPcts,
    baseStopLossPct: c.baseStopLossPct,
    takeProfitPcts: c.takeProfitPcts,
    stopLossPct: c.stopLossPct,
    exitReasons: [...plan.exitReasons],
    exitReason: e.exitReason,
    realizedPnl: e.realizedPnl,
    fees: e.fees,
    riskAmount,
    realizedR: riskAmount > 0 ? e.realizedPnl / riskAmount : 0,
    mfePct: Number(plan.mfe.toFixed(10)),
    maePct: Number(plan.mae.toFixed(10)),
    learnerVersion: c.learnerVersion,
  };
}
