// Journal appends/s on SQLite and PostgreSQL, relative to raw inserts of the same rows through the same driver in
// one transaction per batch (target ratio ≤ 2). Prints ONE JSON object on stdout; progress goes to stderr.
//
//   npx tsx packages/adapters/sql/bench/journal.bench.ts            (from the repository root)
//
// Workload: the paper-like event stream of ./paper-mix.ts in batches of 100. "Raw" inserts exactly the rows the
// journal ends up writing for each batch — the event rows (seq, id, type, ts, JSON payload) and the projection rows
// the batch creates, as they stand after the batch — with the driver's plain multi-row tools: better-sqlite3
// prepared INSERTs in one `BEGIN IMMEDIATE` transaction; for pg, one multi-row `INSERT … VALUES` per table between
// BEGIN and COMMIT, pipelined like the journal's client. Raw skips what makes the journal a journal: duplicate
// detection, seq assignment under the writer lock, the projection's patches of earlier rows, validation.
// Each measurement runs ROUNDS times on a fresh database, journal and raw alternating; the median counts.
// PostgreSQL: QT_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test (a fresh schema per run, dropped after).
// Sizes: QT_BENCH_SCALE=0.2 for a quick look.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DomainEvent, ProjectionTable } from '@quantum-trader/core';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  planAppend,
  prepareAppend,
  PROJECTION_TABLES,
  rowKey,
  type AnyRecord,
} from '../src/postgres/postgres-append-plan.js';
import { PostgresJournal, SqliteJournal } from '../src/index.js';
import { encodeValue, PROJECTION_COLUMNS } from '../src/schema/projection-columns.js';
import { paperMix } from './paper-mix.js';

