import { PROJECTION_KEYS, type ProjectionRecords, type ProjectionTable } from '@quantum-trader/core';
import type { JournalDatabase } from './journal-database.js';

/**
 * How a field is stored when it is not stored as itself: `bool` as 0/1, `json` as text, `int8` as a 64-bit
 * integer that `pg` hands back as a string.
 */
export type Codec = 'bool' | 'json' | 'int8';

/** One field of a projection record and the column that holds it. */
export interface ColumnSpec {
  readonly field: string;
  readonly column: string;
  readonly codec: Codec | undefined;
}

/** Where and how one projection table is stored. */
export interface TableSpec {
  readonly table: Exclude<keyof JournalDatabase, 'events' | 'state'>;
  readonly keyColumns: readonly string[];
  /** Every column, `seq` included, in a fixed order. */
  readonly columns: readonly ColumnSpec[];
  /** The columns a read returns (all but `seq`, which only orders rows). */
  readonly readColumns: readonly ColumnSpec[];
  /** Read columns that need decoding. */
  readonly decoded: readonly ColumnSpec[];
  column(field: string): ColumnSpec;
}

type Columns<T extends ProjectionTable> = { readonly [F in keyof ProjectionRecords[T] & string]: string | readonly [string, Codec] };

function spec<T extends ProjectionTable>(
  projection: T,
  table: TableSpec['table'],
  columns: Columns<T>,
): TableSpec {
  const list: ColumnSpec[] = Object.entries(columns).map(([field, c]) =>
    typeof c === 'string' ? { field, column: c, codec: undefined } : { field, column: c[0], codec: c[1] },
  );
  const byField = new Map(list.map((c) => [c.field, c]));
  const column = (field: string): ColumnSpec => {
    const c = byField.get(field);
    if (c === undefined) throw new TypeError(`projection ${projection} has no field "${field}"`);
    return c;
  };
  const readColumns = list.filter((c) => c.field !== 'seq');
  return {
    table,
    keyColumns: PROJECTION_KEYS[projection].map((f) => column(f).column),
    columns: list,
    readColumns,
    decoded: readColumns.filter((c) => c.codec !== undefined),
    column,
  };
}

/** Storage of every projection table, by projection name. */
export const PROJECTION_COLUMNS: { readonly [T in ProjectionTable]: TableSpec } = {
  orders: spec('orders', 'orders', {
    clientOrderId: 'client_order_id',
    venueOrderId: 'venue_order_id',
    symbol: 'symbol',
    side: 'side',
    type: 'type',
    qty: 'qty',
    price: 'price',
    stopPrice: 'stop_price',
    reduceOnly: ['reduce_only', 'bool'],
    leverage: 'leverage',
    status: 'status',
    filledQty: 'filled_qty',
    filledNotional: 'filled_notional',
    fees: 'fees',
    intentId: 'intent_id',
    positionId: 'position_id',
    leg: 'leg',
    statusReason: 'status_reason',
    createdAt: ['created_at', 'int8'],
    updatedAt: ['updated_at', 'int8'],
    seq: 'seq',
  }),
  fills: spec('fills', 'fills', {
    clientOrderId: 'client_order_id',
    fillSeq: 'fill_seq',
    symbol: 'symbol',
    side: 'side',
    qty: 'qty',
    price: 'price',
    fee: 'fee',
    liquidity: 'liquidity',
    ts: ['ts', 'int8'],
    seq: 'seq',
  }),
  positions: spec('positions', 'positions', {
    positionId: 'position_id',
    symbol: 'symbol',
    side: 'side',
    status: 'status',
    qty: 'qty',
    maxQty: 'max_qty',
    entryPrice: 'entry_price',
    leverage: 'leverage',
    realizedPnl: 'realized_pnl',
    fees: 'fees',
    exitPrice: 'exit_price',
    exitReason: 'exit_reason',
    strategyId: 'strategy_id',
    intentId: 'intent_id',
    openedAt: ['opened_at', 'int8'],
    closedAt: ['closed_at', 'int8'],
    seq: 'seq',
  }),
  trades: spec('trades', 'trades', {
    positionId: 'position_id',
    symbol: 'symbol',
    side: 'side',
    qty: 'qty',
    entryPrice: 'entry_price',
    exitPrice: 'exit_price',
    realizedPnl: 'realized_pnl',
    fees: 'fees',
    exitReason: 'exit_reason',
    openedAt: ['opened_at', 'int8'],
    closedAt: ['closed_at', 'int8'],
    seq: 'seq',
  }),
  exitPlans: spec('exitPlans', 'exit_plans', {
    planId: 'plan_id',
    positionId: 'position_id',
    symbol: 'symbol',
    side: 'side',
    profile: 'profile',
    status: 'status',
    entryPrice: 'entry_price',
    volatility: 'volatility',
    legs: ['legs', 'json'],
    createdAt: ['created_at', 'int8'],
    completedAt: ['completed_at', 'int8'],
    completedReason: 'completed_reason',
    seq: 'seq',
  }),
  snapshots: spec('snapshots', 'portfolio_snapshots', {
    ts: ['ts', 'int8'],
    equity: 'equity',
    balance: 'balance',
    unrealizedPnl: 'unrealized_pnl',
    realizedPnl: 'realized_pnl',
    openPositions: 'open_positions',
    drawdown: 'drawdown',
    seq: 'seq',
  }),
};

/**
 * A record field as a bindable column value (drivers bind no booleans, objects or `undefined`).
 */
export function encodeValue(codec: Codec | undefined, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (codec === 'bool') return value === true ? 1 : 0;
  if (codec === 'json') return JSON.stringify(value);
  return value;
}

/**
 * Decodes, in place, the columns of a row read with field-name aliases; returns the row.
 */
export function decodeRow<R>(spec: TableSpec, raw: Record<string, unknown>): R {
  for (const c of spec.decoded) {
    const v = raw[c.field];
    if (v === null || v === undefined) raw[c.field] = null;
    else if (c.codec === 'bool') raw[c.field] = v === 1 || v === true || v === '1';
    else if (c.codec === 'json') raw[c.field] = JSON.parse(v as string);
    else raw[c.field] = Number(v);
  }
  return raw as R;
}
