/**
 * A query as `pg` takes it: with a `name`, the statement is parsed once per connection and then only bound and
 * executed.
 *
 * @example
 * ```ts
 * const q: PostgresQueryConfig = { name: 'last_seq', text: 'select max(seq) from events', values: [] };
 * ```
 */
export interface PostgresQueryConfig {
  readonly text: string;
  readonly values?: readonly unknown[];
  readonly name?: string;
}

/**
 * What a query returns: its rows, and the command tag (`COMMIT`, or `ROLLBACK` when a commit found the transaction
 * failed).
 *
 * @example
 * ```ts
 * const { command } = await client.query({ text: 'commit' }); // 'COMMIT'
 * ```
 */
export interface PostgresQueryOutcome {
  readonly command: string;
  readonly rows: readonly Record<string, unknown>[];
}

/**
 * The parts of a `pg` client the PostgreSQL journal calls. Typed here, kysely style, so that the package's types do
 * not depend on `pg`'s: a `pg.PoolClient` fits.
 *
 * @example
 * ```ts
 * const client: PostgresJournalClient = await new pg.Pool({ pipeline: true }).connect();
 * ```
 */
export interface PostgresJournalClient {
  query(config: PostgresQueryConfig): Promise<PostgresQueryOutcome>;
  /** Hands the connection back to its pool; `true` closes it instead (after an error that may have broken it). */
  release(destroy?: boolean): void;
  /**
   * `true` when the client sends a query without waiting for the previous one's answer (`pg`'s `pipeline` option).
   * The journal then sends each half of an append in one round trip; otherwise it awaits every statement in turn.
   */
  readonly pipeline?: boolean;
}

/**
 * The parts of a `pg.Pool` the PostgreSQL journal calls.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * const pool: PostgresJournalPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, pipeline: true });
 * const journal = await PostgresJournal.open(pool, { schema: 'bot' });
 * ```
 */
export interface PostgresJournalPool {
  connect(): Promise<PostgresJournalClient>;
  end(): Promise<void>;
}

/**
 * Sends queries on one connection and settles them all: at once when the client pipelines, else one after another
 * (a client that does not pipeline must not be given a query while another runs). Never throws; a failed query's
 * error is in its outcome, and every later query then fails too inside the same transaction.
 */
export async function sendAll(
  client: PostgresJournalClient,
  queries: readonly PostgresQueryConfig[],
): Promise<PromiseSettledResult<PostgresQueryOutcome>[]> {
  if (client.pipeline === true) return Promise.allSettled(queries.map((q) => client.query(q)));
  const outcomes: PromiseSettledResult<PostgresQueryOutcome>[] = [];
  for (const q of queries) {
    try {
      outcomes.push({ status: 'fulfilled', value: await client.query(q) });
    } catch (reason) {
      outcomes.push({ status: 'rejected', reason });
    }
  }
  return outcomes;
}

/** The first failure among settled queries, or their values. */
export function valuesOf(outcomes: readonly PromiseSettledResult<PostgresQueryOutcome>[]): PostgresQueryOutcome[] {
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  return outcomes.map((o) => (o as PromiseFulfilledResult<PostgresQueryOutcome>).value);
}

/** SQLSTATE classes after which running the whole transaction again may succeed. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: a concurrent `create … if not exists`, or a writer that skipped the append lock
  '42P06', // duplicate_schema
  '42P07', // duplicate_table
  '42710', // duplicate_object
]);

/** Whether a driver error is a transient conflict with another transaction, worth one more try. */
export function isRetryable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE.has(code)) return true;
  }
  return false;
}
