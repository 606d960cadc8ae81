import {
  conflictingRowError,
  missingRowError,
  orderRowOf,
  projectEvent,
  QuantumTraderError,
  type AppendResult,
  type ClientOrderId,
  type DomainEvent,
  type EventQuery,
  type ExitPlanRow,
  type FillRow,
  type Journal,
  type JournaledEvent,
  type OrderRecord,
  type OrderRow,
  type OrderStatus,
  type PortfolioSnapshotRow,
  type PositionRow,
  type ProjectionTable,
  type ProjectionWrite,
  type SymbolId,
  type TradeRow,
} from '@quantum-trader/core';
import { Kysely, SqliteDialect } from 'kysely';
import { journalIsCurrent, migrateJournal } from '../migrations/journal-migrations.js';
import {
  getStateQuery,
  insertEventQuery,
  insertRowQuery,
  lastSeqQuery,
  ordersFilter,
  patchRowQuery,
  patchShapeOf,
  selectEventsQuery,
  rowFilterShapeOf,
  selectRowsQuery,
  setStateQuery,
  type EventInsert,
  type RowFilter,
} from '../query/journal-queries.js';
import { decodeRow, PROJECTION_COLUMNS } from '../schema/projection-columns.js';
import { asJournalError } from '../shared/as-journal-error.js';
import type { SqliteDatabase, SqliteTransaction } from './sqlite-database.js';
import { compileStatement, StatementCache, type CompiledStatement } from './sqlite-statements.js';

/**
 * Options of {@link SqliteJournal.open}.
 *
 * @example
 * ```ts
 * const journal = await SqliteJournal.open('bot.db', { busyTimeoutMs: 10_000, synchronous: 'FULL' });
 * ```
 */
