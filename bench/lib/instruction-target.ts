// What count-instructions.ts runs under valgrind: `node instruction-target.mjs <variant> <runs>` runs one engine
// variant (bench/lib/engine-variants.ts), or the hand loop (`handloop`), <runs> times over 1,000,000 one-minute
// candles and prints one JSON line.
import { runEngine } from './engine-run.js';
import { BENCH_HAND_CONFIG, engineVariant, variantJournal } from './engine-variants.js';
import { handLoop } from './hand-loop.js';
import { minuteCandles } from './minute-candles.js';

const name = process.argv[2] ?? 'engine';
const runs = Number(process.argv[3] ?? 1);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got "${process.argv[3]}"`);
const variant = name === 'handloop' ? undefined : engineVariant(name);
const cols = minuteCandles(1_000_000);
let trades = 0;
for (let r = 0; r < runs; r++) {
  if (variant === undefined) {
    trades = handLoop(cols, BENCH_HAND_CONFIG).length;
  } else {
    const run = runEngine(cols, variant.cfg, false, false, true, variantJournal(variant.journal));
    trades = run.closed.length;
  }
}
process.stdout.write(`${JSON.stringify({ variant: name, runs, trades })}\n`);
