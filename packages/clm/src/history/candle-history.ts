import {
  QuantumTraderError,
  TIMEFRAME_MS,
  type Candle,
  type MarketData,
  type SymbolId,
  type Timeframe,
  type UnixMillis,
} from '@quantum-trader/core';

/**
 * Where the CLM reads market history from when it builds a dataset: every stored closed candle of a symbol up to
 * a time. Never returns a candle that had not closed by `asOf` — that is what keeps look-ahead out of labels.
 *
 * @example
 * ```ts
 * const history: CandleHistory = candleHistoryFromSeries([{ symbol: btc, candles }], '5m');
 * history.candles(btc, scheduler.now()).length;
 * ```
 */
export interface CandleHistory {
  readonly timeframe: Timeframe;
  readonly symbols: readonly SymbolId[];
  /** Closed candles of `symbol` with close time ≤ `asOf`, oldest first. */
  candles(symbol: SymbolId, asOf: UnixMillis): readonly Candle[];
}

/**
 * Candles of one symbol, oldest first.
 *
 * @example
 * ```ts
 * const s: CandleSeries = { symbol: symbolId('BTC/USDT:USDT'), candles: loadCandlesCsv('btc.csv') };
 * ```
 */
export interface CandleSeries {
  readonly symbol: SymbolId;
  readonly candles: readonly Candle[];
}

/**
 * A {@link CandleHistory} over candles held in memory (a backtest's or paper session's loaded files).
 *
 * @example
 * ```ts
 * const history = candleHistoryFromSeries([{ symbol: symbolId('BTC/USDT:USDT'), candles: loadCandlesCsv(path) }], '5m');
 * ```
 */
export function candleHistoryFromSeries(series: readonly CandleSeries[], timeframe: Timeframe): CandleHistory {
  const tf = TIMEFRAME_MS[timeframe];
  const bySymbol = new Map<SymbolId, readonly Candle[]>();
  for (const s of series) bySymbol.set(s.symbol, s.candles);
  return {
    timeframe,
    symbols: series.map((s) => s.symbol),
    candles(symbol: SymbolId, asOf: UnixMillis): readonly Candle[] {
      const all = bySymbol.get(symbol);
      if (all === undefined) {
        throw new QuantumTraderError('UNKNOWN_SYMBOL', `no candle history for ${symbol} (have: ${[...bySymbol.keys()].join(', ')})`);
      }
      // first candle whose close time is after asOf
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (all[mid]!.ts + tf <= asOf) lo = mid + 1;
        else hi = mid;
      }
      return lo === all.length ? all : all.slice(0, lo);
    },
  };
}

/**
 * A {@link CandleHistory} over the MarketData port's `history` (for live sessions whose adapter keeps history):
 * at most `maxCandles` per symbol.
 *
 * @example
 * ```ts
 * const history = candleHistoryFromMarket(market, 90 * 288); // up to 90 days of 5 m candles
 * ```
 */
export function candleHistoryFromMarket(market: MarketData, maxCandles: number): CandleHistory {
  return {
    timeframe: market.timeframe,
    symbols: market.symbols,
    candles: (symbol, asOf) => market.history(symbol, maxCandles, asOf),
  };
}
