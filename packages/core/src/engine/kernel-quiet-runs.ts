import type { Subscription } from 'rxjs';
import type { RealizedVolatility } from '../indicators/realized-volatility.js';
import { candleAt, type Candle, type CandleColumns } from '../model/candle.js';
import type { SymbolId, UnixMillis } from '../model/ids.js';
import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import type { ExitManager } from '../ports/exit-manager.js';
import type { MaybePromise } from '../ports/maybe-promise.js';
import type { CandleEvent, CandleRunConsumer } from '../ports/market-data.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { Strategy } from '../strategy/strategy.js';
import { RunCloses, type AbsorbedRun } from '../market-data/replay/run-closes.js';
import { passTimers, type KernelTimer } from './kernel-timer.js';

/** What {@link kernelRunConsumer} needs from the kernel (internal). */
export interface QuietRunHost {
  readonly strategies: readonly Strategy[];
  readonly exits: ExitManager | undefined;
  readonly symbols: readonly SymbolId[];
  readonly timeframeMs: number;
  readonly lastCandles: (Candle | undefined)[];
  readonly lastEvaluated: Float64Array;
  readonly vols: readonly RealizedVolatility[];
  readonly portfolio: Portfolio;
  readonly cycle: KernelTimer;
  readonly sync: KernelTimer;
  /** The per-candle path. */
  next(event: CandleEvent): void;
  indexOf(symbol: SymbolId): number;
  /** Nothing in flight: running, every serial runner idle, no event waiting, the intent queue empty, no scorer. */
  settled(): boolean;
  hasExposure(symbol: SymbolId): boolean;
  /** True when a portfolio sync can run inside `skipped` (the journal answers synchronously). */
  syncInRun(): boolean;
  cyclePassed(lastTick: UnixMillis): void;
  /** The portfolio sync of `tick`, run late (inside `skipped`), with the portfolio marked as it was at `tick`. */
  syncAt(tick: UnixMillis): MaybePromise<void>;
}

/**
 * The kernel as a consumer of quiet runs ({@link CandleRunConsumer}). Quiet for a symbol when nothing is in
 * flight, the exit manager is quiet over the candles, and — unless the symbol has a position or an entry in
 * flight (the cycle does not evaluate it then) — every strategy says it would not signal on any of them. The
 * 60 s cycle is then a no-op on every tick of the run: its ticks are passed, with the bookkeeping they would have
 * done (which candle the cycle saw last). The portfolio sync depends only on the marks: its ticks inside the run are
 * run afterwards, in order, each with the portfolio marked at the closes of its time, so they sample and journal
 * exactly the snapshots they would have (only with a journal that answers synchronously; otherwise a sync tick
 * ends the run).
 *
 * @internal
 */
