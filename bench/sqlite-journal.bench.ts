// sqlite_journal_append: @quantum-trader/sql's SqliteJournal.append versus raw better-sqlite3 inserts of the same rows
// in one transaction per batch (target ratio <= 2), on the event stream of a real backtest (the engine of
// backtest_vs_handloop over 300k one-minute candles: signals, intents, orders, fills, positions, exit plans,
// snapshots). Prints ONE JSON object on stdout.
//   npx tsx bench/sqlite-journal.bench.ts
//
// "Raw" writes exactly the rows the journal ends up writing for each batch — the event rows (seq, id, type, ts, JSON
// payload) and the projection rows the batch creates or changes, as they stand after the batch, column-encoded like
// the journal's — with prepared INSERT OR REPLACE statements inside one BEGIN IMMEDIATE … COMMIT. The rows are
// planned with the sql package's own append planner; raw skips what makes a journal a journal (duplicate detection,
// seq assignment, patching earlier rows, validation). Both use the same file settings (WAL, synchronous NORMAL).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DomainEvent, ProjectionTable } from '@quantum-trader/core';
import { SqliteJournal, type SqliteDatabase } from '@quantum-trader/sql';
import {
  planAppend,
  prepareAppend,
  PROJECTION_TABLES,
  rowKey,
  type AnyRecord,
} from '../packages/adapters/sql/src/postgres/postgres-append-plan.js';
import { encodeValue, PROJECTION_COLUMNS } from '../packages/adapters/sql/src/schema/projection-columns.js';
import { BENCH_CONFIG, runEngine } from './lib/engine-run.js';
import { emit, median, progress, round } from './lib/measure.js';
import { minuteCandles } from './lib/minute-candles.js';

const NAME = 'sqlite_journal_append';
const BATCH = Number(process.argv[2] ?? 100);
const ROUNDS = 5;
const ROOT = process.env.QT_REPO_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
// better-sqlite3 is the sql package's dependency (native, never bundled): load it the way that package would.
const requireFromSql = createRequire(join(ROOT, 'packages/adapters/sql/package.json'));
type DatabaseCtor = new (path: string) => SqliteDatabase & {
  pragma(s: string): unknown;
  exec(sql: string): unknown;
  close(): void;
};
const Database = requireFromSql('better-sqlite3') as DatabaseCtor;

interface RawBatch {
  readonly events: readonly { readonly seq: number; readonly event: DomainEvent }[];
  readonly rows: { readonly [T in ProjectionTable]: readonly AnyRecord[] };
}

/** Replays the batches in memory with the journal's planner: the rows each batch leaves written. */
function rawBatches(batches: readonly (readonly DomainEvent[])[]): RawBatch[] {
  const ids = new Set<string>();
  const rows = Object.fromEntries(PROJECTION_TABLES.map((t) => [t, new Map<string, AnyRecord>()])) as Record<ProjectionTable, Map<string, AnyRecord>>;
  let lastSeq = 0;
  const out: RawBatch[] = [];
  for (const batch of batches) {
    const plan = planAppend(prepareAppend(batch), { lastSeq, eventIds: ids, rows });
    const written = Object.fromEntries(PROJECTION_TABLES.map((t) => [t, [...plan.inserts[t]]])) as Record<ProjectionTable, AnyRecord[]>;
    for (const [t, updated] of Object.entries(plan.updates)) written[t as ProjectionTable].push(...(updated as AnyRecord[]));
    out.push({ events: plan.events.map((event, k) => ({ seq: lastSeq + 1 + k, event })), rows: written });
    lastSeq += plan.events.length;
    for (const e of plan.events) ids.add(e.id);
    for (const t of PROJECTION_TABLES) for (const r of written[t]) rows[t].set(rowKey(t, r), r);
  }
  return out;
}

const TABLES = PROJECTION_TABLES.map((t) => {
  const spec = PROJECTION_COLUMNS[t];
  return {
    t,
    table: spec.table,
    columns: spec.columns.map((c) => c.column),
    encode: (r: AnyRecord) => spec.columns.map((c) => encodeValue(c.codec, r[c.field])),
  };
});

function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

progress(NAME, 'recording the event stream of a 300k-candle backtest');
const recorded = runEngine(minuteCandles(300_000), BENCH_CONFIG, false, true);
const events = recorded.journal!.events().map((j) => j.event);
const batches = chunks(events, BATCH);
const raws = rawBatches(batches);
const dir = mkdtempSync(join(tmpdir(), 'qt-sqlite-bench-'));
let files = 0;
/** A fresh, migrated journal file (WAL, synchronous NORMAL), opened through our own better-sqlite3 handle. */
async function fresh(): Promise<InstanceType<DatabaseCtor>> {
  const db = new Database(join(dir, `run-${++files}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  (await SqliteJournal.open(db)).close();
  return db;
}

try {
  const journalMs: number[] = [];
  const rawMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    progress(NAME, `round ${r + 1}/${ROUNDS}`);
    const jdb = await fresh();
    const journal = await SqliteJournal.open(jdb);
    let t0 = performance.now();
    for (const b of batches) journal.append(b);
    journalMs.push(performance.now() - t0);
    journal.close();
    jdb.close();

    const db = await fresh();
    const insertEvent = db.prepare('insert into events (seq, id, type, ts, payload) values (?, ?, ?, ?, ?)');
    const inserts = TABLES.map((x) => ({
      ...x,
      stmt: db.prepare(`insert or replace into ${x.table} (${x.columns.join(', ')}) values (${x.columns.map(() => '?').join(', ')})`),
    }));
    const write = db.transaction((b: RawBatch) => {
      for (const e of b.events) insertEvent.run([e.seq, e.event.id, e.event.type, e.event.ts, JSON.stringify(e.event)]);
      for (const x of inserts) for (const row of b.rows[x.t]) x.stmt.run(x.encode(row));
    });
    t0 = performance.now();
    for (const b of raws) write.immediate(b);
    rawMs.push(performance.now() - t0);
    db.close();
  }
  const j = median(journalMs);
  const raw = median(rawMs);
  emit({
    name: NAME,
    ok: true,
    events: events.length,
    batchSize: BATCH,
    ratio: round(j / raw),
    target: { ratio: 2 },
    journal: { ms: round(j, 1), eventsPerSec: Math.round((events.length / j) * 1000) },
    raw: { ms: round(raw, 1), eventsPerSec: Math.round((events.length / raw) * 1000) },
    workload: `the ${events.length} journal events of the backtest_vs_handloop engine over 300k one-minute candles, appended in batches of ${BATCH}; file on ${tmpdir()}, WAL, synchronous NORMAL`,
    timing: `median of ${ROUNDS} rounds, each on a fresh file; raw = prepared INSERT OR REPLACE of the same event and projection rows in one transaction per batch`,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
