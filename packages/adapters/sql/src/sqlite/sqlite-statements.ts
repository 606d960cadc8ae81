import type { Compilable } from 'kysely';
import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Bind } from '../query/journal-queries.js';
import type { JournalDatabase } from '../schema/journal-database.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** Builds SQLite SQL without a connection: the journal only compiles with it. */
const compiler = new Kysely<JournalDatabase>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** A placeholder in a compiled query: where the value of a later call comes from. */
class Slot {
  constructor(readonly get: (source: never) => unknown) {}
}

const placeholder = ((get: (source: never) => unknown) => new Slot(get)) as Bind<never>;

/**
 * A query compiled by kysely once and prepared once; each call binds values read from a source object.
 */
export interface CompiledStatement<S> {
  /** Runs a write; returns the number of rows changed. */
  run(source: S): number;
  get<R>(source: S): R | undefined;
  all<R>(source: S): R[];
}

/**
 * Compiles `build`'s query with placeholders and prepares it on `db`.
 */
export function compileStatement<S>(
  db: SqliteDatabase,
  build: (db: Kysely<JournalDatabase>, bind: Bind<S>) => Compilable,
): CompiledStatement<S> {
  const compiled = build(compiler, placeholder as Bind<S>).compile();
  const stmt = db.prepare(compiled.sql);
  const getters = compiled.parameters.map((p) => (p instanceof Slot ? (p.get as (s: S) => unknown) : () => p));
  const n = getters.length;
  const args = (source: S): unknown[] => {
    const a = new Array<unknown>(n);
    for (let i = 0; i < n; i++) a[i] = getters[i]!(source);
    return a;
  };
  return {
    run: (source) => Number(stmt.run(args(source)).changes),
    get: <R>(source: S) => stmt.get(args(source)) as R | undefined,
    all: <R>(source: S) => stmt.all(args(source)) as R[],
  };
}

/**
 * Statements whose SQL depends on the shape of the call (which fields a patch sets, how many statuses a filter
 * lists), compiled on first use and reused for every later call of the same shape.
 */
export class StatementCache {
  readonly #db: SqliteDatabase;
  readonly #statements = new Map<string, CompiledStatement<never>>();

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  get<S>(id: string, build: (db: Kysely<JournalDatabase>, bind: Bind<S>) => Compilable): CompiledStatement<S> {
    let stmt = this.#statements.get(id) as CompiledStatement<S> | undefined;
    if (stmt === undefined) {
      stmt = compileStatement(this.#db, build);
      this.#statements.set(id, stmt as CompiledStatement<never>);
    }
    return stmt;
  }
}
