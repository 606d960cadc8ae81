import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryJournal, type Journal } from '@quantum-trader/core';
import { PostgresJournal, SqliteJournal } from '../src/index.js';
import { readAll } from '../../../core/test/contracts/journal-fixtures.js';
import { CYCLES, expectedIds, ownIds, writerBatches } from './fixtures/overlapping-writes.js';
import { describePostgres, postgresAvailable, postgresUrl } from './support/postgres-server.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const writerScript = fileURLToPath(new URL('./fixtures/concurrent-writer.ts', import.meta.url));

/** Three writer processes at once; the last is SIGKILLed once it has appended this many events. */
const WRITERS = [0, 1];
const KILLED = 2;
const KILL_AFTER_EVENTS = 80;

interface AppendTotals {
  readonly appended: number;
  readonly duplicates: number;
}

interface WriterSummary {
  readonly writer: number;
  readonly events: number;
  readonly sqlite: AppendTotals;
  readonly postgres?: AppendTotals;
}

/** A started writer: `ready` once its journals are open; `go()` lets it append; `done` settles when it exits. */
interface Writer {
  readonly ready: Promise<void>;
  go(): void;
  readonly done: Promise<WriterSummary | 'killed'>;
}

/**
 * Starts one writer process. It runs to its end (its summary) or, with `killAfter`, is SIGKILLed once it has
 * appended that many events to every journal (plus a random moment, to land inside an append).
 */
function startWriter(args: readonly string[], killAfter?: number): Writer {
  // node --import tsx, not the tsx CLI: the CLI runs the script in a child process that SIGKILL would orphan.
  const child = spawn(process.execPath, ['--import', 'tsx', writerScript, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let killing = false;
  let isReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (isReady = resolve));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) isReady();
    if (killAfter === undefined || killing) return;
    const counts = [...chunk.toString().matchAll(/appended (\d+)/g)].map((m) => Number(m[1]));
    if (counts.some((n) => n >= killAfter)) {
      killing = true;
      setTimeout(() => child.kill('SIGKILL'), Math.random() * 15);
    }
  });
  const done = new Promise<WriterSummary | 'killed'>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      isReady(); // a writer that died while opening must not hold the others back
      if (signal === 'SIGKILL' && killing) return resolve('killed');
      const summary = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && summary.startsWith('{')) return resolve(JSON.parse(summary) as WriterSummary);
      reject(new Error(`writer ${args.join(' ')} exited with ${code ?? signal}:\n${stderr}`));
    });
  });
  return { ready, go: () => child.stdin.write('go\n'), done };
}

/**
 * One log, whatever the interleaving: each id once, seq 1..n, projections equal to a replay of the log, every order
 * filled by the sum of its fills — and of the killed writer's own events, exactly a prefix: an append is all or
 * nothing even when its process dies inside it.
 */
async function expectOneConsistentLog(journal: Journal, summaries: readonly WriterSummary[], backend: 'sqlite' | 'postgres'): Promise<void> {
  for (const s of summaries) {
    expect(s.events).toBe(writerBatches(s.writer).flat().length);
    expect(s[backend]!.appended + s[backend]!.duplicates).toBe(s.events);
  }
  const log = await journal.events();
  const stored = log.map((e) => e.event.id);
  expect(new Set(stored).size).toBe(stored.length);
  expect(log.map((e) => e.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));

  const killedOwn = ownIds(KILLED);
  const survived = killedOwn.filter((id) => stored.includes(id));
  expect(survived).toEqual(killedOwn.slice(0, survived.length));
  const committedBeforeKill = writerBatches(KILLED).flat().slice(0, KILL_AFTER_EVENTS).filter((e) => killedOwn.includes(e.id));
  expect(survived.length).toBeGreaterThanOrEqual(committedBeforeKill.length);
  expect(new Set(stored)).toEqual(new Set([...expectedIds(WRITERS), ...survived]));

  const replay = new MemoryJournal();
  replay.append(log.map((e) => e.event));
  expect(await readAll(journal)).toEqual(await readAll(replay));

  const orders = await journal.orders();
  expect(orders).toHaveLength(CYCLES);
  for (const order of orders) {
    const fills = await journal.fills(order.clientOrderId);
    expect(fills.map((f) => f.fillSeq)).toEqual([1, 2]);
    expect(order.status).toBe('filled');
    expect(order.filledQty).toBeCloseTo(fills.reduce((sum, f) => sum + f.qty, 0), 12);
    expect(order.fees).toBeCloseTo(fills.reduce((sum, f) => sum + f.fee, 0), 12);
  }
  expect(await journal.positions({ status: 'closed' })).toHaveLength(CYCLES);
  expect(await journal.trades()).toHaveLength(CYCLES);
  expect(await journal.snapshots()).toHaveLength(CYCLES);
}

describe('concurrent writer processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qt-writers-'));
  const path = join(dir, 'journal.db');
  const schema = `qt_test_writers_${process.pid}_${Date.now().toString(36)}`;
  let summaries: WriterSummary[] = [];
  beforeAll(async () => {
    // Each process appends every batch to the SQLite file and, when the server answers, to the PostgreSQL schema;
    // they also race to create the file, the schema and the tables.
    const args = (w: number) => [String(w), path, ...(postgresAvailable ? [postgresUrl, schema] : [])];
    const writers = [startWriter(args(KILLED), KILL_AFTER_EVENTS), ...WRITERS.map((w) => startWriter(args(w)))];
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    const [killed, ...finished] = await Promise.all(writers.map((w) => w.done));
    expect(killed).toBe('killed');
    summaries = finished as WriterSummary[];
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!postgresAvailable) return;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  });

  it('store every event once in one SQLite file, gap-free and fully projected, though one was killed mid-append', async () => {
    const check = new Database(path, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const journal = await SqliteJournal.open(path);
    try {
      await expectOneConsistentLog(journal, summaries, 'sqlite');
    } finally {
      journal.close();
    }
  });

  describePostgres('on PostgreSQL', () => {
    it('store every event once in one schema, gap-free and fully projected, though one was killed mid-append', async () => {
      const journal = await PostgresJournal.open(postgresUrl, { schema, maxConnections: 2 });
      try {
        await expectOneConsistentLog(journal, summaries, 'postgres');
      } finally {
        await journal.close();
      }
    });
  });
});
