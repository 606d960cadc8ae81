// The bundle entry of bench/journal-floor.ts: in one process, the engine of backtest_vs_handloop, the same engine with
// a journal that keeps the events and checks nothing, with one that keeps nothing, and that without portfolio
// snapshots, each run followed by a run of the hand loop; prints one JSON line with each variant's best run over the
// hand loop's best and the median of its pair ratios.
import { hand as timeHandLoop } from '../ab/entry.js';
import { BENCH_CONFIG, runEngine } from '../lib/engine-run.js';
import { variantJournal } from '../lib/engine-variants.js';
import { median } from '../lib/measure.js';
import { minuteCandles } from '../lib/minute-candles.js';

const ROUNDS = Number(process.argv[2] ?? 16);
const WARMUP = 3;
const cols = minuteCandles(1_000_000);
const NO_SNAPSHOTS = { ...BENCH_CONFIG, portfolioSyncMs: 365 * 86_400_000 };
const variants: Record<string, () => number> = {
  engine: () => runEngine(cols, BENCH_CONFIG).ms,
  keepOnly: () => runEngine(cols, BENCH_CONFIG, false, false, true, variantJournal('keep')).ms,
  noJournal: () => runEngine(cols, BENCH_CONFIG, false, false, true, variantJournal('discard')).ms,
  noJournalNoSnapshots: () => runEngine(cols, NO_SNAPSHOTS, false, false, true, variantJournal('discard')).ms,
};
const ms: Record<string, number[]> = {};
const handMs: Record<string, number[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, run] of Object.entries(variants)) {
    const t = run();
    const h = timeHandLoop(cols);
    if (r < WARMUP) continue;
    (ms[name] ??= []).push(t);
    (handMs[name] ??= []).push(h);
  }
}
const bestHand = Math.min(...Object.values(handMs).flat());
const r2 = (x: number) => Math.round(x * 100) / 100;
const out: Record<string, unknown> = { rounds: ROUNDS - WARMUP, handBestMs: r2(bestHand) };
for (const name of Object.keys(variants)) {
  const mine = ms[name]!;
  out[name] = {
    bestMs: r2(Math.min(...mine)),
    bestOverHandBest: r2(Math.min(...mine) / bestHand),
    pairRatioMedian: r2(median(mine.map((t, i) => t / handMs[name]![i]!))),
  };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
