import type { Observable } from 'rxjs';
import type { Candle, Timeframe } from '../model/candle.js';
import type { SymbolId, UnixMillis } from '../model/ids.js';

/** A closed candle of one symbol, as the market data stream delivers it. */
export interface CandleEvent {
  readonly symbol: SymbolId;
  readonly timeframe: Timeframe;
  readonly candle: Candle;
}

/**
 * The MarketData port. Implemented by a candle replay (paper and backtest, on virtual time) and by ccxt
 * (REST polling or WebSockets). Engines never ask what is behind it.
 *
 * @example
 * ```ts
 * market.candles$.subscribe(({ symbol, candle }) => exchange.onCandle(symbol, candle));
 * const closes = market.history(symbolId('BTC/USDT:USDT'), 288);
 * ```
 */
export interface MarketData {
  /** Closed candles of every subscribed symbol, in time order, each emitted at its close time. */
  readonly candles$: Observable<CandleEvent>;
  /** The timeframe of {@link candles$}. */
  readonly timeframe: Timeframe;
  /** The symbols this source serves. */
  readonly symbols: readonly SymbolId[];
  /**
   * Up to `count` most recent closed candles of `symbol` as of `asOf` (oldest first). Never returns a candle
   * that had not closed by `asOf`: that is what keeps look-ahead out.
   */
  history(symbol: SymbolId, count: number, asOf: UnixMillis): readonly Candle[];
}
