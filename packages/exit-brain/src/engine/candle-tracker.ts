import { AverageTrueRange, TIMEFRAME_MS, type Candle, type SymbolId, type Timeframe } from '@quantum-trader/core';

// Internal (not re-exported): per-symbol ATR and candle timing for the Exit Brain.

export interface SymbolTrack {
  readonly atr: AverageTrueRange;
  lastTs: number;
  /** Smallest gap seen between two candles: the timeframe when none was configured. */
  stepMs: number;
}

/**
 * Keeps, for every symbol, the ATR of its closed candles (Wilder, `period` candles) and the candle timeframe
 * (configured, or inferred from the smallest gap between consecutive candles), so a closed candle's close time
 * can be known without a clock. Allocates only on a symbol's first candle.
 */
export class CandleTracker {
  private readonly tracks = new Map<SymbolId, SymbolTrack>();
  private readonly fixedStep: number | undefined;
  private readonly period: number;

  constructor(period: number, timeframe: Timeframe | undefined) {
    this.period = period;
    this.fixedStep = timeframe === undefined ? undefined : TIMEFRAME_MS[timeframe];
  }

  /** Adds a closed candle; returns its close time (its open time while the timeframe is still unknown). */
  update(symbol: SymbolId, candle: Candle): number {
    return this.updateWith(this.track(symbol), candle.ts, candle.high, candle.low, candle.close);
  }

  /** {@link CandleTracker.update} for one candle given as numbers (a quiet run over columns). */
  updateWith(t: SymbolTrack, ts: number, high: number, low: number, close: number): number {
    if (this.fixedStep === undefined && ts > t.lastTs) {
      const gap = ts - t.lastTs;
      if (gap < t.stepMs) t.stepMs = gap;
    }
    if (!(ts <= t.lastTs)) {
      t.lastTs = ts;
      t.atr.update(high, low, close);
    }
    return Number.isFinite(t.stepMs) ? ts + t.stepMs : ts;
  }

  /** The symbol's track, created on its first candle. */
  track(symbol: SymbolId): SymbolTrack {
    let t = this.tracks.get(symbol);
    if (t === undefined) {
      t = { atr: new AverageTrueRange(this.period), lastTs: Number.NaN, stepMs: this.fixedStep ?? Number.POSITIVE_INFINITY };
      this.tracks.set(symbol, t);
    }
    return t;
  }

  /** The candle step known so far for `symbol` (configured or inferred), `Infinity` while unknown. */
  stepOf(symbol: SymbolId): number {
    return this.tracks.get(symbol)?.stepMs ?? this.fixedStep ?? Number.POSITIVE_INFINITY;
  }

  /** ATR of the symbol in price units, `NaN` until `period + 1` candles were seen. */
  atr(symbol: SymbolId): number {
    return this.tracks.get(symbol)?.atr.value ?? Number.NaN;
  }
}
