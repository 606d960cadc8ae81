// Instructions per engine run, counted by valgrind: a measure of the engine's work that does not move with the
// machine's load (wall time on a shared 2-core machine moves by 10–20 % between runs of the same code; this count
// repeats to about 0.1 %). Use it to tell whether a change to the event path made it cheaper; `pnpm bench` stays
// the measure of speed (cache misses, which valgrind does not count, are part of the wall time).
//   npx tsx bench/count-instructions.ts [variant …]      variants: engine (default), no-snapshots, keep-only,
//                                                       no-journal, neither, candles (bench/lib/engine-variants.ts), handloop
// For each variant the engine runs 3 times in one process and 9 times in another (in parallel), each under
// `valgrind --tool=cachegrind` with V8 single-threaded (so that JIT compilation and GC happen at the same points every
// time); the difference divided by 6 is one warmed-up run, without the data loading and the first compilations.
// Needs valgrind (Debian: apt-get install valgrind). Takes about 3 minutes per variant.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ENGINE_VARIANTS, engineVariant } from './lib/engine-variants.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOW = 3;
const HIGH = 9;

if (spawnSync('valgrind', ['--version']).status !== 0) {
  process.stderr.write('count-instructions needs valgrind on the PATH (Debian: apt-get install valgrind)\n');
  process.exit(2);
}
const HAND_LOOP = { name: 'handloop', label: 'the hand loop' };
const variants = (process.argv.length > 2 ? process.argv.slice(2) : ['engine']).map((n) => (n === HAND_LOOP.name ? HAND_LOOP : engineVariant(n)));

/** Instructions valgrind counted for one process of `runs` engine runs. */
function count(bundle: string, variant: string, runs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', '--smc-check=all-non-file',
      process.execPath, '--single-threaded', bundle, variant, String(runs)];
    const child = spawn('valgrind', args, { cwd: ROOT, env: { ...process.env, QT_REPO_ROOT: ROOT }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const m = /I\s+refs:\s+([\d,]+)/.exec(stderr);
      if (code !== 0 || m === null) reject(new Error(`valgrind (${variant}, ${runs} runs) exited with ${code}: ${stderr.slice(-400)}`));
      else resolve(Number(m[1]!.replaceAll(',', '')));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'qt-instructions-'));
try {
  const bundle = join(dir, 'instruction-target.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench/lib/instruction-target.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.json'),
    banner: { js: "import { createRequire as __qtCreateRequire } from 'node:module'; const require = __qtCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const results: { variant: string; perRunMillions: number }[] = [];
  for (const v of variants) {
    process.stderr.write(`counting ${v.name} (${v.label}): ${LOW} and ${HIGH} runs under valgrind …\n`);
    const [low, high] = await Promise.all([count(bundle, v.name, LOW), count(bundle, v.name, HIGH)]);
    const perRun = (high - low) / (HIGH - LOW);
    results.push({ variant: v.name, perRunMillions: Math.round(perRun / 1e6) });
    process.stderr.write(`${v.label.padEnd(40)} ${(perRun / 1e6).toFixed(0).padStart(6)} M instructions per run\n`);
  }
  process.stdout.write(`${JSON.stringify({ name: 'engine_instructions', known: [...ENGINE_VARIANTS.map((v) => v.name), HAND_LOOP.name], results })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
