import type { Kysely } from 'kysely';

// Migrations are frozen in time: they take an untyped database so that a later change of JournalDatabase never
// changes what an old migration does. Only portable SQL (no dialect-only types or statements): the SQLite and
// PostgreSQL journals run the very same migrations, each inside one transaction. Every statement is also IF NOT
// EXISTS, so applying the migration over a partly created schema completes it.

/**
 * Creates the event log, the projection tables and the state table.
 *
 * @example
 * ```ts
 * await up(db);
 * ```
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('events')
    .ifNotExists()
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_type_seq_idx').ifNotExists().on('events').columns(['type', 'seq']).execute();

  await db.schema
    .createTable('orders')
    .ifNotExists()
    .addColumn('client_order_id', 'text', (c) => c.primaryKey())
    .addColumn('venue_order_id', 'text')
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('qty', 'double precision', (c) => c.notNull())
    .addColumn('price', 'double precision')
    .addColumn('stop_price', 'double precision')
    .addColumn('reduce_only', 'integer', (c) => c.notNull())
    .addColumn('leverage', 'double precision')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('filled_qty', 'double precision', (c) => c.notNull())
    .addColumn('filled_notional', 'double precision', (c) => c.notNull())
    .addColumn('fees', 'double precision', (c) => c.notNull())
    .addColumn('intent_id', 'text')
    .addColumn('position_id', 'text')
    .addColumn('leg', 'text')
    .addColumn('status_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_status_idx').ifNotExists().on('orders').column('status').execute();

  await db.schema
    .createTable('fills')
    .ifNotExists()
    .addColumn('client_order_id', 'text', (c) => c.notNull())
    .addColumn('fill_seq', 'integer', (c) => c.notNull())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('qty', 'double precision', (c) => c.notNull())
    .addColumn('price', 'double precision', (c) => c.notNull())
    .addColumn('fee', 'double precision', (c) => c.notNull())
    .addColumn('liquidity', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('fills_pkey', ['client_order_id', 'fill_seq'])
    .execute();

  await db.schema
    .createTable('positions')
    .ifNotExists()
    .addColumn('position_id', 'text', (c) => c.primaryKey())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('qty', 'double precision', (c) => c.notNull())
    .addColumn('max_qty', 'double precision', (c) => c.notNull())
    .addColumn('entry_price', 'double precision', (c) => c.notNull())
    .addColumn('leverage', 'double precision', (c) => c.notNull())
    .addColumn('realized_pnl', 'double precision', (c) => c.notNull())
    .addColumn('fees', 'double precision', (c) => c.notNull())
    .addColumn('exit_price', 'double precision')
    .addColumn('exit_reason', 'text')
    .addColumn('strategy_id', 'text')
    .addColumn('intent_id', 'text')
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('positions_status_idx').ifNotExists().on('positions').column('status').execute();

  await db.schema
    .createTable('trades')
    .ifNotExists()
    .addColumn('position_id', 'text', (c) => c.primaryKey())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('qty', 'double precision', (c) => c.notNull())
    .addColumn('entry_price', 'double precision', (c) => c.notNull())
    .addColumn('exit_price', 'double precision', (c) => c.notNull())
    .addColumn('realized_pnl', 'double precision', (c) => c.notNull())
    .addColumn('fees', 'double precision', (c) => c.notNull())
    .addColumn('exit_reason', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('exit_plans')
    .ifNotExists()
    .addColumn('plan_id', 'text', (c) => c.primaryKey())
    .addColumn('position_id', 'text', (c) => c.notNull())
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('entry_price', 'double precision', (c) => c.notNull())
    .addColumn('volatility', 'double precision', (c) => c.notNull())
    .addColumn('legs', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('completed_reason', 'text')
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exit_plans_status_idx').ifNotExists().on('exit_plans').column('status').execute();

  await db.schema
    .createTable('portfolio_snapshots')
    .ifNotExists()
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('equity', 'double precision', (c) => c.notNull())
    .addColumn('balance', 'double precision', (c) => c.notNull())
    .addColumn('unrealized_pnl', 'double precision', (c) => c.notNull())
    .addColumn('realized_pnl', 'double precision', (c) => c.notNull())
    .addColumn('open_positions', 'integer', (c) => c.notNull())
    .addColumn('drawdown', 'double precision', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('state')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

/**
 * Drops everything {@link up} created.
 *
 * @example
 * ```ts
 * await down(db);
 * ```
 */
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['state', 'portfolio_snapshots', 'exit_plans', 'trades', 'positions', 'fills', 'orders', 'events']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
