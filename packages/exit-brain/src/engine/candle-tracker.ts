import { AverageTrueRange, TIMEFRAME_MS, type Candle, type CandleColumns, type SymbolId, type Timeframe } from '@quantum-trader/core';

// Internal (not re-exported): per-symbol ATR and candle timing for the Exit Brain.

export interface SymbolTrack {
  readonly atr: AverageTrueRange;
  lastTs: number;
  /** Smallest gap seen between two candles: the timeframe when none was configured. */
  stepMs: number;
  /**
   * Candles taken but not yet added to the ATR: `[pendingFrom, pendingTo)` of `pendingCols` (see
   * {@link CandleTracker.defer}).
   */
  pendingCols: CandleColumns | undefined;
  pendingFrom: number;
  pendingTo: number;
}

/**
 * Keeps, for every symbol, the ATR of its closed candles (Wilder, `period` candles) and the candle timeframe
 * (configured, or inferred from the smallest gap between consecutive candles), so a closed candle's close time
 * can be known without a clock. Allocates only on a symbol's first candle.
 *
 * The ATR is read only by trailing stops, so candles given as columns (a replay's quiet runs) are added to it
 * lazily: the tracker remembers the stretch of columns it has not added yet, lengthens it while the candles that
 * follow are the next ones of the same columns (as a quiet run or a replayed candle is), and adds the whole stretch
 * in one loop when the ATR is read or a candle from elsewhere arrives. The ATR is then the one candle-by-candle
 * updates give, bit for bit; a backtest whose exit profiles never trail never computes it.
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
    const t = this.track(symbol);
    const ts = candle.ts;
    this.learnStep(t, ts);
    if (!(ts <= t.lastTs)) {
      t.lastTs = ts;
      const c = t.pendingCols;
      const j = t.pendingTo;
      // the next candle of the pending stretch (a replay delivering it on its own): the stretch grows by one
      if (c !== undefined && j < c.length && c.ts[j] === ts && c.high[j] === candle.high && c.low[j] === candle.low && c.close[j] === candle.close) {
        t.pendingTo = j + 1;
      } else {
        this.settle(t);
        t.atr.update(candle.high, candle.low, candle.close);
      }
    }
    return Number.isFinite(t.stepMs) ? ts + t.stepMs : ts;
  }

  /** {@link CandleTracker.update} for one candle given as numbers (a quiet run over columns). */
  updateWith(t: SymbolTrack, ts: number, high: number, low: number, close: number): number {
    this.learnStep(t, ts);
    if (!(ts <= t.lastTs)) {
      t.lastTs = ts;
      if (t.pendingCols !== undefined) this.settle(t);
      t.atr.update(high, low, close);
    }
    return Number.isFinite(t.stepMs) ? ts + t.stepMs : ts;
  }

  /**
   * Takes candles `[from, to)` of `cols` without adding them to the ATR yet, when that changes nothing else: the
   * step is known and stays (every gap at least the step) and every candle is newer than the one before. Then each
   * candle's close time is its time plus {@link SymbolTrack.stepMs}, and true is returned. Otherwise nothing is
   * taken and false is returned: the caller takes the candles one by one ({@link CandleTracker.updateWith}).
   */
  defer(t: SymbolTrack, cols: CandleColumns, from: number, to: number): boolean {
    if (!Number.isFinite(t.stepMs) || from >= to) return false;
    const ts = cols.ts;
    const step = t.stepMs;
    const inferred = this.fixedStep === undefined;
    let last = t.lastTs;
    for (let j = from; j < to; j++) {
      const x = ts[j]!;
      if (!(x > last) || (inferred && x - last < step)) return false;
      last = x;
    }
    t.lastTs = last;
    if (t.pendingCols === cols && t.pendingTo === from) {
      t.pendingTo = to;
    } else {
      this.settle(t);
      t.pendingCols = cols;
      t.pendingFrom = from;
      t.pendingTo = to;
    }
    return true;
  }

  /** The symbol's track, created on its first candle. */
  track(symbol: SymbolId): SymbolTrack {
    let t = this.tracks.get(symbol);
    if (t === undefined) {
      t = {
        atr: new AverageTrueRange(this.period),
        lastTs: Number.NaN,
        stepMs: this.fixedStep ?? Number.POSITIVE_INFINITY,
        pendingCols: undefined,
        pendingFrom: 0,
        pendingTo: 0,
      };
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
    const t = this.tracks.get(symbol);
    if (t === undefined) return Number.NaN;
    this.settle(t);
    return t.atr.value;
  }

  /** Without a configured timeframe, a gap smaller than any seen so far is the step. */
  private learnStep(t: SymbolTrack, ts: number): void {
    if (this.fixedStep === undefined && ts > t.lastTs) {
      const gap = ts - t.lastTs;
      if (gap < t.stepMs) t.stepMs = gap;
    }
  }

  /** Adds the pending stretch of candles to the ATR. */
  private settle(t: SymbolTrack): void {
    const c = t.pendingCols;
    if (c === undefined) return;
    t.pendingCols = undefined;
    t.atr.updateMany(c.high, c.low, c.close, t.pendingFrom, t.pendingTo);
  }
}
