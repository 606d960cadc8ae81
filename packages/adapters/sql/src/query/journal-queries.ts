import type {
  DomainEvent,
  EventQuery,
  PatchableTable,
  ProjectionPatch,
  ProjectionTable,
} from '@quantum-trader/core';
import type { Kysely } from 'kysely';
import { encodeValue, PROJECTION_COLUMNS } from '../schema/projection-columns.js';
import type { JournalDatabase } from '../schema/journal-database.js';

// The journal's statements, built once with kysely for every dialect. Each builder receives a `bind` that supplies
// the bound values: the SQLite journal passes placeholders and compiles the query once into a prepared statement;
// an async journal passes the values themselves and executes the query directly.

/**
 * Supplies one bound value read from a source object: the value itself, or a placeholder standing in for it.
 */
export type Bind<S> = <V>(get: (source: S) => V) => V;

// Projection columns are chosen from PROJECTION_COLUMNS at run time, which kysely's static column types cannot
// follow; these builders use an untyped view of the same database.
type AnyDb = Kysely<any>;

/** What {@link insertEventQuery} binds. */
export interface EventInsert {
  readonly seq: number;
  readonly event: DomainEvent;
  readonly payload: string;
}

/** `INSERT INTO events … ON CONFLICT (id) DO NOTHING`: 0 rows changed means the id is already stored. */
export function insertEventQuery(db: Kysely<JournalDatabase>, bind: Bind<EventInsert>) {
  return db
    .insertInto('events')
    .values({
      seq: bind((s) => s.seq),
      id: bind((s) => s.event.id),
      type: bind((s) => s.event.type),
      ts: bind((s) => s.event.ts),
      payload: bind((s) => s.payload),
    })
    .onConflict((oc) => oc.column('id').doNothing());
}

/** The highest stored seq (null when the log is empty). */
export function lastSeqQuery(db: Kysely<JournalDatabase>) {
  return db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq'));
}

/** `INSERT … ON CONFLICT (key) DO NOTHING` of one projection row: 0 rows changed means the key exists. */
export function insertRowQuery(db: Kysely<JournalDatabase>, table: ProjectionTable, bind: Bind<object>) {
  const spec = PROJECTION_COLUMNS[table];
  const values: Record<string, unknown> = {};
  for (const c of spec.columns) {
    values[c.column] = bind((row) => encodeValue(c.codec, (row as Record<string, unknown>)[c.field]));
  }
  return (db as AnyDb)
    .insertInto(spec.table)
    .values(values)
    .onConflict((oc) => oc.columns(spec.keyColumns as string[]).doNothing());
}

/** The fields a patch touches: patches of one shape share one statement. */
export interface PatchShape {
  readonly table: PatchableTable;
  readonly set: readonly string[];
  readonly inc: readonly string[];
  readonly max: readonly string[];
  readonly statusIn: readonly string[];
  readonly guarded: readonly string[];
  /** Identifies the shape, for caching its statement. */
  readonly id: string;
}

const NONE: readonly string[] = [];

/** The {@link PatchShape} of a patch. */
export function patchShapeOf(w: ProjectionPatch): PatchShape {
  const set = w.set === undefined ? NONE : Object.keys(w.set);
  const inc = w.inc === undefined ? NONE : Object.keys(w.inc);
  const max = w.max === undefined ? NONE : Object.keys(w.max);
  const statusIn: readonly string[] = w.guarded === undefined ? NONE : w.guarded.statusIn;
  const guarded = w.guarded === undefined ? NONE : Object.keys(w.guarded.set);
  const id = `${w.table}|${set.join(',')}|${inc.join(',')}|${max.join(',')}|${statusIn.join(',')}|${guarded.join(',')}`;
  return { table: w.table, set, inc, max, statusIn, guarded, id };
}

/**
 * One `UPDATE` applying a patch without reading the row: `set`, `inc` (`col = col + ?`), `max`
 * (`col = CASE WHEN col < ? THEN ? ELSE col END`) and the status-guarded set
 * (`col = CASE WHEN status IN (…) THEN ? ELSE col END`). 0 rows changed means the row does not exist.
 */
