import type { CandleColumns } from '../../model/candle.js';
import type { SymbolId } from '../../model/ids.js';
import { upperBound } from './ascending-search.js';

/** The candles of one symbol a consumer took in a quiet run: `candles` columns `[from, to)`. */
export interface AbsorbedRun {
  readonly symbol: SymbolId;
  readonly candles: CandleColumns;
  readonly from: number;
  readonly to: number;
}

/**
 * Walks the candles of a quiet run ({@link CandleRunConsumer}) in close-time order, for a consumer that needs, after
 * the run, the marks at times inside it: the kernel's portfolio-sync ticks, a backtest's equity samples.
 *
 * @example
 * ```ts
 * const walk = new RunCloses(runs, 60_000);
 * walk.before((symbol, close) => portfolio.mark(symbol, close)); // the marks as the run began
 * for (let t = walk.next(); t < Infinity; t = walk.next()) {
 *   walk.passUntil(t, (symbol, close) => portfolio.mark(symbol, close));
 *   samples.push(portfolio.equity()); // the equity at t, as candle-by-candle delivery would have it
 * }
 * ```
 */
export class RunCloses {
  /** Per run: its next candle not passed yet. */
  private readonly at: Int32Array;

  constructor(
    private readonly runs: readonly AbsorbedRun[],
    private readonly timeframeMs: number,
  ) {
    this.at = new Int32Array(runs.length);
    for (let r = 0; r < runs.length; r++) this.at[r] = runs[r]!.from;
  }

  /** Visits each run's symbol with the close before the run (the last one delivered before it), where there is one. */
  before(visit: (symbol: SymbolId, close: number) => void): void {
    for (const r of this.runs) if (r.from > 0) visit(r.symbol, r.candles.close[r.from - 1]!);
  }

  /** Close time of the next candle not passed yet, `Infinity` when every candle is passed. */
  next(): number {
    let t = Number.POSITIVE_INFINITY;
    for (let r = 0; r < this.runs.length; r++) {
      const run = this.runs[r]!;
      const i = this.at[r]!;
      if (i < run.to) t = Math.min(t, run.candles.ts[i]! + this.timeframeMs);
    }
    return t;
  }

  /** Passes every candle closing at or before `t`; visits each run that moved once, with its latest close. */
  passUntil(t: number, visit: (symbol: SymbolId, close: number) => void): void {
    const tf = this.timeframeMs;
    for (let r = 0; r < this.runs.length; r++) {
      const run = this.runs[r]!;
      const start = this.at[r]!;
      const ts = run.candles.ts;
      if (start >= run.to || ts[start]! + tf > t) continue;
      // the first candle closing after t: a gallop from the last one passed (the time stamps ascend), then the
      // comparison itself at the edge, so that a time stamp t - tf rounds cannot move it
      let i = Math.min(run.to, upperBound(ts, t - tf, start));
      while (i > start + 1 && ts[i - 1]! + tf > t) i--;
      while (i < run.to && ts[i]! + tf <= t) i++;
      this.at[r] = i;
      visit(run.symbol, run.candles.close[i - 1]!);
    }
  }
}
