import {
  clientOrderIdOf,
  type ExitLeg,
  type Instrument,
  type PlanId,
  type PositionId,
  type PositionSide,
  type SymbolId,
} from '@quantum-trader/core';
import { regimeTakeProfits } from '../levels/regime-take-profits.js';
import {
  lotUnits,
  priceAwayFromEntry,
  qtyOfUnits,
  stopLossDirection,
  takeProfitDirection,
} from './leg-rounding.js';
import {
  assertFractions,
  assertNonNegative,
  assertPositive,
  assertStopLossPct,
  assertTakeProfitPcts,
  outOfRange,
} from './ladder-validation.js';
import { planIdOf } from './plan-id-of.js';

/**
 * Name of the default exit profile recorded on every plan {@link standardLadder} builds.
 *
 * @example
 * ```ts
 * standardLadder(input).profile === STANDARD_LADDER; // true
 * ```
 */
export const STANDARD_LADDER = 'STANDARD_LADDER';

/**
 * Share of the position closed at TP1, TP2 and TP3 by default: 30 %, 30 %, 40 %.
 *
 * @example
 * ```ts
 * new ExitBrain(ctx, { ladder: STANDARD_LADDER_FRACTIONS }); // the default, spelled out
 * ```
 */
export const STANDARD_LADDER_FRACTIONS: readonly [number, number, number] = Object.freeze([0.3, 0.3, 0.4] as const);

/**
 * Default stop-loss distance: 2 % against the position.
 *
 * @example
 * ```ts
 * standardLadder({ ...input, profile: { stopLossPct: DEFAULT_STOP_LOSS_PCT } });
 * ```
 */
export const DEFAULT_STOP_LOSS_PCT = 0.02;

/**
 * Overrides of the standard ladder's parameters. Everything is optional; what is left out keeps its default.
 *
 * @example
 * ```ts
 * const wider: LadderOverrides = { stopLossPct: 0.03, fractions: [0.5, 0.5], takeProfitPcts: [0.02, 0.04] };
 * ```
 */
export interface LadderOverrides {
  /** Profile name recorded on the plan (default {@link STANDARD_LADDER}). */
  readonly name?: string;
  /** Share of the position closed at each take profit, in order; each > 0, summing to 1 (default 30/30/40 %). */
  readonly fractions?: readonly number[];
  /** Stop-loss distance from the entry as a fraction, 0 < x < 1 (default 0.02). */
  readonly stopLossPct?: number;
  /**
   * Take-profit distances from the entry, one per fraction, each 0 < x < 1. Default: {@link regimeTakeProfits} of
   * the input's volatility (which has three levels, so a ladder of another length must pass these).
   */
  readonly takeProfitPcts?: readonly number[];
}

/**
 * What {@link standardLadder} needs to know about a new position.
 *
 * @example
 * ```ts
 * const input: StandardLadderInput = {
 *   positionId: 'pos-qt-0123456789abcdefx' as PositionId, symbol: btc.symbol, side: 'long',
 *   qty: 0.01, entryPrice: 50_000, volatility: 0.01, instrument: btc,
 * };
 * ```
 */
export interface StandardLadderInput {
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  /** Position size in base units; a multiple of the instrument's lot step. */
  readonly qty: number;
  readonly entryPrice: number;
  /** 24 h realized volatility as a fraction; `NaN`/`undefined` selects the low regime. */
  readonly volatility: number | undefined;
  readonly instrument: Instrument;
  readonly profile?: LadderOverrides;
}

/**
 * An exit plan: take-profit legs (reduce-only limits) closing the position in slices, and one stop-loss leg
 * (reduce-only stop market) covering the whole position.
 *
 * @example
 * ```ts
 * const plan: ExitPlan = standardLadder(input);
 * const tps = plan.legs.filter((l) => l.kind === 'take_profit');
 * ```
 */
export interface ExitPlan {
  readonly planId: PlanId;
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly profile: string;
  /** The position size the plan was built for. */
  readonly qty: number;
  readonly entryPrice: number;
  /** The volatility used; `0` when it could not be measured (which selects the low regime, like any value < 2 %). */
  readonly volatility: number;
  /** The take-profit distances used, TP1 first. */
  readonly takeProfitPcts: readonly number[];
  readonly stopLossPct: number;
  /** Take-profit legs in order (`tp1` … `tpN`, fewer if small legs were merged), then the `sl` leg. */
  readonly legs: readonly ExitLeg[];
}

const WHERE = 'standardLadder';

interface DraftLeg {
  readonly leg: string;
  readonly price: number;
  units: number;
}

