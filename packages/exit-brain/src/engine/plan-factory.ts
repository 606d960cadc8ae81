import {
  roundToDecimals,
  type ExitLeg,
  type Instrument,
  type PlanId,
  type PositionId,
  type PositionOpened,
  type PositionSide,
  type SymbolId,
  type UnixMillis,
} from '@quantum-trader/core';
import { TpSlCalculator, type TpSlInput, type TpSlLevels } from '../levels/tp-sl-calculator.js';
import { volatilityRegime } from '../levels/regime-take-profits.js';
import { NO_ADJUSTMENT } from '../learning/learned-adjustment.js';
import { ADVERSE_LEVELS } from '../learning/adverse-levels.js';
import type { ExitLearner } from '../learning/exit-learner.js';
import type { ExitProfile } from '../plans/exit-profile.js';
import { standardLadder, type ExitPlan } from '../plans/standard-ladder.js';
import type { ExecutionMode, LegState, PlanContext, PlanState, StopKind } from './plan-state.js';
import { stopGeneration } from './stop-legs.js';

// Internal (not re-exported): from a new position (or a journal row after a restart) to the plan's state.

export interface PlanInputs {
  readonly calculator: TpSlCalculator;
  readonly learner: ExitLearner | undefined;
  readonly volatility: number;
}

/** The levels of a new position: calculator, learner (if the profile learns), then the profile's own hook. */
export function levelsFor(e: PositionOpened, instrument: Instrument, profile: ExitProfile, inputs: PlanInputs): TpSlLevels {
  const leverage = instrument.contractType === 'spot' ? 1 : e.leverage;
  const regime = volatilityRegime(inputs.volatility);
  const adjustment = profile.learn !== false && inputs.learner !== undefined ? inputs.learner.adjustment(e.symbol, regime) : NO_ADJUSTMENT;
  const input: { -readonly [K in keyof TpSlInput]: TpSlInput[K] } = {
    side: e.side,
    entryPrice: e.entryPrice,
    qty: e.qty,
    leverage,
    volatility: inputs.volatility,
    instrument,
    legs: profile.fractions.length,
    adjustment,
  };
  // the profile's overrides, only when it has them (no conditional spreads: no copies per position)
  if (profile.takeProfitPcts !== undefined) input.takeProfitPcts = profile.takeProfitPcts;
  if (profile.takeProfitScale !== undefined) input.takeProfitScale = profile.takeProfitScale;
  if (profile.stopLossPct !== undefined) input.stopLossPct = profile.stopLossPct;
  const levels = inputs.calculator.compute(input);
  if (profile.adjust === undefined) return levels;
  const hook = profile.adjust(levels, input);
  // The hook's distances go through the calculator again, so the risk caps still bind.
  const again = inputs.calculator.compute({
    ...input,
    takeProfitPcts: hook.takeProfitPcts ?? levels.takeProfitPcts,
    stopLossPct: hook.stopLossPct ?? levels.stopLossPct,
    adjustment: NO_ADJUSTMENT,
  });
  return { ...again, baseTakeProfitPcts: levels.baseTakeProfitPcts, baseStopLossPct: levels.baseStopLossPct, adjustment: levels.adjustment };
}

/** The ladder of a new position at the computed levels. */
export function ladderFor(e: PositionOpened, instrument: Instrument, profile: ExitProfile, levels: TpSlLevels): ExitPlan {
  return standardLadder({
    positionId: e.positionId,
    symbol: e.symbol,
    side: e.side,
    qty: e.qty,
    entryPrice: e.entryPrice,
    volatility: levels.volatility,
    instrument,
    profile: {
      name: profile.name,
      fractions: profile.fractions,
      takeProfitPcts: levels.takeProfitPcts,
      stopLossPct: levels.stopLossPct,
    },
  });
}

export function contextOf(levels: TpSlLevels, leverage: number, legs: readonly ExitLeg[]): PlanContext {
  return {
    takeProfitFractions: fractionsByLevel(legs, levels.baseTakeProfitPcts.length),
    leverage,
    regime: levels.regime,
    volatility: levels.volatility,
    baseTakeProfitPcts: levels.baseTakeProfitPcts,
    baseStopLossPct: levels.baseStopLossPct,
    takeProfitPcts: levels.takeProfitPcts,
    stopLossPct: levels.stopLossPct,
    learnerVersion: levels.adjustment.samples > 0 ? levels.adjustment.version : 0,
  };
}

