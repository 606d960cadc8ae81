import type { Candle, CandleColumns } from '../model/candle.js';
import type { DomainEvent } from '../model/events.js';
import type { SymbolId, UnixMillis } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { ExitPlanRow, OrderRow } from './journal.js';
import type { MaybePromise } from './maybe-promise.js';
import type { OrderGateway } from './order-gateway.js';

/**
 * What the trading kernel hands to an exit manager (the Exit Brain or a user's own).
 */
export interface ExitManagerContext {
  /** Sends and cancels orders through the journal-first path. */
  readonly orders: OrderGateway;
  /** The instrument of a symbol (rules for rounding legs). */
  instrument(symbol: SymbolId): Instrument;
  /** Current volatility of a symbol as a fraction (e.g. 0.03 = 3 %), from the market data. */
  volatility(symbol: SymbolId, asOf: UnixMillis): number;
  /** Journals events the exit manager produces (`ExitPlanCreated`, `ExitPlanCompleted`) and publishes them. */
  record(events: readonly DomainEvent[]): MaybePromise<void>;
}

/**
 * The exit-manager plugin port: the kernel calls `onEvent` for every journalled event (in order, awaiting each);
 * the exit manager reacts to `PositionOpened` (create and place a plan), fills of its legs (resize the others)
 * and `PositionClosed` (cancel what is left).
 *
 * @example
 * ```ts
 * const kernel = createTradingKernel({ …, exits: (ctx) => new ExitBrain(ctx) });
 * ```
 */
export interface ExitManager {
  onEvent(event: DomainEvent): MaybePromise<void>;
  /**
   * After a restart: re-arm the active plans from the journal (and re-place legs missing at the venue). `orders`
   * are the journal's order rows, so replaced legs (a resized stop `sl-2`, …) are recognised.
   */
  rearm(plans: readonly ExitPlanRow[], now: UnixMillis, orders?: readonly OrderRow[]): MaybePromise<void>;
  /**
   * Optional: every closed candle of every symbol, after the venue has matched it (for exits emulated locally
   * from the price stream, trailing stops, excursion tracking).
   */
  onCandle?(symbol: SymbolId, candle: Candle): MaybePromise<void>;
  /**
   * Optional fast path of replays (see {@link CandleRunConsumer}): the first index in `[from, to)` whose candle
   * `onCandle` must see on its own because it may act on it (a local leg or time stop reached, a trailing stop that
   * may move), or `to`. An exit manager with `onCandle` but without this is never quiet.
   * `scanFrom`: `[from, scanFrom)` was found quiet already in the same state ({@link CandleRunConsumer.quietUntil}).
   */
  quietUntil?(symbol: SymbolId, candles: CandleColumns, from: number, to: number, scanFrom?: number): number;
  /** Takes quiet candles `[from, to)` in bulk (ATR, excursions): the state `onCandle` for each would leave. */
  absorb?(symbol: SymbolId, candles: CandleColumns, from: number, to: number): void;
  /** Plans currently active (for status pages). */
  activePlans(): number;
}
