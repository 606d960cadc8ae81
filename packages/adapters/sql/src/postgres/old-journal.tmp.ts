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
import { Kysely, PostgresDialect, sql, type PostgresPool, type Transaction } from 'kysely';
import { migrateJournal } from '../migrations/journal-migrations.js';
import {
  getStateQuery,
  insertEventQuery,
  insertRowQuery,
  lastSeqQuery,
  ordersFilter,
  patchRowQuery,
  patchShapeOf,
  rowFilterShapeOf,
  selectEventsQuery,
  selectRowsQuery,
  setStateQuery,
  type Bind,
  type RowFilter,
} from '../query/journal-queries.js';
import type { JournalDatabase } from '../schema/journal-database.js';
import { decodeRow, PROJECTION_COLUMNS } from '../schema/projection-columns.js';
import { asJournalError } from '../shared/as-journal-error.js';

/**
 * Options of {@link PostgresJournal.open}.
 *
 * @example
 * ```ts
 * const journal = await PostgresJournal.open('postgres://bot@db/trading', { schema: 'paper', maxConnections: 4 });
 * ```
 */
export interface PostgresJournalOptions {
  /** Schema that holds the journal's tables, created if missing. Default `public`. */
  readonly schema?: string;
  /** Pool size when the journal creates the pool from a connection string. Default 10. */
  readonly maxConnections?: number;
}

/** Binds the values themselves: the queries run once, through kysely. */
const direct =
  <S>(source: S): Bind<S> =>
  (get) =>
    get(source);

/**
 * The {@link Journal} on PostgreSQL (`pg`, through kysely), for shared deployments: same schema, same migrations
 * and same projection as the SQLite journal, but asynchronous (every method returns a promise).
 *
 * An append is one transaction that first takes an `EXCLUSIVE` lock on the event table (readers are not blocked),
 * so sequence numbers are gap-free and in commit order even with many writers, and a reader tailing with
 * `afterSeq` never skips an event that commits later with a smaller seq.
 *
 * @example
 * ```ts
 * const journal = await PostgresJournal.open('postgres://postgres@127.0.0.1:5432/trading', { schema: 'paper' });
 * await journal.append(events);
 * const open = await journal.positions({ status: 'open' });
 * await journal.close();
 * ```
 */
export class PostgresJournal implements Journal {
  /**
   * Connects with a connection string (creating a `pg` pool) or uses your pool, creates the schema if needed and
   * applies the migrations. Throws `JOURNAL_FAILED` saying why when the server is unreachable or migration fails.
   *
   * @param target a connection string, or a pool (which {@link PostgresJournal.close} then leaves open).
   * @example
   * ```ts
   * import pg from 'pg';
   * const journal = await PostgresJournal.open(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
   * ```
   */
  static async open(target: string | PostgresPool, options: PostgresJournalOptions = {}): Promise<PostgresJournal> {
    const schema = options.schema ?? 'public';
    const label = typeof target === 'string' ? redact(target) : '(given pool)';
    let pool: PostgresPool;
    if (typeof target === 'string') {
      const { default: pg } = await import('pg');
      pool = new pg.Pool({ connectionString: target, max: options.maxConnections ?? 10 });
    } else {
      // kysely ends its pool on destroy(); a pool that is not ours must outlive the journal.
      pool = { connect: () => target.connect(), end: async () => {} };
    }
    const root = new Kysely<JournalDatabase>({ dialect: new PostgresDialect({ pool }) });
    try {
      const db = schema === 'public' ? root : root.withSchema(schema);
      await sql`create schema if not exists ${sql.id(schema)}`.execute(root);
      await migrateJournal(db, schema === 'public' ? {} : { migrationTableSchema: schema });
      return new PostgresJournal(root, db, `${quote(schema)}.${quote('events')}`);
    } catch (err) {
      await root.destroy().catch(() => undefined);
      throw asJournalError(err, `cannot open the PostgreSQL journal ${label} (schema "${schema}")`);
    }
  }

  readonly #root: Kysely<JournalDatabase>;
  readonly #db: Kysely<JournalDatabase>;
  readonly #lockEvents: string;
  #closed = false;

  private constructor(root: Kysely<JournalDatabase>, db: Kysely<JournalDatabase>, eventsTable: string) {
    this.#root = root;
    this.#db = db;
    this.#lockEvents = `lock table ${eventsTable} in exclusive mode`;
  }

  /**
   * Stores the events that are new (by id) and applies their projections in one transaction: all or nothing.
   *
   * @example
   * ```ts
   * await journal.append([submitting, accepted]); // { appended: 2, duplicates: 0 }
   * ```
   */
  async append(events: readonly DomainEvent[]): Promise<AppendResult> {
    this.#assertOpen();
    if (events.length === 0) return { appended: 0, duplicates: 0 };
    try {
      return await this.#db.transaction().execute((trx) => this.#appendIn(trx, events));
    } catch (err) {
      throw asJournalError(err, 'PostgreSQL journal append failed');
    }
  }

