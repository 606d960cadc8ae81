// Instructions and simulated first-level data-cache misses per engine run, counted by valgrind: measures of the
// engine's work and of its memory traffic that do not move with the machine's load (wall time on a shared 2-core
// machine moves by 10–20 % between runs of the same code, and more when a neighbour uses the memory bus; these counts
// repeat to about 0.1 %). Use them to tell whether a change to the event path made it cheaper; `pnpm bench` stays the
// measure of speed. Cachegrind simulates the first-level data cache and the last level, not the levels between, so
// the D1 misses are the count of data accesses that had to go further (an L2 hit or worse).
//   npx tsx bench/count-instructions.ts [variant …]      variants: engine (default), no-snapshots, keep-only, ids-only,
//                                                       no-journal, neither, candles (bench/lib/engine-variants.ts), handloop
// For each variant the engine runs 3 times in one process and 9 times in another (in parallel), each under
// `valgrind --tool=cachegrind` with V8 in its predictable mode (`--predictable`: single-threaded, a fixed
// garbage-collection schedule; V8 otherwise sizes its heap from how fast it measures itself, which under valgrind
// moved the count of one run by up to 20 %); the difference divided by 6 is one warmed-up run, without the data
// loading and the first compilations. Counts still move by a few percent between tries: compare several.
// Needs valgrind (Debian: apt-get install valgrind). Takes about 3 minutes per variant.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleInstructionTarget } from './lib/bundle-target.js';
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

/** What valgrind counted for one process. */
interface Counts {
  readonly instructions: number;
  /** First-level data-cache misses (reads and writes). */
  readonly d1Misses: number;
  /** Last-level data-cache misses (reads and writes). */
  readonly lldMisses: number;
}

/** The first number on cachegrind's summary line `label` (e.g. `I   refs:      1,234,567`). */
function summaryNumber(stderr: string, label: RegExp): number | undefined {
  const m = new RegExp(`${label.source}:\\s+([\\d,]+)`).exec(stderr);
  return m === null ? undefined : Number(m[1]!.replaceAll(',', ''));
}

/** What valgrind counted for one process of `runs` engine runs. */
function count(bundle: string, variant: string, runs: number): Promise<Counts> {
  return new Promise((resolve, reject) => {
    const args = ['--tool=cachegrind', '--cache-sim=yes', '--cachegrind-out-file=/dev/null', '--smc-check=all-non-file',
      process.execPath, '--predictable', bundle, variant, String(runs)];
    const child = spawn('valgrind', args, { cwd: ROOT, env: { ...process.env, QT_REPO_ROOT: ROOT }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const instructions = summaryNumber(stderr, /I\s+refs/);
      const d1Misses = summaryNumber(stderr, /D1\s+misses/);
      const lldMisses = summaryNumber(stderr, /LLd\s+misses/);
      if (code !== 0 || instructions === undefined || d1Misses === undefined || lldMisses === undefined) {
        reject(new Error(`valgrind (${variant}, ${runs} runs) exited with ${code}: ${stderr.slice(-400)}`));
      } else {
        resolve({ instructions, d1Misses, lldMisses });
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'qt-instructions-'));
try {
  const bundle = join(dir, 'instruction-target.mjs');
  await bundleInstructionTarget(ROOT, bundle);
  const results: { variant: string; perRunMillions: number; d1MissesPerRunMillions: number; lldMissesPerRunMillions: number }[] = [];
  for (const v of variants) {
    process.stderr.write(`counting ${v.name} (${v.label}): ${LOW} and ${HIGH} runs under valgrind …\n`);
    const [low, high] = await Promise.all([count(bundle, v.name, LOW), count(bundle, v.name, HIGH)]);
    const perRun = (k: keyof Counts): number => (high[k] - low[k]) / (HIGH - LOW) / 1e6;
    const r = {
      variant: v.name,
      perRunMillions: Math.round(perRun('instructions')),
      d1MissesPerRunMillions: Math.round(perRun('d1Misses') * 100) / 100,
      lldMissesPerRunMillions: Math.round(perRun('lldMisses') * 100) / 100,
    };
    results.push(r);
    process.stderr.write(
      `${v.label.padEnd(40)} ${String(r.perRunMillions).padStart(6)} M instructions, ${r.d1MissesPerRunMillions.toFixed(2).padStart(6)} M D1 misses, ` +
        `${r.lldMissesPerRunMillions.toFixed(2)} M LLd misses per run\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ name: 'engine_instructions', known: [...ENGINE_VARIANTS.map((v) => v.name), HAND_LOOP.name], results })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
