// Hand-curated public API of @quantum-trader/sql. Anything not exported here is internal.

export { SqliteJournal } from './sqlite/sqlite-journal.js';
export type { SqliteJournalOptions } from './sqlite/sqlite-journal.js';
export type { SqliteDatabase, SqliteStatement, SqliteTransaction } from './sqlite/sqlite-database.js';
export { PostgresJournal } from './postgres/postgres-journal.js';
export type { PostgresJournalOptions } from './postgres/postgres-journal.js';
export type {
  PostgresJournalPool,
  PostgresJournalClient,
  PostgresQueryConfig,
  PostgresQueryOutcome,
} from './postgres/postgres-journal-pool.js';
export { journalMigrations, JournalMigrationProvider, migrateJournal } from './migrations/journal-migrations.js';
export type {
  JournalDatabase,
  EventsTable,
  OrdersTable,
  FillsTable,
  PositionsTable,
  TradesTable,
  ExitPlansTable,
  PortfolioSnapshotsTable,
  StateTable,
  Int8,
  NullableInt8,
} from './schema/journal-database.js';
