import type { Instrument, SymbolId, Timeframe, UnixMillis } from '@quantum-trader/core';
import type { RiskBudget } from '../levels/tp-sl-calculator.js';
import type { ExitLearner } from '../learning/exit-learner.js';
import type { StateStore } from '../learning/state-store.js';
import type { ExitProfileRegistry } from '../plans/profile-registry.js';
import type { ExecutionMode } from './plan-state.js';
import type { ExitVenue } from './venue-check.js';

/**
 * Where the legs of a plan live: `venue` — take profits rest at the venue as reduce-only limit orders and the
 * stop as a reduce-only stop-market order; `local` — nothing rests at the venue, the Exit Brain watches the
 * closed candles and sends a reduce-only market order when a level is reached; `auto` (the default) — `venue` on
 * linear perpetuals, `local` on spot, where resting sell orders each lock the coins (the take profits would leave
 * nothing for the stop) and there is no reduce-only. Or a function choosing per instrument.
 *
 * @example
 * ```ts
 * const mode: ExitExecution = (instrument) => (instrument.symbol.startsWith('BNB') ? 'local' : 'venue');
 * ```
 */
export type ExitExecution = ExecutionMode | 'auto' | ((instrument: Instrument) => ExecutionMode);

/**
 * Options of {@link ExitBrain}; everything left out keeps its default (the STANDARD_LADDER with a 2 % stop,
 * legs resting at the venue, no learning).
 *
 * @example
 * ```ts
 * const learner = await ExitLearner.load(journal);
 * const options: ExitBrainOptions = {
 *   profile: 'BREAKEVEN_AFTER_TP1',
 *   riskBudget: { maxMarginLossPct: 0.1 },
 *   learner,
 *   store: journal,
 *   venue: exchange,
 *   timeframe: '5m',
 * };
 * ```
 */
export interface ExitBrainOptions {
  /** Stop distance of profiles that set none, 0 < x < 1 (default 0.02 = 2 %). */
  readonly stopLossPct?: number;
  /** Share of the position closed at TP1, TP2, TP3 by `STANDARD_LADDER` (default [0.3, 0.3, 0.4]); not with `profiles`. */
  readonly ladder?: readonly [number, number, number];
  /** Profiles to choose from (default: the built-in ones). */
  readonly profiles?: ExitProfileRegistry;
  /** Name of the profile for positions without a dynamic profile of their own (default: the registry's default). */
  readonly profile?: string;
  /** Caps on the loss at the stop (leverage, size, liquidation); see {@link RiskBudget}. */
  readonly riskBudget?: RiskBudget;
  /** `auto` (default: venue legs on perpetuals, local legs on spot), `venue`, `local`, or a choice per instrument. */
  readonly execution?: ExitExecution;
  /** Learns from closed positions and adjusts new plans (default: none, static ladders). */
  readonly learner?: ExitLearner;
  /**
   * `online` (default): every closed position is fed to the learner. `frozen`: the learner's adjustments are used
   * but nothing more is learned (e.g. a learner validated out of sample and then fixed).
   */
  readonly learning?: 'online' | 'frozen';
  /** Persists the learner and the active plans' excursions (the journal; default: nothing persisted). */
  readonly store?: StateStore;
  /** Checks re-armed legs against the venue's open orders after a restart (default: no check). */
  readonly venue?: ExitVenue;
  /**
   * Volatility measure (a fraction) of a symbol at a time. Default: the kernel's 24 h realized volatility — the
   * standard deviation of candle-to-candle returns over the last 24 h, scaled to one day.
   */
  readonly volatility?: (symbol: SymbolId, asOf: UnixMillis) => number;
  /** Timeframe of the candles fed to `onCandle` (default: inferred from the candles). */
  readonly timeframe?: Timeframe;
  /** ATR period of trailing stops, in candles (default 14). */
  readonly atrPeriod?: number;
}
