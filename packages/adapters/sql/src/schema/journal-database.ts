import type { ColumnType } from 'kysely';

/**
 * A `bigint` column holding Unix milliseconds or another integer beyond 32 bits. SQLite returns a number, `pg`
 * returns a string; the journals convert it with `Number()` when reading.
 *
 * @example
 * ```ts
 * const { ts } = await db.selectFrom('events').select('ts').executeTakeFirstOrThrow();
 * const millis = Number(ts);
 * ```
 */
export type Int8 = ColumnType<number | string, number, number>;
/**
 * A nullable {@link Int8}.
 *
 * @example
 * ```ts
 * const { closed_at } = await db.selectFrom('positions').select('closed_at').executeTakeFirstOrThrow();
 * const closedAt = closed_at === null ? null : Number(closed_at);
 * ```
 */
export type NullableInt8 = ColumnType<number | string | null, number | null, number | null>;

/**
 * The event log: one row per stored event, `seq` assigned by the journal (1, 2, 3 … in commit order).
 *
 * @example
 * ```ts
 * const row: EventsTable = { seq: 1, id: 'OrderSubmitting:qt-1', type: 'OrderSubmitting', ts: 0, payload: '{…}' };
 * ```
 */
export interface EventsTable {
  seq: number;
  id: string;
  type: string;
  ts: Int8;
  /** The whole event as JSON text. */
  payload: string;
}

/**
 * Projection of orders. `filled_notional` is `Σ qty × price` of the fills; the average fill price is derived from it.
 *
 * @example
 * ```ts
 * const open = await db.selectFrom('orders').selectAll().where('status', '=', 'open').execute();
 * ```
 */
export interface OrdersTable {
  client_order_id: string;
  venue_order_id: string | null;
  symbol: string;
  side: string;
  type: string;
  qty: number;
  price: number | null;
  stop_price: number | null;
  /** 0 or 1. */
  reduce_only: number;
  leverage: number | null;
  status: string;
  filled_qty: number;
  filled_notional: number;
  fees: number;
  intent_id: string | null;
  position_id: string | null;
  leg: string | null;
  status_reason: string | null;
  created_at: Int8;
  updated_at: Int8;
  /** Journal seq of the event that created the row. */
  seq: number;
}

/**
 * Projection of fills, keyed by client order id and fill sequence.
 *
 * @example
 * ```ts
 * const fills = await db.selectFrom('fills').selectAll().where('client_order_id', '=', coid).execute();
 * ```
 */
export interface FillsTable {
  client_order_id: string;
  fill_seq: number;
  symbol: string;
  side: string;
  qty: number;
  price: number;
  fee: number;
  liquidity: string;
  ts: Int8;
  seq: number;
}

/**
 * Projection of positions, open and closed.
 *
 * @example
 * ```ts
 * const open = await db.selectFrom('positions').selectAll().where('status', '=', 'open').execute();
 * ```
 */
export interface PositionsTable {
  position_id: string;
  symbol: string;
  side: string;
  status: string;
  qty: number;
  max_qty: number;
  entry_price: number;
  leverage: number;
  realized_pnl: number;
  fees: number;
  exit_price: number | null;
  exit_reason: string | null;
  strategy_id: string | null;
  intent_id: string | null;
  opened_at: Int8;
  closed_at: NullableInt8;
  seq: number;
}

/**
 * Closed trades, one per position.
 *
 * @example
 * ```ts
 * const trades = await db.selectFrom('trades').selectAll().orderBy('seq').execute();
 * ```
 */
export interface TradesTable {
  position_id: string;
  symbol: string;
  side: string;
  qty: number;
  entry_price: number;
  exit_price: number;
  realized_pnl: number;
  fees: number;
  exit_reason: string;
  opened_at: Int8;
  closed_at: Int8;
  seq: number;
}

/**
 * Projection of exit plans; `legs` is JSON text.
 *
 * @example
 * ```ts
 * const active = await db.selectFrom('exit_plans').selectAll().where('status', '=', 'active').execute();
 * ```
 */
export interface ExitPlansTable {
  plan_id: string;
  position_id: string;
  symbol: string;
  side: string;
  profile: string;
  status: string;
  entry_price: number;
  volatility: number;
  legs: string;
  created_at: Int8;
  completed_at: NullableInt8;
  completed_reason: string | null;
  seq: number;
}

/**
 * Portfolio snapshots, keyed by the seq of their event.
 *
 * @example
 * ```ts
 * const equity = await db.selectFrom('portfolio_snapshots').select(['ts', 'equity']).orderBy('seq').execute();
 * ```
 */
export interface PortfolioSnapshotsTable {
  seq: number;
  ts: Int8;
  equity: number;
  balance: number;
  unrealized_pnl: number;
  realized_pnl: number;
  open_positions: number;
  drawdown: number;
}

/**
 * Key-value state (configuration, portfolio state, learner state …).
 *
 * @example
 * ```ts
 * const row = await db.selectFrom('state').select('value').where('key', '=', 'portfolio').executeTakeFirst();
 * ```
 */
export interface StateTable {
  key: string;
  value: string;
}

/**
 * The journal's schema as a kysely database type, for reading the tables with your own kysely queries.
 *
 * @example
 * ```ts
 * const db = new Kysely<JournalDatabase>({ dialect: new SqliteDialect({ database: new Database('bot.db') }) });
 * const pnl = await db.selectFrom('trades').select((eb) => eb.fn.sum<number>('realized_pnl').as('pnl')).executeTakeFirst();
 * ```
 */
export interface JournalDatabase {
  events: EventsTable;
  orders: OrdersTable;
  fills: FillsTable;
  positions: PositionsTable;
  trades: TradesTable;
  exit_plans: ExitPlansTable;
  portfolio_snapshots: PortfolioSnapshotsTable;
  state: StateTable;
}
