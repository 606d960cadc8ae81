// What the garbage collector does per engine run: scavenges (young-generation collections) and their pauses, the
// bytes they copied (survived: copied within the young generation; promoted: copied into the old generation), and
// major collections, read from V8's own trace (`--trace-gc-nvp`). Run it to see what a change to what the engine keeps
// costs the collector; `pnpm bench` stays the measure of speed.
//   npx tsx bench/scavenges.ts [variant …]      variants: engine (default), no-snapshots, keep-only, ids-only,
//                                              no-journal, neither, candles (bench/lib/engine-variants.ts)
// For each variant the engine runs 3 times in one process and 9 times in another (one after the other, so that they do
// not share the two cores), each `node --trace-gc-nvp` on the bundle count-instructions.ts uses; the difference divided
// by 6 is one warmed-up run, without the data loading and the first compilations. The bytes repeat to a few percent;
// the pauses are time and move with the machine's load like any timing. About 10 s per variant.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleInstructionTarget } from './lib/bundle-target.js';
import { ENGINE_VARIANTS, engineVariant } from './lib/engine-variants.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOW = 3;
const HIGH = 9;

/** Sums over one process's collections. */
interface GcTotals {
  scavenges: number;
  scavengeMs: number;
  survivedBytes: number;
  promotedBytes: number;
  majors: number;
  majorMs: number;
}

/** The number after `name=` in one `--trace-gc-nvp` line (0 when absent). */
function field(line: string, name: string): number {
  const m = new RegExp(`(?:^|\\s)${name}=([\\d.]+)`).exec(line);
  return m === null ? 0 : Number(m[1]);
}

/** Adds up the `--trace-gc-nvp` lines of a process's output. */
function gcTotals(trace: string): GcTotals {
  const t: GcTotals = { scavenges: 0, scavengeMs: 0, survivedBytes: 0, promotedBytes: 0, majors: 0, majorMs: 0 };
  for (const line of trace.split('\n')) {
    if (/\sgc=s\s/.test(line)) {
      t.scavenges++;
      t.scavengeMs += field(line, 'pause');
      t.survivedBytes += field(line, 'new_space_survived');
      t.promotedBytes += field(line, 'promoted');
    } else if (/\sgc=(?:mc|mmc|ms)\s/.test(line)) {
      t.majors++;
      t.majorMs += field(line, 'pause');
    }
  }
  return t;
}

/** Runs the bundle's `variant` `runs` times under `--trace-gc-nvp` and adds up its collections. */
function trace(bundle: string, variant: string, runs: number): Promise<GcTotals> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--trace-gc-nvp', bundle, variant, String(runs)], {
      cwd: ROOT,
      env: { ...process.env, QT_REPO_ROOT: ROOT },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${variant} (${runs} runs) exited with ${code}: ${err.slice(-400)}`));
      else resolve(gcTotals(out));
    });
  });
}

const variants = (process.argv.length > 2 ? process.argv.slice(2) : ['engine']).map((n) => engineVariant(n));
const dir = mkdtempSync(join(tmpdir(), 'qt-scavenges-'));
try {
  const bundle = join(dir, 'instruction-target.mjs');
  await bundleInstructionTarget(ROOT, bundle);
  const results = [];
  for (const v of variants) {
    process.stderr.write(`tracing ${v.name} (${v.label}): ${LOW} and ${HIGH} runs …\n`);
    const low = await trace(bundle, v.name, LOW);
    const high = await trace(bundle, v.name, HIGH);
    const perRun = (k: keyof GcTotals, scale = 1): number => Math.round(((high[k] - low[k]) / (HIGH - LOW) / scale) * 100) / 100;
    const r = {
      variant: v.name,
      scavenges: perRun('scavenges'),
      scavengePauseMs: perRun('scavengeMs'),
      survivedMB: perRun('survivedBytes', 1e6),
      promotedMB: perRun('promotedBytes', 1e6),
      majors: perRun('majors'),
      majorPauseMs: perRun('majorMs'),
    };
    results.push(r);
    process.stderr.write(
      `${v.label.padEnd(44)} ${r.scavenges.toFixed(1)} scavenges, ${r.scavengePauseMs.toFixed(1).padStart(5)} ms paused, ` +
        `${r.survivedMB.toFixed(1)} MB survived, ${r.promotedMB.toFixed(1)} MB promoted; ${r.majors.toFixed(1)} major, ${r.majorPauseMs.toFixed(1)} ms per run\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ name: 'engine_scavenges', known: ENGINE_VARIANTS.map((v) => v.name), results })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
