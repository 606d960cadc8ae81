// `pnpm bench`: runs every benchmark in its own process, prints a table and writes bench/results/latest.json.
//
// Our benchmarks (bench/*.bench.ts) are bundled with esbuild first — compiled the way the packages' tsup builds are
// (no tsx keepNames wrappers), so what is timed is the code a user runs — and each runs in a fresh `node` process,
// so its peak RSS is its own. The package benchmarks other teams keep next to their code
// (packages/**/bench/*.bench.ts) run as they are, with tsx. Every benchmark prints one JSON object on stdout; one that
// is missing, fails or runs out of time is reported as such in the table and the JSON, never guessed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench/results');

interface Bench {
  /** Name in the table (our benches: the name their JSON carries). */
  readonly name: string;
  readonly file: string;
  readonly kind: 'own' | 'package';
  readonly timeoutMs: number;
}

const OWN: readonly Bench[] = [
  { name: 'backtest_vs_handloop', file: 'bench/backtest-vs-handloop.bench.ts', kind: 'own', timeoutMs: 300_000 },
  { name: 'indicators_vs_handloop', file: 'bench/indicators-vs-handloop.bench.ts', kind: 'own', timeoutMs: 240_000 },
  { name: 'sqlite_journal_append', file: 'bench/sqlite-journal.bench.ts', kind: 'own', timeoutMs: 180_000 },
];

/** Package benches we expect; any other packages/**\/bench/*.bench.ts found is run too. */
const EXPECTED_PACKAGE_BENCHES = [
  'packages/adapters/redis/bench/redis.bench.ts',
  'packages/adapters/ccxt/bench/ccxt.bench.ts',
  'packages/clm/bench/clm.bench.ts',
];
const PACKAGE_TIMEOUT_MS = 90_000;

interface Outcome {
  readonly name: string;
  readonly file: string;
  readonly status: 'ok' | 'failed' | 'timeout' | 'missing';
  readonly seconds: number;
  readonly result?: Record<string, unknown>;
  readonly error?: string;
}

function packageBenches(): Bench[] {
  const found = new Set<string>(EXPECTED_PACKAGE_BENCHES);
  for (const base of ['packages', 'packages/adapters']) {
    const dir = join(ROOT, base);
    if (!existsSync(dir)) continue;
    for (const pkg of readdirSync(dir)) {
      const benchDir = join(dir, pkg, 'bench');
      if (!existsSync(benchDir)) continue;
      for (const f of readdirSync(benchDir)) if (f.endsWith('.bench.ts')) found.add(`${base}/${pkg}/bench/${f}`);
    }
  }
  return [...found].sort().map((file) => ({
    name: `${file.split('/').slice(-3, -2)[0]}/${basename(file, '.bench.ts')}`,
    file,
    kind: 'package' as const,
    timeoutMs: PACKAGE_TIMEOUT_MS,
  }));
}

/** Runs a command; resolves with its stdout, stderr, exit code and whether the timeout killed it. */
function run(cmd: string, args: readonly string[], timeoutMs: number, cwd: string) {
  return new Promise<{ stdout: string; stderr: string; code: number | null; timedOut: boolean }>((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, QT_REPO_ROOT: ROOT }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      process.stderr.write(d);
    });
    // The child leads its own process group, so a timeout ends it and anything it started (a server, workers).
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, timedOut });
    });
  });
}

/** The JSON object a benchmark printed last on stdout (one line, or pretty-printed over several). */
function lastJson(stdout: string): Record<string, unknown> | undefined {
  const text = stdout.trim();
  const asObject = (t: string): Record<string, unknown> | undefined => {
    try {
      const v = JSON.parse(t) as unknown;
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  // from the last line that opens an object, widening upwards until what follows parses
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i]!.startsWith('{')) continue;
    const v = asObject(lines.slice(i).join('\n'));
    if (v !== undefined) return v;
    const single = asObject(lines[i]!);
    if (single !== undefined) return single;
  }
  return undefined;
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ').slice(0, 400);
}

async function runBench(b: Bench, bundled: string | undefined): Promise<Outcome> {
  if (!existsSync(join(ROOT, b.file))) return { name: b.name, file: b.file, status: 'missing', seconds: 0 };
  process.stderr.write(`\n=== ${b.name} (${b.file})\n`);
  const t0 = performance.now();
  const r =
    bundled !== undefined
      ? await run(process.execPath, [bundled], b.timeoutMs, ROOT)
      : await run(process.execPath, ['--import', 'tsx', join(ROOT, b.file)], b.timeoutMs, ROOT);
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  const result = lastJson(r.stdout);
  if (r.timedOut) return { name: b.name, file: b.file, status: 'timeout', seconds, error: `no result within ${b.timeoutMs / 1000} s` };
  if (r.code !== 0 || result === undefined) {
    const why = r.code !== 0 ? `exit code ${r.code}: ${lastLines(r.stderr)}` : 'printed no JSON object on stdout';
    return { name: b.name, file: b.file, status: 'failed', seconds, error: why, ...(result !== undefined ? { result } : {}) };
  }
  if (result['ok'] === false) return { name: b.name, file: b.file, status: 'failed', seconds, result, error: String(result['error'] ?? 'reported ok: false') };
  return { name: b.name, file: b.file, status: 'ok', seconds, result };
}

// --- the table ---

const fmt = (x: unknown, digits = 2): string => (typeof x === 'number' ? (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(digits)) : String(x));
const mark = (pass: boolean): string => (pass ? 'PASS' : 'MISS');