export function patchRowQuery(db: Kysely<JournalDatabase>, shape: PatchShape, bind: Bind<ProjectionPatch>) {
  const spec = PROJECTION_COLUMNS[shape.table];
  type Field = Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const f of shape.set) {
    const c = spec.column(f);
    values[c.column] = bind((w) => encodeValue(c.codec, (w.set as Field)[f]));
  }
  for (const f of shape.inc) {
    const col = spec.column(f).column;
    const by = bind((w) => (w.inc as Field)[f]);
    values[col] = (eb: AnyEb) => eb(col, '+', by);
  }
  for (const f of shape.max) {
    const col = spec.column(f).column;
    const min = bind((w) => (w.max as Field)[f]);
    values[col] = (eb: AnyEb) => eb.case().when(col, '<', min).then(min).else(eb.ref(col)).end();
  }
  for (const f of shape.guarded) {
    const c = spec.column(f);
    const v = bind((w) => encodeValue(c.codec, (w.guarded!.set as Field)[f]));
    values[c.column] = (eb: AnyEb) => eb.case().when('status', 'in', shape.statusIn).then(v).else(eb.ref(c.column)).end();
  }
  return (db as AnyDb)
    .updateTable(spec.table)
    .set(values)
    .where(spec.keyColumns[0]!, '=', bind((w) => w.key));
}

type AnyEb = any;

/** The parts of an {@link EventQuery} that change the SQL: how many types, and whether there is a limit. */
export interface EventsShape {
  readonly typeCount: number;
  readonly limited: boolean;
}

/** `SELECT seq, payload FROM events WHERE seq > ? [AND type IN (…)] ORDER BY seq [LIMIT ?]`. */
export function selectEventsQuery(db: Kysely<JournalDatabase>, shape: EventsShape, bind: Bind<EventQuery>) {
  let q = db
    .selectFrom('events')
    .select(['seq', 'payload'])
    .where('seq', '>', bind((s) => Math.floor(s.afterSeq ?? 0)));
  if (shape.typeCount > 0) {
    q = q.where(
      'type',
      'in',
      Array.from({ length: shape.typeCount }, (_, i) => bind((s) => s.types![i]!)),
    );
  }
  q = q.orderBy('seq');
  return shape.limited ? q.limit(bind((s) => Math.max(0, Math.trunc(s.limit!)))) : q;
}

/** Values a row read filters on, by field: one value is `=`, several are `IN (…)`. */
export type RowFilter = Readonly<Record<string, readonly unknown[]>>;

/** The fields a row read filters on and how many values each: reads of one shape share one statement. */
export type RowFilterShape = readonly (readonly [field: string, count: number])[];

/**
 * The shape of a row read and its id (for caching its statement); `undefined` when a filter lists no values, so
 * the read matches nothing.
 */
export function rowFilterShapeOf(
  table: ProjectionTable,
  filter: RowFilter,
): { readonly id: string; readonly shape: RowFilterShape } | undefined {
  const shape: [string, number][] = [];
  let id: string = table;
  for (const [field, values] of Object.entries(filter)) {
    if (values.length === 0) return undefined;
    shape.push([field, values.length]);
    id += `|${field}:${values.length}`;
  }
  return { id, shape };
}

/** The {@link RowFilter} of `Journal.orders(filter)`. */
export function ordersFilter(filter: { readonly status?: readonly string[]; readonly symbol?: string }): RowFilter {
  const where: Record<string, readonly unknown[]> = {};
  if (filter.status !== undefined) where['status'] = filter.status;
  if (filter.symbol !== undefined) where['symbol'] = [filter.symbol];
  return where;
}

/** `SELECT <columns as fields> FROM <table> WHERE … ORDER BY seq`. */
export function selectRowsQuery(
  db: Kysely<JournalDatabase>,
  table: ProjectionTable,
  shape: RowFilterShape,
  bind: Bind<RowFilter>,
) {
  const spec = PROJECTION_COLUMNS[table];
  let q = (db as AnyDb).selectFrom(spec.table).select(spec.readColumns.map((c) => `${c.column} as ${c.field}`));
  for (const [field, count] of shape) {
    const col = spec.column(field).column;
    q =
      count === 1
        ? q.where(col, '=', bind((f) => f[field]![0]))
        : q.where(col, 'in', Array.from({ length: count }, (_, i) => bind((f) => f[field]![i])));
  }
  return q.orderBy('seq');
}

/** `SELECT value FROM state WHERE key = ?`. */
export function getStateQuery(db: Kysely<JournalDatabase>, bind: Bind<string>) {
  return db
    .selectFrom('state')
    .select('value')
    .where('key', '=', bind((key) => key));
}

/** Upsert of one state value. */
export function setStateQuery(db: Kysely<JournalDatabase>, bind: Bind<{ readonly key: string; readonly value: string }>) {
  return db
    .insertInto('state')
    .values({ key: bind((s) => s.key), value: bind((s) => s.value) })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })));
}
