import { QuantumTraderError } from '@quantum-trader/core';
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial.js';

/**
 * Every migration of the journal schema, by name (applied in name order). The SQLite and PostgreSQL journals
 * apply the same list.
 *
 * @example
 * ```ts
 * Object.keys(journalMigrations); // ['0001-initial']
 * ```
 */
export const journalMigrations: Readonly<Record<string, Migration>> = {
  '0001-initial': m0001,
};

/**
 * A kysely `MigrationProvider` serving {@link journalMigrations} from code (no migration files to ship or find).
 *
 * @example
 * ```ts
 * const migrator = new Migrator({ db, provider: new JournalMigrationProvider() });
 * await migrator.migrateToLatest();
 * ```
 */
export class JournalMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...journalMigrations };
  }
}

/**
 * Brings a database's journal schema up to date with kysely's `Migrator`; throws `JOURNAL_FAILED` naming the
 * migration that failed. The journals call it when they open; call it yourself to prepare a database ahead of time.
 * For a PostgreSQL schema other than the default, pass `db.withSchema(schema)` and the same `migrationTableSchema`.
 *
 * @example
 * ```ts
 * await migrateJournal(new Kysely({ dialect: new SqliteDialect({ database: new Database('bot.db') }) }));
 * await migrateJournal(pgDb.withSchema('bot'), { migrationTableSchema: 'bot' });
 * ```
 */
export async function migrateJournal(
  db: Kysely<any>,
  options: { readonly migrationTableSchema?: string } = {},
): Promise<void> {
  if (await journalIsCurrent(db)) return;
  const migrator = new Migrator({
    db,
    provider: new JournalMigrationProvider(),
    ...(options.migrationTableSchema === undefined ? {} : { migrationTableSchema: options.migrationTableSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'the migration table';
    const detail = error instanceof Error ? error.message : String(error);
    throw new QuantumTraderError('JOURNAL_FAILED', `journal migration ${failed} failed: ${detail}`, { cause: error });
  }
}

/**
 * Whether every journal migration is already applied: one query, where kysely's `Migrator` makes a round of checks
 * and takes a lock before it finds nothing to do. `false` when the migration table does not exist yet.
 */
export async function journalIsCurrent(db: Kysely<any>): Promise<boolean> {
  let rows: { name: string }[];
  try {
    rows = await db.selectFrom('kysely_migration').select('name').execute();
  } catch {
    return false;
  }
  const applied = new Set(rows.map((r) => r.name));
  return Object.keys(journalMigrations).every((name) => applied.has(name));
}
