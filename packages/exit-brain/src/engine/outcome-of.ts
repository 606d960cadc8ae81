import { roundToDecimals, type PositionClosed } from '@quantum-trader/core';
import type { PositionOutcome } from '../learning/position-outcome.js';
import { mfeBeforeAdverse, type PlanState } from './plan-state.js';

/** The learning record of a plan whose position just closed (internal; not re-exported). */
export function outcomeOf(plan: PlanState, e: PositionClosed): PositionOutcome {
  const c = plan.context;
  const riskAmount = e.qty * plan.entryPrice * c.stopLossPct;
  const dir = plan.side === 'long' ? 1 : -1;
  const lastExit = Number.isFinite(plan.lastExitPrice) ? ((plan.lastExitPrice - plan.entryPrice) / plan.entryPrice) * dir : 0;
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
    mfePct: roundToDecimals(plan.mfe, 10),
    maePct: roundToDecimals(plan.mae, 10),
    mfeBeforeAdverse: mfeBeforeAdverse(plan).map((m) => roundToDecimals(m, 10)),
    adverseTimesMs: plan.adverseAt.map((t) => (Number.isNaN(t) ? null : t)),
    favourableTimesMs: [...plan.favourableAt],
    takeProfitFractions: c.takeProfitFractions,
    lastExitPct: roundToDecimals(lastExit, 10),
    stopSlippagePct: roundToDecimals(stopSlippage(plan, lastExit), 10),
    learnerVersion: c.learnerVersion,
  };
}

/** Loss beyond the stop level of a plan its stop closed (gap or slippage), as a fraction of the entry. */
function stopSlippage(plan: PlanState, lastExit: number): number {
  const final = plan.exitReasons[plan.exitReasons.length - 1];
  if (final !== 'stop_loss' && final !== 'breakeven_stop' && final !== 'trailing_stop') return 0;
  const stopReturn = ((plan.stopPrice - plan.entryPrice) / plan.entryPrice) * (plan.side === 'long' ? 1 : -1);
  return Math.max(0, stopReturn - lastExit);
}
