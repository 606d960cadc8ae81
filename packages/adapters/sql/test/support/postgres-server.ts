import pg from 'pg';
import { describe, it } from 'vitest';

// The PostgreSQL suites run against a real server (never a mock): QT_POSTGRES_URL, by default the local test server
// every machine of this project has. Without it they are skipped locally, saying so, and fail in CI (CI=true),
// where a suite that silently skipped would pass without testing anything.

/** The server the PostgreSQL tests use. */
export const postgresUrl = process.env['QT_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** What a PostgreSQL suite does, given why the server is unreachable (`undefined`: it is reachable). */
export type PostgresSuiteMode = { readonly mode: 'run' } | { readonly mode: 'skip' | 'fail'; readonly message: string };

/**
 * Decides whether the PostgreSQL suites run, skip (locally) or fail (in CI) when the server cannot be reached.
 *
 * @example
 * ```ts
 * postgresSuiteMode('connect ECONNREFUSED 127.0.0.1:5432', true).mode; // 'fail'
 * ```
 */
export function postgresSuiteMode(unreachable: string | undefined, ci: boolean, url = postgresUrl): PostgresSuiteMode {
  if (unreachable === undefined) return { mode: 'run' };
  const where = `PostgreSQL is unreachable at ${redact(url)} (${unreachable})`;
  return ci
    ? { mode: 'fail', message: `${where}; CI=true requires it: start the server (.ci/run does) or set QT_POSTGRES_URL` }
    : { mode: 'skip', message: `skipped: ${where}; start it or set QT_POSTGRES_URL to run these tests` };
}

/** Connects once; returns why that failed, or `undefined`. */
async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message || err.constructor.name : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const mode = postgresSuiteMode(await probe(postgresUrl), process.env['CI'] === 'true');

/** Whether the PostgreSQL server answered, so the suites run. */
export const postgresAvailable = mode.mode === 'run';

/**
 * `describe` for a suite that needs the PostgreSQL server: runs it when the server answers; otherwise skips it
 * with the reason (locally) or, in CI, replaces it with one test that fails with the reason.
 *
 * @example
 * ```ts
 * describePostgres('PostgresJournal', () => { it('appends', async () => { … }); });
 * ```
 */
export function describePostgres(name: string, body: () => void): void {
  if (mode.mode === 'run') {
    describe(name, body);
  } else if (mode.mode === 'skip') {
    process.stderr.write(`${name}: ${mode.message}\n`);
    describe.skip(`${name} (${mode.message})`, body);
  } else {
    // One failing test in place of the suite: its hooks would only add connection errors to the report.
    describe(name, () => {
      it('has a reachable PostgreSQL server (required when CI=true)', () => {
        throw new Error(mode.message);
      });
    });
  }
}

/** A connection string without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** Drops a schema and everything in it (the suites' own schemas, after them). */
export async function dropSchema(schema: string, url = postgresUrl): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema.replace(/"/g, '""')}" cascade`);
  } finally {
    await client.end();
  }
}
