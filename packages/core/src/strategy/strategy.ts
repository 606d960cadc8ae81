import type { Candle, CandleColumns } from '../model/candle.js';
import type { StrategyId, SymbolId, UnixMillis } from '../model/ids.js';
import type { PositionSide } from '../model/orders.js';

/** What a strategy wants to do about one symbol right now. */
export interface StrategyDecision {
  readonly direction: PositionSide;
  /** Strategy-specific strength (e.g. the momentum as a fraction). */
  readonly strength: number;
  /** A short sentence for logs and the journal. */
  readonly reason: string;
}

/**
 * The Strategy plugin interface. A strategy keeps its own streaming state (indicators) fed by `onCandle` with
 * every closed candle of every symbol, and is asked by the autonomous cycle (every 60 s of market time by default)
 * what it wants for symbols that have no open position. It never reads the clock or the network.
 *
 * @example
 * ```ts
 * const alwaysLong: Strategy = {
 *   id: strategyId('always-long'),
 *   warmupCandles: 0,
 *   onCandle: () => {},
 *   evaluate: () => ({ direction: 'long', strength: 1, reason: 'always' }),
 * };
 * ```
 */
export interface Strategy {
  readonly id: StrategyId;
  /** How many past candles the strategy needs before it can decide (the runner feeds that much history first). */
  readonly warmupCandles: number;
  /** Feeds one closed candle of `symbol`. Called in time order. */
  onCandle(symbol: SymbolId, candle: Candle): void;
  /** The decision for `symbol` at `now`, or `undefined` for no signal. */
  evaluate(symbol: SymbolId, now: UnixMillis): StrategyDecision | undefined;
  /**
   * Optional fast path of replays (see {@link CandleRunConsumer}): the first index `j` in `[from, to)` such that
   * `evaluate` could return a decision once candles up to `j` have been fed, or `to` when it would return none for
   * any of them. Reads state, changes none. A strategy without it makes every candle go through `onCandle`.
   * `scanFrom`: `[from, scanFrom)` was found quiet already in the same state ({@link CandleRunConsumer.quietUntil}).
   */
  quietUntil?(symbol: SymbolId, candles: CandleColumns, from: number, to: number, scanFrom?: number): number;
  /** Feeds candles `[from, to)` in bulk: the same state as `onCandle` for each. Required with `quietUntil`. */
  absorb?(symbol: SymbolId, candles: CandleColumns, from: number, to: number): void;
}
