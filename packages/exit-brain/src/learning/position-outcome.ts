import type { PositionId, PositionSide, SymbolId, UnixMillis } from '@quantum-trader/core';
import type { VolatilityRegime } from '../levels/regime-take-profits.js';

/**
 * How one leg of an exit plan ended a slice of the position: `tp1` … `tpN`, `stop_loss` (the initial stop),
 * `breakeven_stop`, `trailing_stop`, `time_stop`, or `stop_fallback` (a market close after the venue refused a stop).
 *
 * @example
 * ```ts
 * const reasons: ExitReason[] = ['tp1', 'tp2', 'breakeven_stop'];
 * ```
 */
export type ExitReason = string;

/**
 * The learning record of one closed position: its entry context (symbol, side, volatility regime, leverage,
 * profile, the levels used) and its outcome (exit reasons in fill order, realised PnL and R, maximum favourable
 * and adverse excursion while it was open). The Exit Brain emits one per closed position on `outcomes$` and feeds
 * it to the learner.
 *
 * - `riskAmount = qty × entryPrice × stopLossPct`: what the position stood to lose at its initial stop.
 * - `realizedR = realizedPnl / riskAmount` (net of fees): +1.5 means the trade made 1.5 times its initial risk.
 * - `mfePct` / `maePct`: the best and worst price reached while the plan could act (candle highs and lows from
 *   the first candle after the one the position opened in, and every exit fill), as a fraction of the entry; ≥ 0.
 * - `mfeBeforeAdverse[j]`: the MFE reached before the MAE first reached `ADVERSE_LEVELS[j] × baseStopLossPct`
 *   (the adverse extreme of a candle is taken to come first), or the final MFE if it never did — the path order
 *   the learner needs to judge other stop distances.
 *
 * @example
 * ```ts
 * brain.outcomes$.subscribe((o: PositionOutcome) => console.log(o.symbol, o.exitReasons.join('→'), o.realizedR.toFixed(2)));
 * ```
 */
export interface PositionOutcome {
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly profile: string;
  readonly regime: VolatilityRegime;
  readonly volatility: number;
  readonly leverage: number;
  readonly qty: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly openedAt: UnixMillis;
  readonly closedAt: UnixMillis;
  /** Take-profit distances before the learned multiplier. */
  readonly baseTakeProfitPcts: readonly number[];
  /** Stop distance before the learned multiplier and the caps. */
  readonly baseStopLossPct: number;
  /** Distances actually used. */
  readonly takeProfitPcts: readonly number[];
  readonly stopLossPct: number;
  /** Why each slice left, in fill order (a leg filled in parts is listed once). */
  readonly exitReasons: readonly ExitReason[];
  /** What closed the position: the portfolio's `exitReason` (`tp3`, `stop_loss`, `time-stop`, `liquidation`, …). */
  readonly exitReason: string;
  readonly realizedPnl: number;
  readonly fees: number;
  readonly riskAmount: number;
  readonly realizedR: number;
  readonly mfePct: number;
  readonly maePct: number;
  readonly mfeBeforeAdverse: readonly number[];
  /** Market time from the open until the MAE first reached each of `ADVERSE_LEVELS` × the base stop (`null`: never). */
  readonly adverseTimesMs: readonly (number | null)[];
  /** Market time from the open until the MFE first reached `(k + 1) × FAVOURABLE_STEP` × the base stop, k = 0, 1, … */
  readonly favourableTimesMs: readonly number[];
  /** Share of the position each take-profit leg closed when filled (legs merged for size are combined). */
  readonly takeProfitFractions: readonly number[];
  /** Return of the last exit fill, as a fraction of the entry (positive = in the position's favour). */
  readonly lastExitPct: number;
  /** How far beyond its stop level the last stop fill was (a gap or slippage), as a fraction of the entry; 0 otherwise. */
  readonly stopSlippagePct: number;
  /** Learner version whose adjustment the plan used (0: none). */
  readonly learnerVersion: number;
}
