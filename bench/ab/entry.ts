// The bundle entry of bench/ab.ts: the benchmarked engine and the hand loop, as functions a comparison imports from
// two bundles (two states of the source) into one process.
import { BENCH_CONFIG, runEngine } from '../lib/engine-run.js';
import { BENCH_HAND_CONFIG } from '../lib/engine-variants.js';
import { handLoop } from '../lib/hand-loop.js';
import { median } from '../lib/measure.js';
import { minuteCandles } from '../lib/minute-candles.js';
import type { CandleColumns } from '@quantum-trader/core';

export { median, minuteCandles };

/** One engine run over `cols` on the bench configuration: wall-clock ms and the number of trades. */
export function engine(cols: CandleColumns): { readonly ms: number; readonly trades: number } {
  const r = runEngine(cols, BENCH_CONFIG);
  return { ms: r.ms, trades: r.closed.length };
}

/** One hand-loop run over `cols`: wall-clock ms. */
export function hand(cols: CandleColumns): number {
  const t0 = performance.now();
  handLoop(cols, BENCH_HAND_CONFIG);
  return performance.now() - t0;
}