export interface NewPlan {
  readonly planId: PlanId;
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly entryPrice: number;
  readonly openedAt: UnixMillis;
  readonly armedAt: UnixMillis;
  readonly qty: number;
  readonly profile: ExitProfile;
  readonly mode: ExecutionMode;
  readonly instrument: Instrument;
  readonly context: PlanContext;
  readonly stopPrice: number;
  readonly stopKind?: StopKind;
}

export function newPlanState(p: NewPlan): PlanState {
  return {
    planId: p.planId,
    positionId: p.positionId,
    symbol: p.symbol,
    side: p.side,
    exitSide: p.side === 'long' ? 'sell' : 'buy',
    entryPrice: p.entryPrice,
    openedAt: p.openedAt,
    armedAt: p.armedAt,
    profile: p.profile,
    mode: p.mode,
    tick: p.instrument.tickSize,
    lotStep: p.instrument.lotStep,
    context: p.context,
    qty: p.qty,
    legs: [],
    takeProfits: [],
    stop: undefined,
    stopGeneration: 0,
    stopPrice: p.stopPrice,
    stopKind: p.stopKind ?? 'initial',
    tpFilled: 0,
    lastTakeProfitPrice: Number.NaN,
    trailing: false,
    extreme: Number.NaN,
    closing: false,
    reprotects: 0,
    mfe: 0,
    mae: 0,
    mfeBefore: ADVERSE_LEVELS.map(() => Number.NaN),
    adverseAt: ADVERSE_LEVELS.map(() => Number.NaN),
    favourableAt: [],
    lastExitPrice: Number.NaN,
    exitReasons: [],
  };
}

export function legStateOf(leg: ExitLeg, kind: StopKind): LegState {
  return {
    leg: leg.leg,
    clientOrderId: leg.clientOrderId,
    role: leg.kind === 'take_profit' ? 'take_profit' : 'stop',
    price: leg.price,
    qty: leg.qty,
    kind,
    sent: false,
    working: false,
    armed: false,
    filledQty: 0,
    cancelRequested: false,
  };
}

/** Without a memo, a re-armed plan's distances are read back from its legs (no learning record of the base). */
export function contextFromLegs(entryPrice: number, volatility: number, legs: readonly ExitLeg[], leverage: number): PlanContext {
  const tps = legs.filter((l) => l.kind === 'take_profit').map((l) => roundToDecimals(Math.abs(l.price - entryPrice) / entryPrice, 10));
  const sl = legs.find((l) => l.kind === 'stop_loss' && stopGeneration(l.leg) === 1) ?? legs.find((l) => l.kind === 'stop_loss');
  const stopLossPct = sl === undefined ? 0.02 : roundToDecimals(Math.abs(sl.price - entryPrice) / entryPrice, 10);
  return {
    takeProfitFractions: fractionsByLevel(legs, tps.length),
    leverage,
    regime: volatilityRegime(volatility),
    volatility,
    baseTakeProfitPcts: tps,
    baseStopLossPct: stopLossPct,
    takeProfitPcts: tps,
    stopLossPct,
    learnerVersion: 0,
  };
}

/** The planned share of each take-profit level `tp1` … `tpN` (0 for a level whose leg was merged away). */
function fractionsByLevel(legs: readonly ExitLeg[], levels: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < levels; i++) out.push(0);
  for (const l of legs) {
    const i = takeProfitLevel(l.leg) - 1;
    if (l.kind === 'take_profit' && i >= 0 && i < levels) out[i] = roundToDecimals(l.fraction, 10);
  }
  return out;
}

/** N for a leg named `tpN` (decimal digits only, as /^tp(\d+)$/ reads it), else 0; read without a regular expression. */
function takeProfitLevel(leg: string): number {
  const n = leg.length;
  if (n < 3 || n > 12 || leg.charCodeAt(0) !== 116 /* t */ || leg.charCodeAt(1) !== 112 /* p */) return 0;
  let level = 0;
  for (let i = 2; i < n; i++) {
    const c = leg.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return 0;
    level = level * 10 + c;
  }
  return level;
}
