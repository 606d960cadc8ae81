import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliDeps } from '../../src/cli/main.js';
import { runnerConfigSchema } from '../../src/config/index.js';
import { loadSymbolData } from '../../src/data/bundled-data.js';
import type { PaperProgress } from '../../src/paper/paper-types.js';
import { runPaper } from '../../src/paper/run-paper.js';

const dir = mkdtempSync(join(tmpdir(), 'qt-clm-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pino logger whose JSON lines land in `lines`. */
function memoryLogger(): { logger: pino.Logger; lines: { service?: string; msg: string }[] } {
  const lines: { service?: string; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as { msg: string }) });
  return { logger, lines };
}

interface HealthBody {
  readonly ok: boolean;
  readonly checks: readonly { readonly name: string; readonly ok: boolean; readonly detail: string }[];
}

describe('paper run with the continuous-learning module (--clm)', () => {
  it('retrains on virtual time and logs the CLM status', async () => {
    const db = join(dir, 'clm', 'paper.sqlite');
    // Small, quick trainer and a short interval: the first runs are skipped (too few rows), a later one completes.
    const config = runnerConfigSchema.parse({
      from: '2021-03-01',
      to: '2021-03-09',
      db,
      clm: { enabled: true, gbdt: { trees: 10 }, schedule: { minSamples: 1, intervalHours: 48 } },
    });
    const { logger, lines } = memoryLogger();
    const summary = await runPaper({ config, data: loadSymbolData(config), dbPath: db, speed: 'max', logger });
    expect(summary.trades).toBeGreaterThan(0);
    expect(summary.clm).toMatchObject({ samples: summary.trades, minSamples: 1, running: false });
    expect(summary.clm?.lastRun?.status).toMatch(/completed|skipped/);
    const clmLines = lines.filter((l) => l.service === 'clm').map((l) => l.msg);
    expect(clmLines[0]).toMatch(/^\[CLM\] enabled: champion=none/);
    expect(clmLines.some((m) => /^\[CLM\] retraining (completed|skipped)/.test(m))).toBe(true);
    expect(clmLines.at(-1)).toMatch(/^\[CLM\] status at the end of the run: .* next run 2021-03-/);
  });
});

describe('HTTP API while a paper session runs (--http)', () => {
  it('serves /status and /health during the run, 404 for retrain without CLM, and closes at the end', async () => {
    const db = join(dir, 'http', 'paper.sqlite');
    const config = runnerConfigSchema.parse({ from: '2021-03-01', to: '2021-03-03', symbols: ['BTC/USDT'], db });
    let url: string | undefined;
    let seen: { status: Record<string, unknown>; health: HealthBody; healthCode: number; retrainCode: number } | undefined;
    let probing: Promise<void> | undefined;
    const probe = async (base: string) => {
      const status = (await (await fetch(`${base}/status`)).json()) as Record<string, unknown>;
      const health = await fetch(`${base}/health`);
      const retrain = await fetch(`${base}/api/ai/retrain`, { method: 'POST' });
      seen = { status, health: (await health.json()) as HealthBody, healthCode: health.status, retrainCode: retrain.status };
    };
    // Two virtual days in about 1.5 s of wall time: the server answers between chunks.
    const speed = (2 * 86_400_000) / 1_500;
    const summary = await runPaper({
      config,
      data: loadSymbolData(config),
      dbPath: db,
      speed,
      logger: pino({ level: 'silent' }),
      http: { port: 0, onListening: (u) => (url = u) },
      onProgress: (p: PaperProgress) => {
        if (url !== undefined && probing === undefined && p.fraction > 0.3) probing = probe(url);
      },
    });
    await probing;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(seen).toBeDefined();
    expect(seen!.status).toMatchObject({ running: true, learning: {} });
    for (const key of ['activeExitPlans', 'lastPortfolioSync', 'queueDepth', 'lastCycle', 'equity']) {
      expect(seen!.status).toHaveProperty(key);
    }
    expect(seen!.healthCode).toBe(200);
    expect(seen!.health.checks.map((c) => [c.name, c.ok])).toEqual([
      ['journal', true],
      ['venue', true],
      ['kernel', true],
      ['cycle', true],
    ]);
    expect(seen!.retrainCode).toBe(404);
    expect(summary.clm).toBeUndefined();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('`run --paper --clm --http 0` serves the CLM status and POST /api/ai/retrain', async () => {
    const work = join(dir, 'cli');
    const configFile = join(dir, 'cli.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        from: '2021-03-01',
        to: '2021-03-03',
        symbols: ['BTC/USDT'],
        db: join(work, 'paper.sqlite'),
        logDir: join(work, 'logs'),
        clm: { trainer: 'logistic' },
      }),
    );
    let stderr = '';
    let stdout = '';
    let probing: Promise<void> | undefined;
    let seen: { status: { learning: { clm?: Record<string, unknown> } }; retrain: Record<string, unknown>; code: number } | undefined;
    const deps: CliDeps = {
      runPaper: (o) =>
        runPaper({
          ...o,
          onProgress: (p) => {
            o.onProgress?.(p);
            const base = /HTTP API on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
            if (base !== undefined && probing === undefined && p.fraction > 0.3) {
              probing = (async () => {
                const status = (await (await fetch(`${base}/status`)).json()) as { learning: { clm?: Record<string, unknown> } };
                const res = await fetch(`${base}/api/ai/retrain`, { method: 'POST', body: JSON.stringify({ force: true }) });
                seen = { status, retrain: (await res.json()) as Record<string, unknown>, code: res.status };
              })();
            }
          },
        }),
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: {},
    };
    const speed = String((2 * 86_400_000) / 1_500);
    const code = await main(['run', '--paper', '--clm', '--http', '0', '--speed', speed, '--config', configFile], deps);
    await probing;
    expect(code, stderr).toBe(0);
    expect(seen?.status.learning.clm).toMatchObject({ champion: null, serving: 'none', minSamples: 100 });
    expect(seen?.code).toBe(202);
    expect(seen?.retrain).toMatchObject({ trigger: 'manual', promoted: false });
    expect(seen?.retrain['status']).toMatch(/completed|skipped|failed/);
    expect(stdout).toMatch(/^CLM: champion=/m);
  });
});