/**
 * Builds the STANDARD_LADDER exit plan of a position: close 30 % at TP1, 30 % at TP2, 40 % at TP3 (distances from
 * {@link regimeTakeProfits}), and a stop loss 2 % against the entry on all that remains. Shorts mirror longs.
 *
 * Rounding: prices go to the nearest tick, except that a take profit never rounds onto or past the entry (nor a
 * stop loss onto it) — it stays at least one tick on its own side. Quantities are floored to the lot step and the
 * remainder goes on the last take profit, so the take-profit legs always add up to exactly the position size.
 * A leg below the instrument's `minQty` or `minNotional` is merged into the next leg; if the last leg is still
 * too small it absorbs the one before it, until every leg is large enough or a single take-profit leg is left.
 * Client order ids are `clientOrderIdOf(planId, 'tp1' | 'tp2' | 'tp3' | 'sl')` with `planId = plan-<positionId>`.
 *
 * Throws `QuantumTraderError('PARAMETER_OUT_OF_RANGE')` for a bad input: qty not > 0 or not a lot-step multiple,
 * entry price not > 0, stopLossPct outside (0, 1), fractions not > 0 or not summing to 1, bad instrument steps.
 *
 * @example
 * ```ts
 * const plan = standardLadder({
 *   positionId: 'pos-qt-0123456789abcdefx' as PositionId, symbol: btc.symbol, side: 'long',
 *   qty: 0.01, entryPrice: 50_000, volatility: 0.01, instrument: btc, // tick 0.1, lot 0.001
 * });
 * // tp1 0.003 @ 50975, tp2 0.003 @ 51625, tp3 0.004 @ 52600, sl 0.01 @ 49000
 * ```
 */
export function standardLadder(input: StandardLadderInput): ExitPlan {
  const { instrument, side, entryPrice } = input;
  const overrides = input.profile ?? {};
  const fractions = overrides.fractions ?? STANDARD_LADDER_FRACTIONS;
  const stopLossPct = overrides.stopLossPct ?? DEFAULT_STOP_LOSS_PCT;

  if (side !== 'long' && side !== 'short') throw outOfRange(WHERE, 'side', side, "'long' or 'short'");
  assertPositive(WHERE, 'qty', input.qty);
  assertPositive(WHERE, 'entryPrice', entryPrice);
  assertPositive(WHERE, 'instrument.tickSize', instrument.tickSize);
  assertPositive(WHERE, 'instrument.lotStep', instrument.lotStep);
  assertNonNegative(WHERE, 'instrument.minQty', instrument.minQty);
  assertNonNegative(WHERE, 'instrument.minNotional', instrument.minNotional);
  assertStopLossPct(WHERE, stopLossPct);
  assertFractions(WHERE, 'fractions', fractions);
  const volatility = input.volatility !== undefined && Number.isFinite(input.volatility) ? input.volatility : 0;
  const takeProfitPcts = overrides.takeProfitPcts ?? regimeTakeProfits(volatility);
  assertTakeProfitPcts(WHERE, takeProfitPcts, fractions.length);

  const { tickSize: tick, lotStep } = instrument;
  const totalUnits = lotUnits(WHERE, 'qty', input.qty, lotStep);
  const qty = qtyOfUnits(totalUnits, lotStep);

  const drafts: DraftLeg[] = [];
  let allocated = 0;
  for (let i = 0; i < fractions.length; i++) {
    const price = priceAwayFromEntry(WHERE, entryPrice, takeProfitPcts[i]!, takeProfitDirection(side), tick);
    const last = i === fractions.length - 1;
    const units = last ? totalUnits - allocated : Math.floor(totalUnits * fractions[i]! + 1e-9);
    allocated += units;
    drafts.push({ leg: `tp${i + 1}`, price, units });
  }
  const tpLegs = mergeSmallLegs(drafts, instrument);

  const planId = planIdOf(input.positionId);
  const legs: ExitLeg[] = tpLegs.map((d) => ({
    leg: d.leg,
    kind: 'take_profit',
    clientOrderId: clientOrderIdOf(planId, d.leg),
    price: d.price,
    qty: qtyOfUnits(d.units, lotStep),
    fraction: d.units / totalUnits,
  }));
  legs.push({
    leg: 'sl',
    kind: 'stop_loss',
    clientOrderId: clientOrderIdOf(planId, 'sl'),
    price: priceAwayFromEntry(WHERE, entryPrice, stopLossPct, stopLossDirection(side), tick),
    qty,
    fraction: 1,
  });

  return {
    planId,
    positionId: input.positionId,
    symbol: input.symbol,
    side,
    profile: overrides.name ?? STANDARD_LADDER,
    qty,
    entryPrice,
    volatility,
    takeProfitPcts: [...takeProfitPcts],
    stopLossPct,
    legs,
  };
}

/**
 * Forward merge: a leg the venue would refuse joins the next one; the last one, if too small, takes the one before.
 * The drafts are the ladder's own (made for this call), so their units are moved in place.
 */
function mergeSmallLegs(drafts: DraftLeg[], instrument: Instrument): DraftLeg[] {
  const kept: DraftLeg[] = [];
  let carry = 0;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    d.units += carry;
    carry = 0;
    if (i < drafts.length - 1 && tooSmall(d, instrument)) carry = d.units;
    else kept.push(d);
  }
  while (kept.length > 1 && tooSmall(kept[kept.length - 1]!, instrument)) {
    const [previous] = kept.splice(kept.length - 2, 1);
    kept[kept.length - 1]!.units += previous!.units;
  }
  return kept;
}

/** True when the venue would refuse a leg of `d.units` lots at `d.price` (below `minQty` or `minNotional`). */
function tooSmall(d: DraftLeg, instrument: Instrument): boolean {
  if (d.units <= 0) return true;
  const q = d.units * instrument.lotStep;
  return q < instrument.minQty * (1 - 1e-9) || q * d.price < instrument.minNotional * (1 - 1e-9);
}
