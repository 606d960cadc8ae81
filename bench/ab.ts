// A/B timing of two states of the source in ONE process: the engine of backtest_vs_handloop from two bundles,
// alternated pair by pair (bench/README.md, "Eighth session", says how far apart two bundles of the same code land).
//   npx tsx bench/ab.ts bundle OUT.mjs              bundle the source as it is now (as `pnpm bench` bundles it)
//   npx tsx bench/ab.ts compare A.mjs B.mjs [pairs] [processes]
//       alternate the two in one process (default 20 pairs), in both import orders, in several processes (default 3
//       of each order); prints one JSON line: bOverA is B's time over A's (geometric mean of the processes' pair
//       medians), perProcess each process's own figure (their spread is the noise)
// Workflow: bundle A, change the code, bundle B, compare A B — and compare A A' (two bundles of the same code) as the
// control. Not part of `pnpm bench`: nothing is asserted.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBenchEntry } from './lib/bundle-target.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const [command, ...args] = process.argv.slice(2);

if (command === 'bundle' && args.length === 1) {
  await bundleBenchEntry(ROOT, 'bench/ab/entry.ts', resolve(args[0]!));
  process.stderr.write(`bundled the engine as it is now to ${args[0]}\n`);
} else if (command === 'compare' && args.length >= 2 && args.length <= 4) {
  // Two bundles of the very same code differ by up to about 5 % in one process, the same way in all its pairs and a
  // different way in the next process (bench/README.md, "Eighth session"). So the comparison runs in several
  // processes, half of them importing B first, and reads B/A from each; their geometric mean is the estimate.
  const [a, b, pairs = '20', processes = '3'] = args as [string, string, string?, string?];
  const each: number[] = [];
  const eachCpu: number[] = [];
  for (let p = 0; p < Number(processes); p++) {
    const forward = compareOnce(a, b, pairs);
    const backward = compareOnce(b, a, pairs);
    each.push(forward.bOverAPairMedian, 1 / backward.bOverAPairMedian);
    eachCpu.push(forward.bOverACpuPairMedian, 1 / backward.bOverACpuPairMedian);
  }
  const geomean = (xs: readonly number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
  const r = (x: number) => Number(x.toFixed(3));
  process.stdout.write(
    `${JSON.stringify({
      a,
      b,
      bOverA: r(geomean(each)),
      bOverACpu: r(geomean(eachCpu)),
      perProcess: each.map(r),
      perProcessCpu: eachCpu.map(r),
    })}\n`,
  );
} else {
  process.stderr.write('usage: npx tsx bench/ab.ts bundle OUT.mjs | compare A.mjs B.mjs [pairs] [processes]\n');
  process.exit(2);
}

interface OneOrder {
  readonly bOverAPairMedian: number;
  readonly bOverACpuPairMedian: number;
  readonly [k: string]: unknown;
}

/** One process of bench/ab/compare.mjs with `first` imported first; its JSON line. */
function compareOnce(first: string, second: string, pairs: string): OneOrder {
  process.stderr.write(`comparing ${second} against ${first}, ${pairs} pairs …\n`);
  const r = spawnSync(process.execPath, [join(ROOT, 'bench/ab/compare.mjs'), first, second, pairs], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, QT_REPO_ROOT: ROOT },
  });
  if (r.status !== 0) throw new Error(`bench/ab/compare.mjs ${first} ${second} failed with status ${String(r.status)}`);
  return JSON.parse(r.stdout) as OneOrder;
}
