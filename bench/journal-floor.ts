// How far the engine stands from the hand loop with the journal's whole work taken away: the engine of
// backtest_vs_handloop, the same with a journal that keeps the events and checks nothing (`KeepingJournal`), with one
// that keeps nothing (`DiscardingJournal`: no validation, no ids kept or looked up, no row keys, nothing retained),
// and that without portfolio snapshots, each run followed by a run of the hand loop, bundled the way `pnpm bench`
// bundles, in several processes (bench/README.md, "Ninth session").
//   npx tsx bench/journal-floor.ts [rounds=16] [processes=3]
// Prints one JSON line per process. Not part of `pnpm bench`: the variants do not trade as the engine does (a journal
// that keeps nothing answers no queries), nothing is asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBenchEntry } from './lib/bundle-target.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const [rounds = '16', processes = '3'] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'qt-floor-'));
try {
  const bundle = join(dir, 'journal-floor.mjs');
  await bundleBenchEntry(ROOT, 'bench/journal-floor/entry.ts', bundle);
  for (let p = 0; p < Number(processes); p++) {
    process.stderr.write(`process ${p + 1} of ${processes}, ${rounds} rounds …\n`);
    const r = spawnSync(process.execPath, [bundle, rounds], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, QT_REPO_ROOT: ROOT } });
    if (r.status !== 0) throw new Error(`the journal-floor bundle failed with status ${String(r.status)}`);
    process.stdout.write(r.stdout);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
