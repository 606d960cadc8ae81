import { setTimeout as sleep } from 'node:timers/promises';
import {
  orderRowOf,
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
  type SymbolId,
  type TradeRow,
} from '@quantum-trader/core';
import { Kysely, PostgresDialect, sql, type PostgresPool } from 'kysely';
import { journalIsCurrent, migrateJournal } from '../migrations/journal-migrations.js';
import {
  getStateQuery,
  ordersFilter,
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
import { planAppend, prepareAppend, type PreparedAppend } from './postgres-append-plan.js';
import {
  appendStatements,
  readParameters,
  storedRowsOf,
  writeParameters,
  type AppendStatements,
} from './postgres-append-statements.js';
import {
  isRetryable,
  sendAll,
  valuesOf,
  type PostgresJournalClient,
  type PostgresJournalPool,
} from './postgres-journal-pool.js';

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

/** How often an append or an open is tried when it collides with another transaction, and the pause before a retry. */
const ATTEMPTS = 5;
const RETRY_PAUSE_MS = 20;

/**
 * The {@link Journal} on PostgreSQL (`pg`, through kysely), for shared deployments: same schema, same migrations
 * and same projection as the SQLite journal, but asynchronous (every method returns a promise).
 *
 * An append, of one event or thousands, is one transaction of two round trips on a pipelining client (four
 * otherwise): it takes an `EXCLUSIVE` lock on the event table (readers are not blocked) and reads, in one statement,
 * the last seq, which of its ids are already stored and the rows its projection writes touch; it then applies the
 * projection in memory, exactly as an event-by-event append would, and writes every new event and row with one
 * multi-row statement per table before it commits. Sequence numbers are gap-free and in commit order even with
 * many writers in many processes, and a reader tailing with `afterSeq` never skips an event that commits later
 * with a smaller seq. A transaction that collides with another (deadlock, serialization failure) is retried a few
 * times; appends are idempotent, so a retry never stores anything twice.
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
   * Connects with a connection string (creating a pipelining `pg` pool) or uses your pool, creates the schema if
   * needed and applies the migrations. Several processes may open the same schema at once. Throws `JOURNAL_FAILED`
   * saying why when the server is unreachable or migration fails.
   *
   * @param target a connection string, or a pool (which {@link PostgresJournal.close} then leaves open). Create it
   *   with `pipeline: true` for the fastest appends.
   * @example
   * ```ts
   * import pg from 'pg';
   * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, pipeline: true });
   * const journal = await PostgresJournal.open(pool);
   * ```
   */
  static async open(target: string | PostgresJournalPool, options: PostgresJournalOptions = {}): Promise<PostgresJournal> {
    const schema = options.schema ?? 'public';
    const label = typeof target === 'string' ? redact(target) : '(given pool)';
    let pool: PostgresJournalPool;
    let owned: boolean;
    if (typeof target === 'string') {
      const { default: pg } = await import('pg');
      pool = new pg.Pool({ connectionString: target, max: options.maxConnections ?? 10, pipeline: true });
      owned = true;
    } else {
      pool = target;
      owned = false;
    }
    // kysely ends its pool on destroy(); a pool that is not ours must outlive the journal. kysely is handed the
    // journal's client type: it calls `query(sql, parameters)`, which pg clients have, and never streams here.
    const kyselyPool = {
      connect: () => pool.connect(),
      end: owned ? () => pool.end() : async () => {},
    } as unknown as PostgresPool;
    const root = new Kysely<JournalDatabase>({ dialect: new PostgresDialect({ pool: kyselyPool }) });
    try {
      const db = schema === 'public' ? root : root.withSchema(schema);
      // Several processes may open a new schema at once: a `create … if not exists` that loses the race fails with
      // a unique violation, and the next attempt finds the schema there.
      await retrying(async () => {
        if (await journalIsCurrent(db)) return;
        await sql`create schema if not exists ${sql.id(schema)}`.execute(root);
        await migrateJournal(db, schema === 'public' ? {} : { migrationTableSchema: schema });
      });
      return new PostgresJournal(root, db, pool, appendStatements(schema));
    } catch (err) {
      await root.destroy().catch(() => undefined);
      throw asJournalError(err, `cannot open the PostgreSQL journal ${label} (schema "${schema}")`);
    }
  }

  readonly #root: Kysely<JournalDatabase>;
  readonly #db: Kysely<JournalDatabase>;
  readonly #pool: PostgresJournalPool;
  readonly #statements: AppendStatements;
  #closed = false;

  private constructor(
    root: Kysely<JournalDatabase>,
    db: Kysely<JournalDatabase>,
    pool: PostgresJournalPool,
    statements: AppendStatements,
  ) {
    this.#root = root;
    this.#db = db;
    this.#pool = pool;
    this.#statements = statements;
  }

  /**
   * Stores the events that are new (by id) and applies their projections in one transaction: all or nothing.
   * Throws `JOURNAL_FAILED` naming the event and field when an event cannot be projected (nothing is stored then).
   * If the connection breaks while the commit is on its way, the append may or may not be stored: appending the
   * same events again is always safe.
   *
   * @example
   * ```ts
   * await journal.append([submitting, accepted]); // { appended: 2, duplicates: 0 }
   * await journal.append([accepted]);             // { appended: 0, duplicates: 1 }
   * ```
   */
  async append(events: readonly DomainEvent[]): Promise<AppendResult> {
    this.#assertOpen();
    if (events.length === 0) return { appended: 0, duplicates: 0 };
    try {
      const prepared = prepareAppend(events);
      if (prepared.events.length === 0) throw prepared.invalid;
      return await retrying(() => this.#appendOnce(prepared));
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

  async #appendOnce(prepared: PreparedAppend): Promise<AppendResult> {
    const { begin, read, write } = this.#statements;
    const client = await this.#pool.connect();
    let destroy = false;
    try {
      // Round trip 1: begin, lock, read. Round trip 2: write, commit.
      const [, stored] = valuesOf(
        await sendAll(client, [{ text: begin }, { ...read, values: readParameters(prepared.lookup) }]),
      );
      const plan = planAppend(prepared, storedRowsOf(stored!.rows[0]!));
      if (plan.events.length === 0) {
        await client.query({ text: 'rollback' });
        return { appended: 0, duplicates: plan.duplicates };
      }
      const [, commit] = valuesOf(
        await sendAll(client, [{ ...write, values: writeParameters(plan) }, { text: 'commit' }]),
      );
      if (commit!.command !== 'COMMIT') {
        throw new QuantumTraderError('JOURNAL_FAILED', `the server answered ${commit!.command} to COMMIT; nothing was stored`);
      }
      return { appended: plan.events.length, duplicates: plan.duplicates };
    } catch (err) {
      destroy = !(await rollback(client));
      throw err;
    } finally {
      client.release(destroy);
    }
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

/** A connection string without its password, for error messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** Ends whatever transaction is open on the client; `false` if the connection no longer answers. */
async function rollback(client: PostgresJournalClient): Promise<boolean> {
  try {
    await client.query({ text: 'rollback' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a transaction again (a few times, after a short pause) when it failed on a conflict with another one. */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= ATTEMPTS || !isRetryable(err)) throw err;
      await sleep(RETRY_PAUSE_MS * attempt * (0.5 + Math.random()));
    }
  }
}
