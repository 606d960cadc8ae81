// The engine of backtest_vs_handloop run again and again in one process, one line per run: wall time, the garbage
// collector's pauses in it (PerformanceObserver 'gc' entries), major collections, page faults, CPU time and the heap.
// For looking at why the same work takes different times; not part of `pnpm bench`, nothing is asserted.
//   npx tsx bench/run-to-run.ts [runs] [--yield]
// --yield lets the event loop turn once between runs (V8's foreground tasks run then); without it, runs follow each
// other synchronously, as they do in backtest_vs_handloop. The journal is the engine's MemoryJournal; reading it
// back after each run (what runEngine does to collect the trades) is skipped, so a profiler of this process
// (perf record -D … node --perf-basic-prof) sees the runs alone.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { MemoryJournal, type JournaledEvent } from '@quantum-trader/core';
import { BENCH_CONFIG, runEngine } from './lib/engine-run.js';
import { minuteCandles } from './lib/minute-candles.js';

/** The engine's journal, whose `events()` answers nothing: the run is measured without the bench's read-back. */
class UnreadJournal extends MemoryJournal {
  override events(): readonly JournaledEvent[] {
    return [];
  }
}

const runs = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 16);
const yieldBetween = process.argv.includes('--yield');
const cols = minuteCandles(1_000_000);

let gcMs = 0;
let majors = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
  }
}).observe({ entryTypes: ['gc'] });

const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const before = process.resourceUsage();
  gcMs = 0;
  majors = 0;
  const run = runEngine(cols, BENCH_CONFIG, false, false, true, new UnreadJournal());
  const after = process.resourceUsage();
  // the observer reports a run's collections once the event loop turns
  await new Promise((resolve) => setImmediate(resolve));
  if (yieldBetween) await new Promise((resolve) => setTimeout(resolve, 0));
  times.push(run.ms);
  process.stdout.write(
    `run ${String(i + 1).padStart(2)}  ${run.ms.toFixed(0).padStart(4)} ms  gc ${gcMs.toFixed(0).padStart(3)} ms (${majors} major)  ` +
      `page faults ${String(after.minorPageFault - before.minorPageFault).padStart(5)}  ` +
      `cpu ${((after.userCPUTime - before.userCPUTime + after.systemCPUTime - before.systemCPUTime) / 1000).toFixed(0).padStart(4)} ms  ` +
      `heap ${(process.memoryUsage().heapTotal / 1e6).toFixed(0)} MB\n`,
  );
}
const steady = times.slice(2).sort((a, b) => a - b);
process.stdout.write(
  `after the first two: best ${steady[0]!.toFixed(0)} ms, median ${steady[Math.floor(steady.length / 2)]!.toFixed(0)} ms, worst ${steady.at(-1)!.toFixed(0)} ms${yieldBetween ? ' (an event-loop turn between runs)' : ''}\n`,
);