/** One or more table rows (measure, value, target) for a finished benchmark. */
function rowsOf(o: Outcome): [string, string, string][] {
  if (o.status !== 'ok' || o.result === undefined) return [[o.status.toUpperCase(), o.error ?? '', '']];
  const r = o.result as Record<string, any>;
  switch (o.name) {
    case 'backtest_vs_handloop':
      return [
        ['engine / hand loop (wall)', `${fmt(r.ratio)}x  (CPU ${fmt(r.ratioCpu)}x; median of the pairs ${fmt(r.spread?.pairRatioMedian)}x)`, `<= 5  ${mark(r.ratio <= 5)}`],
        ['engine', `${fmt(r.engine.candlesPerSec)} candles/s, ${fmt(r.engine.ms, 0)} ms for ${fmt(r.candles)} (median ${fmt(r.spread?.engineMedianMs, 0)} ms)`, ''],
        ['hand loop', `${fmt(r.handloop.candlesPerSec)} candles/s, ${fmt(r.handloop.ms, 1)} ms (median ${fmt(r.spread?.handloopMedianMs, 1)} ms)`, ''],
        ['peak RSS', `${fmt(r.peakRssMB, 0)} MB`, `< 300  ${mark(r.peakRssMB < 300)}`],
        ['trades identical', `${r.identicalTrades ? 'yes' : 'NO'} (${fmt(r.trades)} trades)`, ''],
        ['memory latency (ns per load)', Object.entries((r.machine?.dependentLoadNs ?? {}) as Record<string, number>).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', '), ''],
      ];
    case 'indicators_vs_handloop': {
      const out: [string, string, string][] = [];
      for (const [k, v] of Object.entries(r.indicators as Record<string, any>)) {
        out.push([
          `${k}: library / loop`,
          `${fmt(v.ratio)}x (${fmt(v.libraryMs, 1)} vs ${fmt(v.loopMs, 1)} ms); trading-signals ${fmt(v.tradingSignalsSlowerBy, 1)}x, technicalindicators ${fmt(v.technicalIndicatorsSlowerBy, 1)}x slower`,
          `<= 1.5  ${mark(v.ratio <= 1.5 && v.tradingSignalsSlowerBy > 1 && v.technicalIndicatorsSlowerBy > 1)}`,
        ]);
      }
      return out;
    }
    case 'sqlite_journal_append':
      return [
        [
          'journal / raw inserts',
          `${fmt(r.ratio)}x (${fmt(r.journal.eventsPerSec)} vs ${fmt(r.raw.eventsPerSec)} events/s, batches of ${r.batchSize})`,
          `<= 2  ${mark(r.ratio <= 2)}`,
        ],
      ];
    default:
      return [['result', packageSummary(r), '']];
  }
}

/** A compact line for a package benchmark's own JSON: its ratios, targets and rates, wherever they are. */
function packageSummary(r: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (parts.length >= 8 || v === null || v === undefined) return;
    if (Array.isArray(v)) {
      v.slice(0, 2).forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const label = path !== '' && typeof o['name'] === 'string' ? `${path}(${String(o['name']).slice(0, 28)})` : path;
      for (const [k, x] of Object.entries(o)) if (k !== 'name') walk(x, label === '' ? k : `${label}.${k}`);
      return;
    }
    const key = path.split('.').pop() ?? '';
    if (/^(ratio|target|pass|met|rows|messages)$|^ratio[A-Z]|PerSec$|^p50/.test(key)) parts.push(`${path}=${fmt(v)}`);
  };
  walk(r, '');
  return parts.join(', ').slice(0, 220);
}

function printTable(outcomes: readonly Outcome[]): void {
  const rows: string[][] = [['benchmark', 'measure', 'value', 'target']];
  for (const o of outcomes) {
    rowsOf(o).forEach(([m, v, t], i) => rows.push([i === 0 ? `${o.name} (${o.seconds} s)` : '', m, v, t]));
  }
  const widths = rows[0]!.map((_, c) => Math.min(c === 2 ? 120 : 60, Math.max(...rows.map((r) => r[c]!.length))));
  const line = (r: string[]) => r.map((cell, c) => cell.slice(0, widths[c]).padEnd(widths[c]!)).join('  ');
  process.stdout.write(`\n${line(rows[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of rows.slice(1)) process.stdout.write(`${line(r)}\n`);
}

// --- main ---

const started = new Date();
const buildDir = mkdtempSync(join(tmpdir(), 'qt-bench-'));
const outcomes: Outcome[] = [];
try {
  process.stderr.write('bundling the benchmarks (esbuild)\n');
  const entries = OWN.filter((b) => existsSync(join(ROOT, b.file)));
  await build({
    entryPoints: Object.fromEntries(entries.map((b) => [b.name, join(ROOT, b.file)])),
    outdir: buildDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.json'),
    // native or server drivers stay outside the bundle (the benches load them from the package that owns them)
    external: ['better-sqlite3', 'pg', 'ioredis', 'onnxruntime-node', 'ccxt'],
    banner: { js: "import { createRequire as __qtCreateRequire } from 'node:module'; const require = __qtCreateRequire(import.meta.url);" },
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  for (const b of OWN) outcomes.push(await runBench(b, join(buildDir, `${b.name}.mjs`)));
  for (const b of packageBenches()) outcomes.push(await runBench(b, undefined));
} finally {
  rmSync(buildDir, { recursive: true, force: true });
}

printTable(outcomes);
const report = {
  startedAt: started.toISOString(),
  seconds: Math.round((Date.now() - started.getTime()) / 1000),
  machine: {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  },
  benches: Object.fromEntries(
    outcomes.map((o) => [o.name, { file: o.file, status: o.status, seconds: o.seconds, ...(o.error !== undefined ? { error: o.error } : {}), ...(o.result ?? {}) }]),
  ),
};
mkdirSync(RESULTS, { recursive: true });
const out = join(RESULTS, 'latest.json');
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`\nwrote ${relative(ROOT, out)} (${report.seconds} s)\n`);
