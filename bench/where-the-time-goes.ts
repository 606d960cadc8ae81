// Where the engine's time goes in backtest_vs_handloop: the same run with parts of the work taken away, so that the
// difference is what that part costs (its own code, its allocations and the garbage collection they cause).
//   npx tsx bench/where-the-time-goes.ts [candles]
// (tsx wraps every closure, so every figure is somewhat higher than `pnpm bench` reports; compare them with each
// other.) Not part of `pnpm bench`: the variants do not trade as the engine does, nothing is asserted.
import { MemoryJournal, type AppendResult, type DomainEvent } from '@quantum-trader/core';
import { BENCH_CONFIG, runEngine, type BenchConfig } from './lib/engine-run.js';
import { minuteCandles } from './lib/minute-candles.js';

/** A journal that keeps nothing: the kernel's path without the journal's cost. */
class DiscardingJournal extends MemoryJournal {
  count = 0;
  override append(events: readonly DomainEvent[]): AppendResult {
    this.count += events.length;
    return { appended: events.length, duplicates: 0 };
  }
}

const N = Number(process.argv[2] ?? 1_000_000);
const cols = minuteCandles(N);
const NO_SIGNALS: BenchConfig = { ...BENCH_CONFIG, longThreshold: 10, shortThreshold: -10 };
const NO_SNAPSHOTS: BenchConfig = { ...BENCH_CONFIG, portfolioSyncMs: 365 * 86_400_000 };

const variants: { name: string; cfg: BenchConfig; discard: boolean }[] = [
  { name: 'the engine as benchmarked', cfg: BENCH_CONFIG, discard: false },
  { name: 'no portfolio snapshots (yearly sync)', cfg: NO_SNAPSHOTS, discard: false },
  { name: 'a journal that keeps nothing', cfg: BENCH_CONFIG, discard: true },
  { name: 'neither', cfg: NO_SNAPSHOTS, discard: true },
  { name: 'no signals at all (the candles alone)', cfg: NO_SIGNALS, discard: false },
];
const best = new Map<string, { ms: number; events: number }>();
for (let round = 0; round < 6; round++) {
  for (const v of variants) {
    const discarding = v.discard ? new DiscardingJournal() : undefined;
    const r = runEngine(cols, v.cfg, false, false, true, discarding);
    const events = discarding?.count ?? r.events;
    if (round === 0) continue; // JIT warm-up
    const prev = best.get(v.name);
    if (prev === undefined || r.ms < prev.ms) best.set(v.name, { ms: r.ms, events });
  }
}
const rows = variants.map((v) => {
  const b = best.get(v.name)!;
  return `${v.name.padEnd(40)} ${b.ms.toFixed(0).padStart(6)} ms  ${b.events.toLocaleString('en-US').padStart(8)} events`;
});
process.stdout.write(`${N.toLocaleString('en-US')} one-minute candles, best of 5 runs each (after one warm-up round)\n${rows.join('\n')}\n`);
