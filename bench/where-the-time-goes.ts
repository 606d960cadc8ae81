// Where the engine's time goes in backtest_vs_handloop: the same run with parts of the work taken away, so that the
// difference is what that part costs (its own code, its allocations and the garbage collection they cause).
//   npx tsx bench/where-the-time-goes.ts [candles]
// (tsx wraps every closure, so every figure is somewhat higher than `pnpm bench` reports; compare them with each
// other.) Not part of `pnpm bench`: the variants do not trade as the engine does, nothing is asserted.
import { runEngine } from './lib/engine-run.js';
import { ENGINE_VARIANTS as variants, variantJournal } from './lib/engine-variants.js';
import { minuteCandles } from './lib/minute-candles.js';

const N = Number(process.argv[2] ?? 1_000_000);
const cols = minuteCandles(N);
const best = new Map<string, { ms: number; events: number }>();
for (let round = 0; round < 6; round++) {
  for (const v of variants) {
    const discarding = variantJournal(v.journal);
    const r = runEngine(cols, v.cfg, false, false, true, discarding);
    const events = discarding?.count ?? r.events;
    if (round === 0) continue; // JIT warm-up
    const prev = best.get(v.label);
    if (prev === undefined || r.ms < prev.ms) best.set(v.label, { ms: r.ms, events });
  }
}
const rows = variants.map((v) => {
  const b = best.get(v.label)!;
  return `${v.label.padEnd(40)} ${b.ms.toFixed(0).padStart(6)} ms  ${b.events.toLocaleString('en-US').padStart(8)} events`;
});
process.stdout.write(`${N.toLocaleString('en-US')} one-minute candles, best of 5 runs each (after one warm-up round)\n${rows.join('\n')}\n`);
