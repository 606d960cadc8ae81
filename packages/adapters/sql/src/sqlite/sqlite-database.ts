/**
 * The parts of a better-sqlite3 `Database` the SQLite journal calls. Typed here, kysely style, so the package's types
 * do not depend on better-sqlite3's and you can pass your own (already open, pragmas set as you like) database.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * const database: SqliteDatabase = new Database('bot.db');
 * const journal = await SqliteJournal.open(database);
 * ```
 */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  transaction(fn: (...args: any[]) => unknown): SqliteTransaction;
  close(): unknown;
}

/**
 * The parts of a better-sqlite3 `Statement` the SQLite journal (and kysely's `SqliteDialect`) call.
 *
 * @example
 * ```ts
 * const stmt: SqliteStatement = database.prepare('select 1 as one');
 * stmt.get([]); // { one: 1 }
 * ```
 */
export interface SqliteStatement {
  readonly reader: boolean;
  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(parameters: ReadonlyArray<unknown>): unknown;
  all(parameters: ReadonlyArray<unknown>): unknown[];
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown>;
}

/**
 * A better-sqlite3 transaction function: runs `fn` inside `BEGIN … COMMIT`, rolling back if it throws.
 *
 * @example
 * ```ts
 * const insertAll = database.transaction((rows: string[]) => rows.forEach((r) => insert.run([r])));
 * insertAll.immediate(['a', 'b']);
 * ```
 */
export interface SqliteTransaction {
  (...args: any[]): unknown;
  /** Runs the function inside `BEGIN IMMEDIATE … COMMIT` (takes the write lock up front). */
  immediate(...args: any[]): unknown;
}