const SCALE = Number(process.env['QT_BENCH_SCALE'] ?? 1);
const BATCH = 100;
const ROUNDS = 3;
const SIZES = {
  sqlite: { batched: Math.round(40_000 * SCALE), single: Math.round(3_000 * SCALE) },
  postgres: { batched: Math.round(10_000 * SCALE), single: Math.round(400 * SCALE) },
};
const url = process.env['QT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const log = (line: string) => process.stderr.write(`[journal.bench] ${line}\n`);

/** The rows one batch makes the journal write: new events with their seqs, and the projection rows it creates. */
interface RawBatch {
  readonly events: readonly { readonly seq: number; readonly event: DomainEvent }[];
  readonly rows: { readonly [T in ProjectionTable]: readonly AnyRecord[] };
}

/** Replays the stream in memory with the journal's own planner, to know which rows each batch writes. */
function rawBatches(events: readonly DomainEvent[], size: number): RawBatch[] {
  const ids = new Set<string>();
  const rows = Object.fromEntries(PROJECTION_TABLES.map((t) => [t, new Map<string, AnyRecord>()])) as Record<ProjectionTable, Map<string, AnyRecord>>;
  let lastSeq = 0;
  const out: RawBatch[] = [];
  for (let i = 0; i < events.length; i += size) {
    const plan = planAppend(prepareAppend(events.slice(i, i + size)), { lastSeq, eventIds: ids, rows });
    out.push({ events: plan.events.map((event, k) => ({ seq: lastSeq + 1 + k, event })), rows: plan.inserts });
    lastSeq += plan.events.length;
    for (const e of plan.events) ids.add(e.id);
    for (const t of PROJECTION_TABLES) for (const r of plan.inserts[t]) rows[t].set(rowKey(t, r), r);
    for (const [t, updated] of Object.entries(plan.updates)) for (const r of updated) rows[t as ProjectionTable].set(rowKey(t as ProjectionTable, r), r);
  }
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(work: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const perSec = (n: number, ms: number) => Math.round((n / ms) * 1000);

/** Column lists and value encoders of the tables, for raw inserts. */
const TABLES = PROJECTION_TABLES.map((t) => {
  const spec = PROJECTION_COLUMNS[t];
  return { t, table: spec.table, columns: spec.columns.map((c) => c.column), encode: (r: AnyRecord) => spec.columns.map((c) => encodeValue(c.codec, r[c.field])) };
});
const eventValues = (e: { seq: number; event: DomainEvent }) => [e.seq, e.event.id, e.event.type, e.event.ts, JSON.stringify(e.event)];

async function benchSqlite(events: readonly DomainEvent[], batches: readonly RawBatch[], singles: readonly DomainEvent[]) {
  const dir = mkdtempSync(join(tmpdir(), 'qt-journal-bench-'));
  let file = 0;
  const fresh = async () => {
    const path = join(dir, `run-${++file}.db`);
    (await SqliteJournal.open(path)).close(); // migrated, WAL, synchronous NORMAL
    return path;
  };
  try {
    const journalMs: number[] = [];
    const rawMs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const journal = await SqliteJournal.open(await fresh());
      journalMs.push(await timed(() => {
        for (let i = 0; i < events.length; i += BATCH) journal.append(events.slice(i, i + BATCH));
      }));
      journal.close();

      const db = new Database(await fresh());
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const insertEvent = db.prepare('insert into events (seq, id, type, ts, payload) values (?, ?, ?, ?, ?)');
      const inserts = new Map(TABLES.map((x) => [x.t, { stmt: db.prepare(`insert into ${x.table} (${x.columns.join(', ')}) values (${x.columns.map(() => '?').join(', ')})`), encode: x.encode }]));
      const write = db.transaction((b: RawBatch) => {
        for (const e of b.events) insertEvent.run(eventValues(e));
        for (const [t, ins] of inserts) for (const r of b.rows[t]) ins.stmt.run(ins.encode(r));
      });
      rawMs.push(await timed(() => {
        for (const b of batches) write.immediate(b);
      }));
      db.close();
      log(`sqlite round ${round}: journal ${perSec(events.length, journalMs.at(-1)!)} events/s, raw ${perSec(events.length, rawMs.at(-1)!)} events/s`);
    }
    const single = await SqliteJournal.open(await fresh());
    const singleMs = await timed(() => {
      for (const e of singles) single.append([e]);
    });
    single.close();
    return result(events.length, journalMs, rawMs, perSec(singles.length, singleMs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(events: readonly DomainEvent[], batches: readonly RawBatch[], singles: readonly DomainEvent[]) {
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (err) {
    return { skipped: `PostgreSQL unreachable at ${url}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const prefix = `qt_bench_${process.pid}`;
  let n = 0;
  const schemas: string[] = [];
  const fresh = async () => {
    const schema = `${prefix}_${++n}`;
    schemas.push(schema);
    await (await PostgresJournal.open(url, { schema, maxConnections: 1 })).close();
    return schema;
  };
  try {
    const journalMs: number[] = [];
    const rawMs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const journal = await PostgresJournal.open(url, { schema: await fresh(), maxConnections: 1 });
      await journal.events({ limit: 1 }); // connects outside the timing, as raw does
      journalMs.push(await timed(async () => {
        for (let i = 0; i < events.length; i += BATCH) await journal.append(events.slice(i, i + BATCH));
      }));
      await journal.close();

      const schema = await fresh();
      const client = new pg.Client({ connectionString: url, pipeline: true });
      await client.connect();
      const q = (t: string) => `"${schema}"."${t}"`;
      rawMs.push(await timed(async () => {
        for (const b of batches) {
          const queries = [client.query('begin'), insertValues(client, q('events'), ['seq', 'id', 'type', 'ts', 'payload'], b.events.map(eventValues))];
          for (const x of TABLES) {
            const rows = b.rows[x.t];
            if (rows.length > 0) queries.push(insertValues(client, q(x.table), x.columns, rows.map(x.encode)));
          }
          queries.push(client.query('commit'));
          await Promise.all(queries);
        }
      }));
      await client.end();
      log(`postgres round ${round}: journal ${perSec(events.length, journalMs.at(-1)!)} events/s, raw ${perSec(events.length, rawMs.at(-1)!)} events/s`);
    }
    const single = await PostgresJournal.open(url, { schema: await fresh(), maxConnections: 1 });
    await single.events({ limit: 1 });
    const singleMs = await timed(async () => {
      for (const e of singles) await single.append([e]);
    });
    await single.close();
    return result(events.length, journalMs, rawMs, perSec(singles.length, singleMs));
  } finally {
    for (const s of schemas) await admin.query(`drop schema if exists "${s}" cascade`);
    await admin.end();
  }
}

/** One multi-row `INSERT … VALUES ($1, …), (…)`, as a raw pg writer sends it. */
function insertValues(client: pg.Client, table: string, columns: readonly string[], rows: readonly unknown[][]) {
  const values: unknown[] = [];
  const tuples = rows.map((r) => `(${r.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
  return client.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, values);
}

function result(events: number, journalMs: readonly number[], rawMs: readonly number[], singleEventAppendsPerSec: number) {
  const journal = perSec(events, median(journalMs));
  const raw = perSec(events, median(rawMs));
  return {
    journalEventsPerSec: journal,
    rawEventsPerSec: raw,
    ratio: Math.round((raw / journal) * 100) / 100,
    target: 2,
    singleEventAppendsPerSec,
    events,
    rounds: journalMs.length,
  };
}

const started = performance.now();
const sqliteEvents = paperMix(SIZES.sqlite.batched);
const pgEvents = paperMix(SIZES.postgres.batched);
const mix: Record<string, number> = {};
for (const e of sqliteEvents) mix[e.type] = (mix[e.type] ?? 0) + 1;
log(`workload: ${sqliteEvents.length} events for SQLite, ${pgEvents.length} for PostgreSQL, batches of ${BATCH}`);

const sqlite = await benchSqlite(sqliteEvents, rawBatches(sqliteEvents, BATCH), sqliteEvents.slice(0, SIZES.sqlite.single));
const postgres = await benchPostgres(pgEvents, rawBatches(pgEvents, BATCH), pgEvents.slice(0, SIZES.postgres.single));

process.stdout.write(
  `${JSON.stringify({
    bench: 'journal',
    unit: 'events/s',
    batch: BATCH,
    mix: Object.fromEntries(Object.entries(mix).map(([t, c]) => [t, Math.round((c / sqliteEvents.length) * 1000) / 1000])),
    sqlite,
    postgres,
    host: { node: process.version, cpus: cpus().length, loadavg1m: Math.round(loadavg()[0]! * 10) / 10 },
    seconds: Math.round((performance.now() - started) / 100) / 10,
  })}\n`,
);
if ('skipped' in postgres && process.env['CI'] === 'true') process.exitCode = 1;
