import { createHash } from 'node:crypto';
import type { ProjectionTable } from '@quantum-trader/core';
import { decodeRow, encodeValue, PROJECTION_COLUMNS, type TableSpec } from '../schema/projection-columns.js';
import {
  PATCHABLE_TABLES,
  PROJECTION_TABLES,
  rowKey,
  type AnyRecord,
  type AppendLookup,
  type AppendPlan,
  type StoredRows,
} from './postgres-append-plan.js';

// The three statements of a PostgreSQL append, as SQL text for one schema. They use PostgreSQL-only SQL (json
// functions, data-modifying CTEs), so they are written here rather than built with kysely for every dialect; the
// table and column names still come from the one schema description (PROJECTION_COLUMNS).

/** A statement that `pg` prepares once per connection, by name, and then only binds and executes. */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

/** The statements of {@link PostgresJournal}'s append on one schema. */
export interface AppendStatements {
  /** Opens the transaction and takes the append lock (simple protocol: no parameters, one round trip). */
  readonly begin: string;
  readonly read: NamedStatement;
  readonly write: NamedStatement;
}

/** The tables whose stored rows are read in full (a patch needs the row); for the others the key is enough. */
const READ_IN_FULL: ReadonlySet<ProjectionTable> = new Set(PATCHABLE_TABLES);

/** Read columns, in this order, of the one-row result of the read statement (after `last_seq` and `event_ids`). */
const READ_TABLES = ['orders', 'fills', 'positions', 'trades', 'exitPlans'] as const satisfies readonly ProjectionTable[];

/** Writes CTEs in this order; its parameters follow `$1` (last seq) and `$2` (events). */
const WRITES: readonly { readonly table: ProjectionTable; readonly op: 'insert' | 'update' }[] = [
  ...PROJECTION_TABLES.map((table) => ({ table, op: 'insert' as const })),
  ...PATCHABLE_TABLES.map((table) => ({ table, op: 'update' as const })),
];

/**
 * Builds the append statements for a schema.
 *
 * - `begin`: `BEGIN ISOLATION LEVEL READ COMMITTED`, round-trip-exact float output, and an `EXCLUSIVE` lock on the
 *   event table, which every writer takes first and readers never wait for. Sequence numbers are therefore gap-free
 *   and in commit order, and what the read sees cannot change before the commit.
 * - `read`: one row: the last seq, the batch's ids already stored, and the stored rows its projection writes touch.
 * - `write`: one statement with one multi-row `INSERT … SELECT FROM json_…` per table (and one `UPDATE … FROM` per
 *   patched table). The inserts carry no `ON CONFLICT`: the plan already left out every stored id and key, so a
 *   conflict could only come from a writer that skipped the lock, and must fail the whole append.
 */
export function appendStatements(schema: string): AppendStatements {
  const t = (table: string) => `${quote(schema)}.${quote(table)}`;
  const events = t('events');

  const reads = READ_TABLES.map((table, i) => {
    const spec = PROJECTION_COLUMNS[table];
    const columns = READ_IN_FULL.has(table) ? spec.readColumns : spec.readColumns.filter((c) => spec.keyColumns.includes(c.column));
    const select = columns.map((c) => `${quote(c.column)} as ${quote(c.field)}`).join(', ');
    const keyColumn = spec.keyColumns[0]!;
    return `(select json_agg(r) from (select ${select} from ${t(spec.table)} where ${quote(keyColumn)} = any($${i + 2}::text[])) r) as ${quote(table)}`;
  });
  const readText =
    `select (select coalesce(max(seq), 0) from ${events}) as last_seq, ` +
    `(select json_agg(id) from ${events} where id = any($1::text[])) as event_ids, ${reads.join(', ')}`;

  const ctes = WRITES.map(({ table, op }, i) => {
    const spec = PROJECTION_COLUMNS[table];
    const param = `$${i + 3}::json`;
    const source = `json_populate_recordset(null::${t(spec.table)}, ${param})`;
    if (op === 'insert') {
      const columns = spec.columns.map((c) => quote(c.column)).join(', ');
      return `i_${spec.table} as (insert into ${t(spec.table)} (${columns}) select ${columns} from ${source})`;
    }
    const changed = spec.columns.filter((c) => c.column !== 'seq' && !spec.keyColumns.includes(c.column));
    const key = quote(spec.keyColumns[0]!);
    return (
      `u_${spec.table} as (update ${t(spec.table)} as t set (${changed.map((c) => quote(c.column)).join(', ')}) = ` +
      `(${changed.map((c) => `v.${quote(c.column)}`).join(', ')}) from ${source} as v where t.${key} = v.${key})`
    );
  });
  const writeText =
    `with e as (insert into ${events} (seq, id, type, ts, payload) ` +
    `select $1::bigint + n, x->>'id', x->>'type', (x->>'ts')::bigint, x::text ` +
    `from json_array_elements($2::json) with ordinality as a(x, n)), ${ctes.join(', ')} select 1 as done`;

  return {
    begin: `begin isolation level read committed; set local extra_float_digits = 3; lock table ${events} in exclusive mode`,
    read: named(readText),
    write: named(writeText),
  };
}

/** Parameters of the read statement. */
export function readParameters(lookup: AppendLookup): unknown[] {
  return [lookup.eventIds, ...READ_TABLES.map((table) => lookup[table])];
}

/** The one row the read statement returns, decoded. */
export function storedRowsOf(row: Record<string, unknown>): StoredRows {
  const rows: { [T in ProjectionTable]?: Map<string, AnyRecord> } = {};
  for (const table of READ_TABLES) {
    const found = row[table] as AnyRecord[] | null;
    if (found === null || found.length === 0) continue;
    const spec = PROJECTION_COLUMNS[table];
    const byKey = new Map<string, AnyRecord>();
    for (const raw of found) {
      const record = READ_IN_FULL.has(table) ? decodeRow<AnyRecord>(spec, raw) : raw;
      byKey.set(rowKey(table, record), record);
    }
    rows[table] = byKey;
  }
  return {
    lastSeq: Number(row['last_seq']),
    eventIds: new Set((row['event_ids'] as string[] | null) ?? []),
    rows,
  };
}

/** Parameters of the write statement. */
export function writeParameters(plan: AppendPlan): unknown[] {
  const parameters: unknown[] = [plan.lastSeq, JSON.stringify(plan.events)];
  for (const { table, op } of WRITES) {
    const rows = op === 'insert' ? plan.inserts[table] : plan.updates[table as (typeof PATCHABLE_TABLES)[number]];
    parameters.push(rows.length === 0 ? '[]' : JSON.stringify(rows.map((r) => encodeRow(PROJECTION_COLUMNS[table], r))));
  }
  return parameters;
}

/** A record as the table's columns, named as in the table, for `json_populate_recordset`. */
function encodeRow(spec: TableSpec, record: AnyRecord): AnyRecord {
  const out: AnyRecord = {};
  for (const c of spec.columns) out[c.column] = encodeValue(c.codec, record[c.field]);
  return out;
}

function named(text: string): NamedStatement {
  // Prepared statement names are per connection and at most 63 bytes; the hash keeps schemas (and versions of the
  // text) apart on a shared pool.
  return { name: `qt_journal_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
}

/** A quoted SQL identifier. */
export function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
