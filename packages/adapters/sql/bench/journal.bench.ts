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
// Each measurement runs ROUNDS times on an empty database, journal and raw alternating, and is time-boxed: the
// journal appends batches for a fixed time after one untimed warm-up batch, then raw writes the very same batches;
// the medians count. PostgreSQL: QT_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test (two fresh schemas,
// dropped afterwards).
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

const BATCH = 100;
const ROUNDS = 3;
/** Each timed run stops after this long (or at the end of the stream); raw then writes the same batches. */
const BUDGET_MS = { sqlite: 1_500, postgres: 2_500, single: 1_500 };
const EVENTS = 60_000;
const url = process.env['QT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const log = (line: string) => process.stderr.write(`[journal.bench] ${line}\n`);

/** The rows one batch makes the journal write: new events with their seqs, and the projection rows it creates. */
interface RawBatch {
  readonly events: readonly { readonly seq: number; readonly event: DomainEvent }[];
  readonly rows: { readonly [T in ProjectionTable]: readonly AnyRecord[] };
}

/** Replays the stream in memory with the journal's own planner, to know which rows each batch writes. */
function rawBatches(batches: readonly (readonly DomainEvent[])[]): RawBatch[] {
  const ids = new Set<string>();
  const rows = Object.fromEntries(PROJECTION_TABLES.map((t) => [t, new Map<string, AnyRecord>()])) as Record<ProjectionTable, Map<string, AnyRecord>>;
  let lastSeq = 0;
  const out: RawBatch[] = [];
  for (const batch of batches) {
    const plan = planAppend(prepareAppend(batch), { lastSeq, eventIds: ids, rows });
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

/** Appends batches from the second one on until the budget is spent; returns how many batches and how long. */
async function appendFor(budgetMs: number, batches: readonly (readonly DomainEvent[])[], append: (b: readonly DomainEvent[]) => unknown) {
  await append(batches[0]!);
  const start = performance.now();
  let n = 1;
  while (n < batches.length && performance.now() - start < budgetMs) await append(batches[n++]!);
  return { batches: n, ms: performance.now() - start };
}

/** Writes the raw rows of batches 1..n-1 (batch 0 untimed, as for the journal). */
async function writeRaw(batches: readonly RawBatch[], n: number, write: (b: RawBatch) => unknown): Promise<number> {
  await write(batches[0]!);
  return timed(async () => {
    for (let i = 1; i < n; i++) await write(batches[i]!);
  });
}

interface Round {
  readonly events: number;
  readonly journalMs: number;
  readonly rawMs: number;
}

async function benchSqlite(events: readonly DomainEvent[]) {
  const batches = chunks(events, BATCH);
  const raws = rawBatches(batches);
  const dir = mkdtempSync(join(tmpdir(), 'qt-journal-bench-'));
  let file = 0;
  const fresh = async () => {
    const path = join(dir, `run-${++file}.db`);
    (await SqliteJournal.open(path)).close(); // migrated, WAL, synchronous NORMAL
    return path;
  };
  try {
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const journal = await SqliteJournal.open(await fresh());
      const run = await appendFor(BUDGET_MS.sqlite, batches, (b) => journal.append(b));
      journal.close();

      const db = new Database(await fresh());
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const insertEvent = db.prepare('insert into events (seq, id, type, ts, payload) values (?, ?, ?, ?, ?)');
      const inserts = TABLES.map((x) => ({ ...x, stmt: db.prepare(`insert into ${x.table} (${x.columns.join(', ')}) values (${x.columns.map(() => '?').join(', ')})`) }));
      const write = db.transaction((b: RawBatch) => {
        for (const e of b.events) insertEvent.run(eventValues(e));
        for (const x of inserts) for (const r of b.rows[x.t]) x.stmt.run(x.encode(r));
      });
      const rawMs = await writeRaw(raws, run.batches, (b) => write.immediate(b));
      db.close();
      rounds.push(record('sqlite', round, batches, run, rawMs));
    }
    const single = await SqliteJournal.open(await fresh());
    const singles = await appendFor(BUDGET_MS.single, events.map((e) => [e]), (b) => single.append(b));
    single.close();
    return result(rounds, singles);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(events: readonly DomainEvent[]) {
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (err) {
    const where = url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
    return { skipped: `PostgreSQL unreachable at ${where}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const batches = chunks(events, BATCH);
  const raws = rawBatches(batches);
  const schemas = [`qt_bench_${process.pid}_journal`, `qt_bench_${process.pid}_raw`];
  const [journalSchema, rawSchema] = schemas as [string, string];
  const empty = (schema: string) =>
    admin.query(`truncate ${['events', ...TABLES.map((x) => x.table)].map((t) => `"${schema}"."${t}"`).join(', ')}`);
  try {
    for (const schema of schemas) await (await PostgresJournal.open(url, { schema, maxConnections: 1 })).close();
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await empty(journalSchema);
      const journal = await PostgresJournal.open(url, { schema: journalSchema, maxConnections: 1 });
      const run = await appendFor(BUDGET_MS.postgres, batches, (b) => journal.append(b));
      await journal.close();

      await empty(rawSchema);
      const client = new pg.Client({ connectionString: url, pipeline: true });
      await client.connect();
      const q = (t: string) => `"${rawSchema}"."${t}"`;
      const rawMs = await writeRaw(raws, run.batches, async (b) => {
        const queries = [client.query('begin'), insertValues(client, q('events'), ['seq', 'id', 'type', 'ts', 'payload'], b.events.map(eventValues))];
        for (const x of TABLES) {
          const rows = b.rows[x.t];
          if (rows.length > 0) queries.push(insertValues(client, q(x.table), x.columns, rows.map(x.encode)));
        }
        queries.push(client.query('commit'));
        await Promise.all(queries);
      });
      await client.end();
      rounds.push(record('postgres', round, batches, run, rawMs));
    }
    await empty(journalSchema);
    const single = await PostgresJournal.open(url, { schema: journalSchema, maxConnections: 1 });
    const singles = await appendFor(BUDGET_MS.single, events.map((e) => [e]), (b) => single.append(b));
    await single.close();
    return result(rounds, singles);
  } finally {
    for (const s of schemas) await admin.query(`drop schema if exists "${s}" cascade`);
    await admin.end();
  }
}

function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** The events of timed batches 1..n-1 of a round, and its rates. */
function record(backend: string, round: number, batches: readonly (readonly DomainEvent[])[], run: { batches: number; ms: number }, rawMs: number): Round {
  let events = 0;
  for (let i = 1; i < run.batches; i++) events += batches[i]!.length;
  log(`${backend} round ${round}: ${events} events, journal ${perSec(events, run.ms)} events/s, raw ${perSec(events, rawMs)} events/s`);
  return { events, journalMs: run.ms, rawMs };
}

/** One multi-row `INSERT … VALUES ($1, …), (…)`, as a raw pg writer sends it. */
function insertValues(client: pg.Client, table: string, columns: readonly string[], rows: readonly unknown[][]) {
  const values: unknown[] = [];
  const tuples = rows.map((r) => `(${r.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
  return client.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, values);
}

function result(rounds: readonly Round[], singles: { batches: number; ms: number }) {
  const journal = median(rounds.map((r) => perSec(r.events, r.journalMs)));
  const raw = median(rounds.map((r) => perSec(r.events, r.rawMs)));
  return {
    journalEventsPerSec: journal,
    rawEventsPerSec: raw,
    ratio: Math.round(median(rounds.map((r) => r.journalMs / r.rawMs)) * 100) / 100,
    target: 2,
    singleEventAppendsPerSec: perSec(singles.batches - 1, singles.ms),
    eventsPerRound: median(rounds.map((r) => r.events)),
    rounds: rounds.length,
  };
}

const started = performance.now();
const events = paperMix(EVENTS);
const mix: Record<string, number> = {};
for (const e of events) mix[e.type] = (mix[e.type] ?? 0) + 1;
log(`workload: up to ${events.length} paper-like events in batches of ${BATCH}, ${ROUNDS} rounds per backend`);

const sqlite = await benchSqlite(events);
const postgres = await benchPostgres(events);

process.stdout.write(
  `${JSON.stringify({
    bench: 'journal',
    unit: 'events/s',
    batch: BATCH,
    mix: Object.fromEntries(Object.entries(mix).map(([t, c]) => [t, Math.round((c / events.length) * 1000) / 1000])),
    sqlite,
    postgres,
    host: { node: process.version, cpus: cpus().length, loadavg1m: Math.round(loadavg()[0]! * 10) / 10 },
    seconds: Math.round((performance.now() - started) / 100) / 10,
  })}\n`,
);
if ('skipped' in postgres && process.env['CI'] === 'true') process.exitCode = 1;
