// Packaging check: what `npm install @quantum-trader/…` gives a user must work from ESM and CommonJS, and the
// runner's `quantum-trader` bin must run from node_modules. Builds and packs the workspace packages, installs the
// tarballs into a temporary project outside the repository, and exercises them in child processes.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// About 3 minutes on an idle 2-core machine (compiling better-sqlite3 alone takes ~70 s); far more under load.
const SETUP_TIMEOUT = 30 * 60_000;
const work = mkdtempSync(join(tmpdir(), 'qt-pack-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');

// Children must not inherit the npm/pnpm settings of the `npm test` or `pnpm test` that started vitest.
const childEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^npm_|^pnpm_/i.test(name)),
);

function run(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = childEnv,
): SpawnSyncReturns<string> {
  const result = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined) throw result.error;
  return result;
}

function mustRun(cmd: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): string {
  const result = run(cmd, args, cwd, env);
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

// The pinned pnpm (root package.json `packageManager`): the one on PATH if it is that version, else through npx,
// so the test also runs where only Node and npm are installed.
function pnpmCommand(): [string, string[]] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string };
  const version = manifest.packageManager.replace(/^pnpm@/, '');
  const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env: childEnv });
  if (onPath.status === 0 && onPath.stdout.trim() === version) return ['pnpm', []];
  return ['npx', ['-y', `pnpm@${version}`]];
}

interface Installed {
  readonly name: string;
  readonly file: string;
}
let installed: Installed[] = [];

beforeAll(() => {
  const [pnpm, pre] = pnpmCommand();
  mustRun(pnpm, [...pre, '-r', '--filter', './packages/**', 'run', 'build'], ROOT);
  mkdirSync(tarballs);
  mustRun(pnpm, [...pre, '-r', '--filter', './packages/**', 'pack', '--pack-destination', tarballs], ROOT);

  installed = readdirSync(tarballs)
    .filter((f) => f.endsWith('.tgz'))
    .map((file) => ({ name: `@quantum-trader/${file.replace(/^quantum-trader-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '')}`, file }));

  // Every @quantum-trader package resolves to its tarball, including when another package depends on it.
  const specs = Object.fromEntries(installed.map((p) => [p.name, `file:${join(tarballs, p.file)}`]));
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      { name: 'qt-pack-check', private: true, version: '0.0.0', dependencies: { ...specs, rxjs: '^7.8.2' }, overrides: specs },
      null,
      2,
    ),
  );
  // onnxruntime-node (used by @quantum-trader/clm) bundles its CPU binaries; its install script would only fetch the
  // optional CUDA ones from outside the npm registry, which this test must not depend on.
  mustRun('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'], project, {
    ...childEnv,
    ONNXRUNTIME_NODE_INSTALL: 'skip',
  });
}, SETUP_TIMEOUT);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

// The same checks, written once, run as ESM (import) and as CommonJS (require).
const CHECKS = `
const btc = core.symbolId('BTC/USDT');
let badSymbol = 'accepted';
try { core.symbolId('btc-usdt'); } catch (err) { badSymbol = err.constructor.name; }
const candles = core.parseCandlesCsv('ts,open,high,low,close,volume\\n1609459200000,10,12,9,11,5\\n', 'inline.csv');
const perp = core.binanceInstrument(core.symbolId('BTC/USDT:USDT'));
const exchange = new core.SimulatedExchange({
  instruments: [perp], balances: { USDT: 10000 }, slippageBps: 2, scheduler: new rxjs.VirtualTimeScheduler(),
});
const plan = exitBrain.standardLadder({
  positionId: 'pos-qt-0123456789abcdefx', symbol: perp.symbol, side: 'long',
  qty: 0.01, entryPrice: 50000, volatility: 0.01, instrument: perp,
});
const out = {
  btc,
  hash: core.stableHash('quantum'),
  badSymbol,
  isError: new core.QuantumTraderError('DATA_INVALID', 'x') instanceof Error,
  candles: candles.length,
  instruments: exchange.instruments().length,
  ladder: exitBrain.STANDARD_LADDER,
  legs: plan.legs.length,
  runnerLoadConfig: typeof runner.loadConfig,
};
console.log(JSON.stringify(out));
`;

function runScript(name: string, source: string): Record<string, unknown> {
  writeFileSync(join(project, name), source);
  const stdout = mustRun(process.execPath, [name], project);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('the packed packages, installed with npm into a project outside the repo', () => {
  it('packs every workspace package', () => {
    expect(installed.map((p) => p.name)).toEqual(
      expect.arrayContaining(['@quantum-trader/core', '@quantum-trader/exit-brain', '@quantum-trader/sql', '@quantum-trader/runner']),
    );
  });

  it('work from ESM and from CommonJS with the same results', () => {
    const esm = runScript(
      'check.mjs',
      `import * as core from '@quantum-trader/core';
import * as exitBrain from '@quantum-trader/exit-brain';
import * as runner from '@quantum-trader/runner';
import * as rxjs from 'rxjs';
${CHECKS}`,
    );
    const cjs = runScript(
      'check.cjs',
      `const core = require('@quantum-trader/core');
const exitBrain = require('@quantum-trader/exit-brain');
const runner = require('@quantum-trader/runner');
const rxjs = require('rxjs');
${CHECKS}`,
    );
    expect(esm).toEqual({
      btc: 'BTC/USDT',
      hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      badSymbol: 'TypeError',
      isError: true,
      candles: 1,
      instruments: 1,
      ladder: 'STANDARD_LADDER',
      legs: 4,
      runnerLoadConfig: 'function',
    });
    expect(cjs).toEqual(esm);
  });

  it('ship type declarations for both module systems', () => {
    for (const pkg of ['core', 'exit-brain']) {
      const files = readdirSync(join(project, 'node_modules', '@quantum-trader', pkg, 'dist'));
      expect(files).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']));
    }
  });

  it('install the quantum-trader bin, which prints its help', () => {
    const result = run(join(project, 'node_modules', '.bin', 'quantum-trader'), ['run', '--help'], project);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: quantum-trader run [options]');
    expect(result.stdout).toContain('--paper');
  });

  it('run a short paper session on the data bundled inside the installed runner', () => {
    const args = ['run', '--paper', '--symbols', 'BTC/USDT', '--from', '2021-03-01', '--to', '2021-03-03', '--db', 'pack.sqlite'];
    const result = run(join(project, 'node_modules', '.bin', 'quantum-trader'), args, project);
    expect(result.stderr).not.toContain('error:');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('│ BTC/USDT:USDT │');
    expect(result.stdout).toContain(`SQLite journal: ${join(project, 'pack.sqlite')}`);
  });
});
