import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliDeps } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'qt-backtest-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function cli(config: unknown, extra: string[] = ['--json']): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = join(dir, `config-${++n}.json`);
  writeFileSync(file, JSON.stringify(config));
  let stdout = '';
  let stderr = '';
  const deps: CliDeps = {
    runPaper: () => Promise.reject(new Error('not used')),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
  };
  const code = await main(['backtest', '--config', file, ...extra], deps);
  return { code, stdout, stderr };
}

const base = { symbols: ['BTC/USDT'], from: '2021-04-27', to: '2021-04-30' };

describe('quantum-trader backtest', () => {
  it('--json prints the metrics as one JSON object on stdout and progress on stderr', async () => {
    const r = await cli({ ...base, backtest: { latencyMs: 0, slippageImpactBps: 10 } });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout) as { run: { symbols: string[]; strategy: string }; metrics: Record<string, number | null> };
    expect(out.run.symbols).toEqual(['BTC/USDT:USDT']);
    expect(out.run.strategy).toMatch(/^momentum-24h lookbackHours=24/);
    expect(typeof out.metrics['totalReturn']).toBe('number');
    expect(out.metrics).toHaveProperty('sharpe');
    expect(r.stderr).toMatch(/progress 100%/);
  });

  it('charges the config\'s exchange.fundingRate, unless the backtest section gives its own', async () => {
    const funding = async (config: unknown) => (JSON.parse((await cli(config)).stdout) as { metrics: Record<string, number | null> }).metrics['funding'];
    const none = await funding(base);
    const fromExchange = await funding({ ...base, exchange: { fundingRate: 0.001 } });
    const fromSection = await funding({ ...base, exchange: { fundingRate: 0.001 }, backtest: { fundingRate: -0.001 } });
    expect(none).toBe(0);
    expect(fromExchange).not.toBe(0);
    expect(fromSection).not.toBe(0);
    expect(Math.sign(fromSection!)).toBe(-Math.sign(fromExchange!)); // the opposite rate, the opposite side of the payments
  });

  it('prints the summary table without --json', async () => {
    const r = await cli(base, []);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Backtest: momentum-24h/);
    expect(r.stdout).toMatch(/Per symbol/);
  });

  it('runs the sweep the config asks for and prints its ranked rows as JSON', async () => {
    const r = await cli({ ...base, backtest: { sweep: { grid: { lookbackHours: [12, 24] }, sortBy: 'totalReturn', threads: 0 } } });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { sortBy: string; rows: { rank: number; params: Record<string, number> }[] };
    expect(out.sortBy).toBe('totalReturn');
    expect(out.rows.map((x) => x.rank)).toEqual([1, 2]);
    expect(r.stderr).toMatch(/progress 100% \| 2\/2 backtests/);
  });

  it('names the bad field of the backtest section and exits with 2', async () => {
    const r = await cli({ ...base, backtest: { latencyMs: -5 } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config-\d+\.json: backtest\.latencyMs: expected a number ≥ 0, received -5/);
    expect(r.stdout).toBe('');
  });

  it('reports a gap in the data as bad input', async () => {
    const r = await cli({ ...base, from: '2021-04-20', to: '2021-04-22' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: BTC\/USDT:USDT: gap in the data: 30 candles missing between 2021-04-20 01:55 and 2021-04-20 04:30 UTC/);
  });
});