export function kernelRunConsumer(host: QuietRunHost): CandleRunConsumer {
  /** Per symbol: the run absorbed since the last `skipped`, to know which candle the last passed tick saw. */
  const runs: ({ cols: CandleColumns; from: number; to: number; before: Candle | undefined } | undefined)[] = host.symbols.map(() => undefined);
  const cycleOnly = [host.cycle.action];
  const cycleAndSync = [host.cycle.action, host.sync.action];
  const nStrategies = host.strategies.length;
  const nSymbols = host.symbols.length;

  const quietUntil = (symbol: SymbolId, cols: CandleColumns, from: number, to: number, scanFrom = from): number => {
    if (!host.settled()) return from;
    const k = host.indexOf(symbol);
    if (k < 0) return from;
    let q = to;
    const exits = host.exits;
    if (exits?.onCandle !== undefined) {
      if (exits.quietUntil === undefined || exits.absorb === undefined) return from;
      q = exits.quietUntil(symbol, cols, from, q, scanFrom);
    }
    // A candle — of any symbol — that the cycle has not evaluated yet would be evaluated by a tick the run passes.
    if (pendingEvaluation()) return from;
    const exposed = host.hasExposure(symbol);
    for (let si = 0; si < nStrategies && q > from; si++) {
      const s = host.strategies[si]!;
      if (s.absorb === undefined || s.quietUntil === undefined) return from;
      if (!exposed) q = s.quietUntil(symbol, cols, from, q, scanFrom);
    }
    return q;
  };

  const pendingEvaluation = (): boolean => {
    for (let k = 0; k < nSymbols; k++) {
      const last = host.lastCandles[k];
      if (last === undefined) continue;
      for (let si = 0; si < nStrategies; si++) {
        if (host.lastEvaluated[si * nSymbols + k] !== last.ts && !host.hasExposure(host.symbols[k]!)) return true;
      }
    }
    return false;
  };

  const absorb = (symbol: SymbolId, cols: CandleColumns, from: number, to: number): void => {
    const k = host.indexOf(symbol);
    host.vols[k]!.updateMany(cols.close, from, to);
    host.portfolio.mark(symbol, cols.close[to - 1]!);
    for (let si = 0; si < nStrategies; si++) host.strategies[si]!.absorb!(symbol, cols, from, to);
    host.exits?.absorb?.(symbol, cols, from, to);
    const prev = runs[k];
    runs[k] = prev === undefined ? { cols, from, to, before: host.lastCandles[k] } : { cols, from: prev.from, to, before: prev.before };
    host.lastCandles[k] = candleAt(cols, to - 1);
  };

  const absorbedRuns = (): AbsorbedRun[] => {
    const out: AbsorbedRun[] = [];
    runs.forEach((r, k) => {
      if (r !== undefined) out.push({ symbol: host.symbols[k]!, candles: r.cols, from: r.from, to: r.to });
    });
    return out;
  };

  const quietTimers = (): Subscription[] => (host.syncInRun() ? cycleAndSync : cycleOnly);

  const skipped = (until: UnixMillis): void => {
    const tf = host.timeframeMs;
    const sync = host.sync;
    const syncs = sync.due <= until && host.syncInRun();
    if (syncs) {
      const firstTick = sync.due;
      const last = sync.lastTickBy(until)!;
      // Only an open position's value moves with the marks; flat, the portfolio is the same at every tick.
      const walk = host.portfolio.openPositionCount > 0 ? new RunCloses(absorbedRuns(), tf) : undefined;
      const mark = (symbol: SymbolId, close: number): void => host.portfolio.mark(symbol, close);
      walk?.before(mark); // the kernel marked the runs' last closes already
      for (let t = firstTick; t <= last; t += sync.periodMs) {
        walk?.passUntil(t, mark);
        if (host.syncAt(t) instanceof Promise) {
          throw new QuantumTraderError('INVARIANT_VIOLATED', 'a portfolio sync inside a quiet run returned a promise: the journal must answer synchronously there');
        }
      }
      walk?.passUntil(until, mark);
    }
    const lastTick = host.cycle.lastTickBy(until);
    passTimers(syncs ? [host.cycle, sync] : [host.cycle], until);
    if (lastTick !== undefined) {
      host.cyclePassed(lastTick);
      // Each passed tick marked the candle it saw as evaluated; the last one saw, per symbol, the latest candle
      // closed by then.
      for (let k = 0; k < nSymbols; k++) {
        const run = runs[k];
        let ts: number | undefined;
        if (run === undefined) {
          ts = host.lastCandles[k]?.ts; // no candle of this symbol in the run: the tick saw its last one
        } else {
          let j = run.to - 1;
          while (j >= run.from && run.cols.ts[j]! + tf > lastTick) j--;
          ts = j >= run.from ? run.cols.ts[j]! : run.before?.ts;
        }
        if (ts === undefined) continue;
        for (let si = 0; si < nStrategies; si++) host.lastEvaluated[si * nSymbols + k] = ts;
      }
    }
    runs.fill(undefined);
  };

  return { next: (e) => host.next(e), quietUntil, absorb, quietTimers, skipped };
}
