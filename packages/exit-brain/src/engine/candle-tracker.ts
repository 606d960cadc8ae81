import { AverageTrueRange, TIMEFRAME_MS, type Candle, type SymbolId, type Timeframe } from '@quantum-trader/core';

// Internal (not re-exported): per-symbol ATR and candle timing for the Exit Brain.

interface SymbolTrack {
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
    let t = this.tracks.get(symbol);
    if (t === undefined) {
      t = { atr: new AverageTrueRange(this.period), lastTs: Number.NaN, stepMs: this.fixedStep ?? Number.POSITIVE_INFINITY };
      this.tracks.set(symbol, t);
    }
    if (this.fixedStep === undefined && candle.ts > t.lastTs) {
      const gap = candle.ts - t.lastTs;
      if (gap < t.stepMs) t.stepMs = gap;
    }
    if (!(candle.ts <= t.lastTs)) {
      t.lastTs = candle.ts;
      t.atr.update(candle.high, candle.low, candle.close);
    }
    return Number.isFinite(t.stepMs) ? candle.ts + t.stepMs : candle.ts;
  }

  /** ATR of the symbol in price units, `NaN` until `period + 1` candles were seen. */
  atr(symbol: SymbolId): number {
    return this.tracks.get(symbol)?.atr.value ?? Number.NaN;
  }
}
