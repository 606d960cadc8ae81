// A/B timing of two states of the source in ONE process: the engine of backtest_vs_handloop from two bundles,
// alternated pair by pair (bench/README.md, "Eighth session", says how far apart two bundles of the same code land).
//   npx tsx bench/ab.ts bundle OUT.mjs              bundle the source as it is now (as `pnpm bench` bundles it)
//   npx tsx bench/ab.ts compare A.mjs B.mjs [pairs]  alternate the two (default 30 pairs; prints one JSON line)
// Workflow: bundle A, change the code, bundle B, compare A B — and compare A A' (two bundles of the same code) as the
// control. Not part of `pnpm bench`: nothing is asserted.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const [command, ...args] = process.argv.slice(2);

if (command === 'bundle' && args.length === 1) {
  await build({
    entryPoints: [join(ROOT, 'bench/ab/entry.ts')],
    outfile: resolve(args[0]!),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.json'),
    banner: { js: "import { createRequire as __qtCreateRequire } from 'node:module'; const require = __qtCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  process.stderr.write(`bundled the engine as it is now to ${args[0]}\n`);
} else if (command === 'compare' && (args.length === 2 || args.length === 3)) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bench/ab/compare.mjs'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, QT_REPO_ROOT: ROOT },
  });
  process.exit(r.status ?? 1);
} else {
  process.stderr.write('usage: npx tsx bench/ab.ts bundle OUT.mjs | compare A.mjs B.mjs [pairs]\n');
  process.exit(2);
}
