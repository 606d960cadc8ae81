import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteJournal } from '@quantum-trader/sql';
import { runnerConfigSchema } from '../../src/config/index.js';
import { loadSymbolData } from '../../src/data/bundled-data.js';
import { runPaper } from '../../src/paper/run-paper.js';

// Two weeks of the bundled real data: long enough for ~70 trades, short enough to run in seconds.
const WINDOW = { from: '2021-03-01', to: '2021-03-15' };
const dir = mkdtempSync(join(tmpdir(), 'qt-golden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runnerRoot = fileURLToPath(new URL('../../', import.meta.url));
// node --import tsx, not the tsx wrapper: SIGKILL must hit the process that writes the journal.
const node = process.execPath;

async function paper(db: string) {
  const config = runnerConfigSchema.parse({ ...WINDOW, db });
  return runPaper({ config, data: loadSymbolData(config), dbPath: db, speed: 'max', logger: pino({ level: 'silent' }) });
}

async function journalDump(db: string) {
  const j = await SqliteJournal.open(db);
  try {
    return { events: j.events(), orders: j.orders(), positions: j.positions(), trades: j.trades(), plans: j.exitPlans() };
  } finally {
    j.close();
  }
}

function cli(db: string): { done: Promise<number | null>; killAfter: (pattern: RegExp) => Promise<void> } {
  const child = spawn(node, ['--import', 'tsx', 'src/cli.ts', 'run', '--paper', '--from', WINDOW.from, '--to', WINDOW.to, '--db', db], {
    cwd: runnerRoot,
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of waiters) if (w.pattern.test(stderr)) w.resolve();
  });
  child.stdout.resume();
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    done,
    killAfter: (pattern) =>
      new Promise<void>((resolve) => {
        waiters.push({
          pattern,
          resolve: () => {
            child.kill('SIGKILL');
            resolve();
          },
        });
      }),
  };
}

describe('paper run on the bundled real data (golden)', () => {
  let golden: Awaited<ReturnType<typeof journalDump>>;

  it('produces an identical journal and summary when run twice', async () => {
    const a = join(dir, 'a.sqlite');
    const b = join(dir, 'b.sqlite');
    const sa = await paper(a);
    const sb = await paper(b);
    expect(sa.trades).toBeGreaterThan(20);
    expect({ ...sb, dbPath: '' }).toEqual({ ...sa, dbPath: '' });
    golden = await journalDump(a);
    expect(await journalDump(b)).toEqual(golden);
    expect(golden.events.length).toBe(sa.events);
  });

  it('running again on the same journal writes nothing new and reports the same result', async () => {
    const a = join(dir, 'a.sqlite');
    const again = await paper(a);
    expect(again.events).toBe(golden.events.length);
    expect(await journalDump(a)).toEqual(golden);
  });

  it('survives SIGKILL mid-run: the rerun completes the journal exactly as an uninterrupted run', async () => {
    const db = join(dir, 'killed.sqlite');
    const first = cli(db);
    await first.killAfter(/progress\s+(3\d|4\d|5\d)%/);
    expect(await first.done).toBe(null); // killed by signal
    const partial = await journalDump(db);
    expect(partial.events.length).toBeGreaterThan(0);
    expect(partial.events.length).toBeLessThan(golden.events.length);
    const second = cli(db);
    expect(await second.done).toBe(0);
    expect(await journalDump(db)).toEqual(golden);
  }, 120_000);

  it('with exchange.fundingRate, perpetual positions pay funding every 8 h: journalled, in the summary and the equity, replayed identically', async () => {
    const db = join(dir, 'funding.sqlite');
    const config = runnerConfigSchema.parse({ ...WINDOW, db, exchange: { fundingRate: 0.0005 } });
    const run = () => runPaper({ config, data: loadSymbolData(config), dbPath: db, speed: 'max', logger: pino({ level: 'silent' }) });
    const first = await run();
    const dump = await journalDump(db);
    const paid = dump.events.filter((j) => j.event.type === 'FundingPaid').map((j) => j.event);
    expect(paid.length).toBeGreaterThan(5);
    for (const p of paid) expect(new Date(p.ts).getUTCHours() % 8).toBe(0);
    const total = paid.reduce((sum, p) => sum + (p.type === 'FundingPaid' ? p.amount : 0), 0);
    expect(first.funding).toBeCloseTo(total, 2);
    expect(first.funding).not.toBe(0);
    expect(first.finalEquity).toBeCloseTo(config.initialBalance + first.realizedPnl + first.unrealizedPnl + first.funding, 1);
    // a rerun on the same journal adds nothing and reports the same
    const again = await run();
    expect(again).toEqual(first);
    expect((await journalDump(db)).events).toEqual(dump.events);
  });

  it('continues the same session when only the config\'s live section differs (it is not part of a paper run)', async () => {
    const a = join(dir, 'a.sqlite');
    const config = runnerConfigSchema.parse({ ...WINDOW, db: a, live: { mode: 'demo', orderUpdates: 'poll' } });
    const again = await runPaper({ config, data: loadSymbolData(config), dbPath: a, speed: 'max', logger: pino({ level: 'silent' }) });
    expect(again.events).toBe(golden.events.length);
  });

  it('refuses to continue a journal written by a different configuration', async () => {
    const a = join(dir, 'a.sqlite');
    const config = runnerConfigSchema.parse({ ...WINDOW, db: a, risk: { maxNotionalPerTrade: 500 } });
    await expect(
      runPaper({ config, data: loadSymbolData(config), dbPath: a, speed: 'max', logger: pino({ level: 'silent' }) }),
    ).rejects.toThrow(/holds the journal of a different paper session/);
  });
});
