import type { Observable, Subscription } from 'rxjs';
import type { Candle, CandleColumns, Timeframe } from '../model/candle.js';
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
  /**
   * Optional fast path of recorded data (the candle replay): subscribes a consumer that gets every candle through
   * `next`, like a {@link candles$} subscriber (in subscription order with the others), and that can also take a
   * **quiet run** of candles at once. A source without it is subscribed through {@link candles$}.
   */
  subscribeRuns?(consumer: CandleRunConsumer): Subscription;
}

/**
 * A candle consumer that can take a **quiet run** of recorded candles at once — the fast path of backtests.
 *
 * A run is a stretch of candles during which nothing observable happens: no order can fill, no exit leg or stop
 * moves, no strategy would signal, no timer of the consumer would do anything. When every consumer of a replay
 * says so (`quietUntil`), and no other scheduled action falls inside it, the replay hands the whole stretch over
 * with `absorb` — one call over the columns instead of one event per candle — and the consumers update their state
 * (indicators, marks, excursions) exactly as the candles one by one would have. The first candle that is not quiet
 * goes through `next` like any candle, on the same code path as paper and live trading; a consumer that cannot say
 * is never quiet, and then every candle goes through `next`.
 *
 * @example
 * ```ts
 * market.subscribeRuns?.({
 *   next: (e) => indicator.update(e.candle.close),
 *   quietUntil: (_symbol, _cols, _from, to) => to,          // this consumer never acts on a candle
 *   absorb: (_symbol, cols, from, to) => { for (let i = from; i < to; i++) indicator.update(cols.close[i]!); },
 * });
 * ```
 */
export interface CandleRunConsumer {
  /** One candle, exactly as a {@link MarketData.candles$} subscriber gets it. */
  next(event: CandleEvent): void;
  /**
   * The first index in `[from, to)` of a symbol's candle columns whose candle this consumer must get on its own
   * through `next` (it may act on it), or `to` when it can take all of them in bulk. Reads state, changes none.
   *
   * `scanFrom` (default `from`): the replay asks about windows that grow from the same `from` until someone is not
   * quiet; when it asks again, every consumer (in the same state) has found `[from, scanFrom)` quiet already, so a
   * consumer may look at `[scanFrom, to)` only. The answer must be the one a scan from `from` gives; a consumer
   * that ignores `scanFrom` is right, just slower.
   */
  quietUntil(symbol: SymbolId, candles: CandleColumns, from: number, to: number, scanFrom?: number): number;
  /** Takes candles `[from, to)` of a symbol in bulk, leaving the state `next` for each of them would leave. */
  absorb(symbol: SymbolId, candles: CandleColumns, from: number, to: number): void;
  /**
   * The consumer's timers whose ticks do nothing while it is quiet (the kernel's 60 s cycle when no strategy
   * would signal): a run may pass their due times, and {@link CandleRunConsumer.skipped} then accounts for them.
   */
  quietTimers?(): Iterable<Subscription>;
  /** After a run whose last candle closed at `until`: the ticks of {@link quietTimers} due up to `until` were passed. */
  skipped?(until: UnixMillis): void;
}