  /**
   * Reads the log in append order.
   *
   * @example
   * ```ts
   * await journal.events({ afterSeq: 100, types: ['OrderFilled'] });
   * ```
   */
  async events(query: EventQuery = {}): Promise<readonly JournaledEvent[]> {
    this.#assertOpen();
    const typeCount = query.types?.length ?? 0;
    if (query.types !== undefined && typeCount === 0) return [];
    const rows = await selectEventsQuery(this.#db, { typeCount, limited: query.limit !== undefined }, direct(query)).execute();
    return rows.map((r) => ({ seq: Number(r.seq), event: JSON.parse(r.payload) as DomainEvent }));
  }

  /**
   * One order by client order id.
   *
   * @example
   * ```ts
   * (await journal.order(coid))?.status;
   * ```
   */
  async order(clientOrderId: ClientOrderId): Promise<OrderRow | undefined> {
    const [record] = await this.#rows<Omit<OrderRecord, 'seq'>>('orders', { clientOrderId: [clientOrderId] });
    return record === undefined ? undefined : orderRowOf(record);
  }

  /**
   * Orders in creation order, optionally by status and symbol.
   *
   * @example
   * ```ts
   * await journal.orders({ status: ['submitting'] });
   * ```
   */
  async orders(filter: { readonly status?: readonly OrderStatus[]; readonly symbol?: SymbolId } = {}): Promise<readonly OrderRow[]> {
    return (await this.#rows<Omit<OrderRecord, 'seq'>>('orders', ordersFilter(filter))).map(orderRowOf);
  }

  /**
   * Fills in journal order, all or one order's.
   *
   * @example
   * ```ts
   * await journal.fills(coid);
   * ```
   */
  fills(clientOrderId?: ClientOrderId): Promise<readonly FillRow[]> {
    return this.#rows('fills', clientOrderId === undefined ? {} : { clientOrderId: [clientOrderId] });
  }

  /**
   * Positions in opening order, optionally by status.
   *
   * @example
   * ```ts
   * await journal.positions({ status: 'open' });
   * ```
   */
  positions(filter: { readonly status?: 'open' | 'closed' } = {}): Promise<readonly PositionRow[]> {
    return this.#rows('positions', filter.status === undefined ? {} : { status: [filter.status] });
  }

  /**
   * Closed trades in closing order.
   *
   * @example
   * ```ts
   * (await journal.trades()).length;
   * ```
   */
  trades(): Promise<readonly TradeRow[]> {
    return this.#rows('trades', {});
  }

  /**
   * Exit plans in creation order, optionally by status.
   *
   * @example
   * ```ts
   * await journal.exitPlans({ status: 'active' });
   * ```
   */
  exitPlans(filter: { readonly status?: 'active' | 'completed' } = {}): Promise<readonly ExitPlanRow[]> {
    return this.#rows('exitPlans', filter.status === undefined ? {} : { status: [filter.status] });
  }

  /**
   * Portfolio snapshots in journal order.
   *
   * @example
   * ```ts
   * (await journal.snapshots()).at(-1)?.equity;
   * ```
   */
  snapshots(): Promise<readonly PortfolioSnapshotRow[]> {
    return this.#rows('snapshots', {});
  }

  /**
   * Reads a state value.
   *
   * @example
   * ```ts
   * await journal.getState('portfolio');
   * ```
   */
  async getState(key: string): Promise<string | undefined> {
    this.#assertOpen();
    return (await getStateQuery(this.#db, direct(key)).executeTakeFirst())?.value;
  }

  /**
   * Writes a state value (one atomic upsert).
   *
   * @example
   * ```ts
   * await journal.setState('portfolio', JSON.stringify(state));
   * ```
   */
  async setState(key: string, value: string): Promise<void> {
    this.#assertOpen();
    try {
      await setStateQuery(this.#db, direct({ key, value })).execute();
    } catch (err) {
      throw asJournalError(err, `PostgreSQL journal could not write state "${key}"`);
    }
  }

  /**
   * Closes the journal and, if the journal created it, its pool. Closing twice is harmless.
   *
   * @example
   * ```ts
   * await journal.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#root.destroy();
  }

  async #appendIn(trx: Transaction<JournalDatabase>, events: readonly DomainEvent[]): Promise<AppendResult> {
    await sql.raw(this.#lockEvents).execute(trx);
    const last = await lastSeqQuery(trx).executeTakeFirst();
    let seq = last?.seq == null ? 0 : Number(last.seq);
    let duplicates = 0;
    let appended = 0;
    for (const event of events) {
      const writes = projectEvent(event, seq + 1);
      const source = { seq: seq + 1, event, payload: JSON.stringify(event) };
      const inserted = await insertEventQuery(trx, direct(source)).executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
        duplicates++;
        continue;
      }
      seq++;
      appended++;
      for (const write of writes) await this.#apply(trx, event, write);
    }
    return { appended, duplicates };
  }

  async #apply(trx: Transaction<JournalDatabase>, event: DomainEvent, write: ProjectionWrite): Promise<void> {
    if (write.op === 'insert') {
      const r = await insertRowQuery(trx, write.table, direct(write.row)).executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) throw conflictingRowError(event, write);
      return;
    }
    const r = await patchRowQuery(trx, patchShapeOf(write), direct(write)).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw missingRowError(event, write);
  }

  async #rows<R>(table: ProjectionTable, filter: RowFilter): Promise<R[]> {
    this.#assertOpen();
    const read = rowFilterShapeOf(table, filter);
    if (read === undefined) return [];
    const spec = PROJECTION_COLUMNS[table];
    const rows = (await selectRowsQuery(this.#db, table, read.shape, direct(filter)).execute()) as Record<string, unknown>[];
    return rows.map((raw) => decodeRow<R>(spec, raw));
  }

  #assertOpen(): void {
    if (this.#closed) throw new QuantumTraderError('JOURNAL_FAILED', 'the PostgreSQL journal is closed; open it again');
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** A connection string without its password, for error messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
