import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import type { Candle } from '../../model/candle.js';
import type { SymbolId } from '../../model/ids.js';

/**
 * Finer candles that resolve the intrabar order of ambiguous candles: a 5-minute run refined with 1-minute
 * candles (`candleMs: 300_000, fineMs: 60_000`).
 *
 * @example
 * ```ts
 * const refinement: CandleRefinement = { candleMs: 300_000, fineMs: 60_000, candles: { 'BTC/USDT:USDT': btc1m } };
 * ```
 */
export interface CandleRefinement {
  /** Length of the candles the exchange is driven with (`onCandle`), in ms. */
  readonly candleMs: number;
  /** Length of the finer candles, in ms; must divide `candleMs`. */
  readonly fineMs: number;
  /** Finer candles per symbol, sorted by open time. Symbols left out are never refined. */
  readonly candles: Readonly<Record<string, readonly Candle[]>>;
}

/**
 * Looks up the finer candles covering one coarse candle. Only a complete set counts: every finer candle of the
 * coarse candle's time span must be present, otherwise the candle is matched on its own OHLC path.
 *
 * @internal
 */
export class CandleRefiner {
  private readonly per: number;
  private readonly series = new Map<SymbolId, readonly Candle[]>();
  private readonly cursor = new Map<SymbolId, number>();
  /** Scratch output, reused (the matcher reads it before the next call). */
  private readonly out: Candle[] = [];

  constructor(
    private readonly options: CandleRefinement,
    known: ReadonlySet<SymbolId>,
  ) {
    const { candleMs, fineMs } = options;
    if (!(Number.isInteger(candleMs) && Number.isInteger(fineMs) && fineMs > 0 && candleMs > fineMs && candleMs % fineMs === 0)) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `SimulatedExchange: refinement needs whole candleMs > fineMs > 0 with fineMs dividing candleMs, got candleMs=${candleMs} fineMs=${fineMs}`,
      );
    }
    this.per = candleMs / fineMs;
    for (const [symbol, list] of Object.entries(options.candles)) {
      const s = symbol as SymbolId;
      if (!known.has(s)) {
        throw new QuantumTraderError(
          'UNKNOWN_SYMBOL',
          `SimulatedExchange: refinement candles are given for ${symbol}, which is not among the instruments (${[...known].join(', ')})`,
        );
      }
      for (let i = 1; i < list.length; i++) {
        if (!(list[i]!.ts > list[i - 1]!.ts)) {
          throw new QuantumTraderError(
            'DATA_INVALID',
            `SimulatedExchange: refinement candles of ${symbol} must be sorted by time without duplicates: candle ${i} (ts ${list[i]!.ts}) does not come after candle ${i - 1} (ts ${list[i - 1]!.ts})`,
          );
        }
      }
      this.series.set(s, list);
      this.cursor.set(s, 0);
    }
  }

  /**
   * The finer candles of `[candle.ts, candle.ts + candleMs)`, or `undefined` when the symbol has none or some are
   * missing. The array is reused by the next call.
   */
  subCandles(symbol: SymbolId, candle: Candle): readonly Candle[] | undefined {
    const list = this.series.get(symbol);
    if (list === undefined) return undefined;
    const start = candle.ts;
    let i = this.cursor.get(symbol)!;
    // Candles arrive in time order, so the cursor only moves forward; fall back to a search after a jump back.
    if (i > 0 && list[i - 1] !== undefined && list[i - 1]!.ts >= start) i = lowerBound(list, start);
    while (i < list.length && list[i]!.ts < start) i++;
    this.cursor.set(symbol, i);
    const out = this.out;
    out.length = 0;
    const fine = this.options.fineMs;
    for (let k = 0; k < this.per; k++) {
      const c = list[i + k];
      if (c === undefined || c.ts !== start + k * fine) return undefined;
      out.push(c);
    }
    return out;
  }
}

function lowerBound(list: readonly Candle[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