export interface SqliteJournalOptions {
  /** How long a write waits for another connection's lock before it fails, in ms. Default 5000. */
  readonly busyTimeoutMs?: number;
  /**
   * `NORMAL` (default): with WAL, a crash of the process or the OS never corrupts the journal, and a commit is lost
   * only on power failure. `FULL` syncs every commit to disk, so not even a power failure loses one; slower.
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
}

/**
 * The {@link Journal} on SQLite (better-sqlite3, through kysely): the embedded default, zero servers.
 *
 * Open it once with the async {@link SqliteJournal.open}, which applies the migrations; after that every method is
 * synchronous and returns plain values, so backtests and paper runs can drive it in virtual time. Each statement is
 * compiled by kysely once and runs as a cached prepared statement; an append, however many events, is one
 * `BEGIN IMMEDIATE … COMMIT` transaction holding the events and all their projections (WAL mode, so a crash at any
 * point leaves every event either fully projected or absent).
 *
 * @example
 * ```ts
 * const journal = await SqliteJournal.open('data/journal.db');
 * journal.append([{ id: 'OrderSubmitting:qt-1', type: 'OrderSubmitting', ts, order }]);
 * journal.orders({ status: ['submitting'] }); // [{ clientOrderId: 'qt-1', status: 'submitting', … }]
 * journal.close();
 * ```
 */
export class SqliteJournal implements Journal {
  /**
   * Opens (creating if needed) a journal file, or `':memory:'`, or wraps a better-sqlite3 database you opened.
   * Sets WAL mode, `synchronous` and `busy_timeout`, and brings the schema up to date with kysely's `Migrator`.
   * Throws `JOURNAL_FAILED` saying why if the file cannot be opened or migrated.
   *
   * @param target a path, `':memory:'`, or an open database (which {@link SqliteJournal.close} then leaves open).
   * @example
   * ```ts
   * const journal = await SqliteJournal.open(':memory:');
   * ```
   */
  static async open(target: string | SqliteDatabase = ':memory:', options: SqliteJournalOptions = {}): Promise<SqliteJournal> {
    const owned = typeof target === 'string';
    const label = owned ? `"${target}"` : '(given database)';
    let db: SqliteDatabase;
    try {
      db = owned ? await openBetterSqlite(target) : target;
    } catch (err) {
      throw asJournalError(err, `cannot open the SQLite journal ${label}`);
    }
    try {
      const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5_000));
      db.prepare(`PRAGMA busy_timeout = ${busyTimeoutMs}`).get([]);
      db.prepare('PRAGMA journal_mode = WAL').get([]);
      db.prepare(`PRAGMA synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`).run([]);
      // kysely's SqliteDialect closes its database on destroy(); the journal keeps using it, so hand it a view
      // whose close() does nothing.
      const migrations = new Kysely<unknown>({
        dialect: new SqliteDialect({ database: { prepare: (sql) => db.prepare(sql), close: () => {} } }),
      });
      // One IMMEDIATE transaction around the migration: processes that open a new file at the same time take turns
      // (waiting up to busy_timeout) instead of both applying it, and a crash leaves it applied or not at all.
      // kysely runs SQLite migrations without a transaction of its own, so they run inside this one.
      try {
        if (!(await journalIsCurrent(migrations))) {
          db.prepare('BEGIN IMMEDIATE').run([]);
          try {
            await migrateJournal(migrations);
            db.prepare('COMMIT').run([]);
          } catch (err) {
            rollbackQuietly(db);
            throw err;
          }
        }
      } finally {
        await migrations.destroy();
      }
      return new SqliteJournal(db, owned);
    } catch (err) {
      if (owned) db.close();
      throw asJournalError(err, `cannot open the SQLite journal ${label}`);
    }
  }

  readonly #db: SqliteDatabase;
  readonly #ownsDb: boolean;
  readonly #lastSeq: CompiledStatement<undefined>;
  readonly #insertEvent: CompiledStatement<EventInsert>;
  readonly #insertRow: { readonly [T in ProjectionTable]: CompiledStatement<object> };
  readonly #getState: CompiledStatement<string>;
  readonly #setState: CompiledStatement<{ readonly key: string; readonly value: string }>;
  readonly #shaped: StatementCache;
  readonly #append: SqliteTransaction;
  #closed = false;

  private constructor(db: SqliteDatabase, ownsDb: boolean) {
    this.#db = db;
    this.#ownsDb = ownsDb;
    this.#lastSeq = compileStatement(db, (k) => lastSeqQuery(k));
    this.#insertEvent = compileStatement(db, insertEventQuery);
    const insert = (table: ProjectionTable) => compileStatement<object>(db, (k, bind) => insertRowQuery(k, table, bind));
    this.#insertRow = {
      orders: insert('orders'),
      fills: insert('fills'),
      positions: insert('positions'),
      trades: insert('trades'),
      exitPlans: insert('exitPlans'),
      snapshots: insert('snapshots'),
    };
    this.#getState = compileStatement(db, getStateQuery);
    this.#setState = compileStatement(db, setStateQuery);
    this.#shaped = new StatementCache(db);
    this.#append = db.transaction((events: readonly DomainEvent[]) => this.#appendInTransaction(events));
  }

  /**
   * Stores the events that are new (by id) and applies their projections in one transaction: all or nothing.
   * Throws `JOURNAL_FAILED` naming the event and field when an event cannot be projected (nothing is stored then).
   *
   * @example
   * ```ts
   * journal.append([submitting, accepted]); // { appended: 2, duplicates: 0 }
   * journal.append([accepted]);             // { appended: 0, duplicates: 1 }
   * ```
   */
  append(events: readonly DomainEvent[]): AppendResult {
    this.#assertOpen();
    if (events.length === 0) return { appended: 0, duplicates: 0 };
    try {
      return this.#append.immediate(events) as AppendResult;
    } catch (err) {
      throw asJournalError(err, 'SQLite journal append failed');
    }
  }

  /**
   * Runs `work` inside one SQLite transaction (group commit): every `append` it makes becomes a savepoint of that
   * transaction, and all of them commit together when `work` returns (or none, if it throws). Meant for
   * deterministic replays — a paper session on the simulated exchange — where a crash loses nothing the replay
   * cannot redo and per-event commits only cost time. Live trading must not batch: there, each append is
   * durable before the order it describes is sent.
   *
   * @example
   * ```ts
   * journal.batch(() => scheduler.runUntil(endOfDay)); // one commit per virtual day
   * ```
   */
  batch<T>(work: () => T): T {
    this.#assertOpen();
    return this.#db.transaction(work).immediate() as T;
  }

  /**
   * Reads the log in append order.
   *
   * @example
   * ```ts
   * journal.events({ afterSeq: 100, types: ['OrderFilled'], limit: 50 });
   * ```
   */
  events(query: EventQuery = {}): readonly JournaledEvent[] {
    this.#assertOpen();
    const typeCount = query.types?.length ?? 0;
    if (query.types !== undefined && typeCount === 0) return [];
    const limited = query.limit !== undefined;
    const stmt = this.#shaped.get<EventQuery>(`events|${typeCount}|${limited}`, (k, bind) =>
      selectEventsQuery(k, { typeCount, limited }, bind),
    );
    return stmt
      .all<{ seq: number; payload: string }>(query)
      .map((r) => ({ seq: r.seq, event: JSON.parse(r.payload) as DomainEvent }));
  }

  /**
   * One order by client order id.
   *
   * @example
   * ```ts
   * journal.order(coid)?.status; // 'filled'
   * ```
   */
  order(clientOrderId: ClientOrderId): OrderRow | undefined {
    const record = this.#rows<Omit<OrderRecord, 'seq'>>('orders', { clientOrderId: [clientOrderId] })[0];
    return record === undefined ? undefined : orderRowOf(record);
  }

  /**
   * Orders in creation order, optionally by status and symbol.
   *
   * @example
   * ```ts
   * journal.orders({ status: ['submitting', 'open'], symbol });
   * ```
   */
  orders(filter: { readonly status?: readonly OrderStatus[]; readonly symbol?: SymbolId } = {}): readonly OrderRow[] {
    return this.#rows<Omit<OrderRecord, 'seq'>>('orders', ordersFilter(filter)).map(orderRowOf);
  }

  /**
   * Fills in journal order, all or one order's.
   *
   * @example
   * ```ts
   * journal.fills(coid);
   * ```
   */
  fills(clientOrderId?: ClientOrderId): readonly FillRow[] {
    return this.#rows('fills', clientOrderId === undefined ? {} : { clientOrderId: [clientOrderId] });
  }

  /**
   * Positions in opening order, optionally by status.
   *
   * @example
   * ```ts
   * journal.positions({ status: 'open' });
   * ```
   */
  positions(filter: { readonly status?: 'open' | 'closed' } = {}): readonly PositionRow[] {
    return this.#rows('positions', filter.status === undefined ? {} : { status: [filter.status] });
  }

  /**
   * Closed trades in closing order.
   *
   * @example
   * ```ts
   * journal.trades().length;
   * ```
   */
  trades(): readonly TradeRow[] {
    return this.#rows('trades', {});
  }

  /**
   * Exit plans in creation order, optionally by status.
   *
   * @example
   * ```ts
   * journal.exitPlans({ status: 'active' });
   * ```
   */
  exitPlans(filter: { readonly status?: 'active' | 'completed' } = {}): readonly ExitPlanRow[] {
    return this.#rows('exitPlans', filter.status === undefined ? {} : { status: [filter.status] });
  }

  /**
   * Portfolio snapshots in journal order.
   *
   * @example
   * ```ts
   * journal.snapshots().at(-1)?.equity;
   * ```
   */
  snapshots(): readonly PortfolioSnapshotRow[] {
    return this.#rows('snapshots', {});
  }

  /**
   * Reads a state value.
   *
   * @example
   * ```ts
   * journal.getState('portfolio');
   * ```
   */
  getState(key: string): string | undefined {
    this.#assertOpen();
    return this.#getState.get<{ value: string }>(key)?.value;
  }

  /**
   * Writes a state value (one atomic upsert).
   *
   * @example
   * ```ts
   * journal.setState('portfolio', JSON.stringify(state));
   * ```
   */
  setState(key: string, value: string): void {
    this.#assertOpen();
    try {
      this.#setState.run({ key, value });
    } catch (err) {
      throw asJournalError(err, `SQLite journal could not write state "${key}"`);
    }
  }

  /**
   * Closes the journal, and the database if the journal opened it. Closing twice is harmless.
   *
   * @example
   * ```ts
   * journal.close();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDb) this.#db.close();
  }

  #appendInTransaction(events: readonly DomainEvent[]): AppendResult {
    // Read inside the IMMEDIATE transaction, so another connection appending to the same file cannot interleave.
    let seq = this.#lastSeq.get<{ seq: number | null }>(undefined)?.seq ?? 0;
    let duplicates = 0;
    let appended = 0;
    for (const event of events) {
      const writes = projectEvent(event, seq + 1);
      if (this.#insertEvent.run({ seq: seq + 1, event, payload: JSON.stringify(event) }) === 0) {
        duplicates++;
        continue;
      }
      seq++;
      appended++;
      for (const write of writes) this.#apply(event, write);
    }
    return { appended, duplicates };
  }

  #apply(event: DomainEvent, write: ProjectionWrite): void {
    if (write.op === 'insert') {
      if (this.#insertRow[write.table].run(write.row) === 0) throw conflictingRowError(event, write);
      return;
    }
    const shape = patchShapeOf(write);
    const stmt = this.#shaped.get<typeof write>(shape.id, (k, bind) => patchRowQuery(k, shape, bind));
    if (stmt.run(write) === 0) throw missingRowError(event, write);
  }

  #rows<R>(table: ProjectionTable, filter: RowFilter): R[] {
    this.#assertOpen();
    const read = rowFilterShapeOf(table, filter);
    if (read === undefined) return [];
    const spec = PROJECTION_COLUMNS[table];
    return this.#shaped
      .get<RowFilter>(read.id, (k, bind) => selectRowsQuery(k, table, read.shape, bind))
      .all<Record<string, unknown>>(filter)
      .map((raw) => decodeRow<R>(spec, raw));
  }

  #assertOpen(): void {
    if (this.#closed) throw new QuantumTraderError('JOURNAL_FAILED', 'the SQLite journal is closed; open it again');
  }
}

/** Ends a failed transaction; SQLite may already have rolled it back itself (e.g. on a full disk). */
function rollbackQuietly(db: SqliteDatabase): void {
  try {
    db.prepare('ROLLBACK').run([]);
  } catch {
    // no transaction left to roll back
  }
}

async function openBetterSqlite(path: string): Promise<SqliteDatabase> {
  const { default: Database } = await import('better-sqlite3');
  return new Database(path) as unknown as SqliteDatabase;
}
