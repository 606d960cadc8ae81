import type {
  ExitPlanRow,
  FillRow,
  OrderRow,
  PortfolioSnapshotRow,
  PositionRow,
  TradeRow,
} from '../ports/journal.js';

/**
 * An order as a journal stores it: the public {@link OrderRow} with the accumulated filled notional
 * (`Σ qty × price`) instead of the average fill price, so a fill is a pure increment
 * (`avgFillPrice = filledNotional / filledQty`, see {@link orderRowOf}). `seq` is the journal sequence number of the
 * event that created the row; every projection lists its rows in that order.
 *
 * @example
 * ```ts
 * const row = orderRowOf(record); // { …, avgFillPrice: record.filledNotional / record.filledQty }
 * ```
 */
export interface OrderRecord extends Omit<OrderRow, 'avgFillPrice'> {
  readonly filledNotional: number;
  readonly seq: number;
}

/**
 * The stored form of every projection table: its public row plus `seq`, the journal sequence number of the event
 * that created the row (rows are listed in that order).
 *
 * @example
 * ```ts
 * const fill: ProjectionRecords['fills'] = { ...fillRow, seq: 42 };
 * ```
 */
export interface ProjectionRecords {
  readonly orders: OrderRecord;
  readonly fills: FillRow & { readonly seq: number };
  readonly positions: PositionRow & { readonly seq: number };
  readonly trades: TradeRow & { readonly seq: number };
  readonly exitPlans: ExitPlanRow & { readonly seq: number };
  readonly snapshots: PortfolioSnapshotRow & { readonly seq: number };
}

/**
 * Name of one projection table.
 *
 * @example
 * ```ts
 * const t: ProjectionTable = 'orders';
 * ```
 */
export type ProjectionTable = keyof ProjectionRecords;

/**
 * Tables whose rows change after they are created (the others are append-only).
 *
 * @example
 * ```ts
 * const t: PatchableTable = 'positions';
 * ```
 */
export type PatchableTable = 'orders' | 'positions' | 'exitPlans';

/**
 * The key fields of every projection table. An insert whose key exists is a conflict; a patch names its row by the
 * value of the (single) key field of a {@link PatchableTable}.
 *
 * @example
 * ```ts
 * PROJECTION_KEYS.fills; // ['clientOrderId', 'fillSeq']
 * ```
 */
export const PROJECTION_KEYS = {
  orders: ['clientOrderId'],
  fills: ['clientOrderId', 'fillSeq'],
  positions: ['positionId'],
  trades: ['positionId'],
  exitPlans: ['planId'],
  snapshots: ['seq'],
} as const satisfies { readonly [T in ProjectionTable]: readonly (keyof ProjectionRecords[T] & string)[] };

/**
 * The fields of `R` that always hold a number (never null): what a patch may increment or raise.
 *
 * @example
 * ```ts
 * const f: NumericField<OrderRecord> = 'filledQty';
 * ```
 */
export type NumericField<R> = { [K in keyof R]-?: R[K] extends number ? K : never }[keyof R] & string;

/**
 * Adds a new row to a projection table. Its key must not exist yet (that is an error, not an overwrite).
 *
 * @example
 * ```ts
 * const w: ProjectionInsert<'fills'> = { op: 'insert', table: 'fills', row: { ...fillRow, seq: 7 } };
 * ```
 */
export interface ProjectionInsert<T extends ProjectionTable = ProjectionTable> {
  readonly op: 'insert';
  readonly table: T;
  readonly row: ProjectionRecords[T];
}

/**
 * Changes one existing row, named by its key, without reading it first: `set` overwrites fields, `inc` adds to
 * numeric fields, `max` raises numeric fields to at least the given value, and `guarded.set` is applied only when
 * the row's status *before* this patch is one of `guarded.statusIn` (so a late or out-of-order event never moves a
 * status backwards). All right-hand sides see the row as it was before the patch, as in one SQL `UPDATE`.
 * A patch of a row that does not exist is an error.
 *
 * @example
 * ```ts
 * const w: ProjectionPatch<'orders'> = {
 *   op: 'patch', table: 'orders', key: 'qt-0123456789abcdefx',
 *   set: { updatedAt: ts }, inc: { filledQty: 0.5, filledNotional: 25_000, fees: 10 },
 *   guarded: { statusIn: ['submitting', 'open', 'partially_filled'], set: { status: 'filled' } },
 * };
 * ```
 */
export interface ProjectionPatch<T extends PatchableTable = PatchableTable> {
  readonly op: 'patch';
  readonly table: T;
  readonly key: string;
  readonly set?: Partial<ProjectionRecords[T]>;
  readonly inc?: Partial<Record<NumericField<ProjectionRecords[T]>, number>>;
  readonly max?: Partial<Record<NumericField<ProjectionRecords[T]>, number>>;
  readonly guarded?: {
    readonly statusIn: readonly ProjectionRecords[T]['status'][];
    readonly set: Partial<ProjectionRecords[T]>;
  };
}

/**
 * One write to the projections caused by one event, as computed by {@link projectEvent}: either an insert of a full
 * row or a patch (set + increments + max + status-guarded set) of an existing row. Every journal implementation
 * applies the same writes; SQL applies each as one `INSERT … ON CONFLICT DO NOTHING` or one `UPDATE`, reading
 * nothing first and treating "0 rows changed" as the error.
 *
 * @example
 * ```ts
 * for (const w of projectEvent(event, seq)) {
 *   if (w.op === 'insert') insertRow(w.table, w.row); else patchRow(w);
 * }
 * ```
 */
export type ProjectionWrite =
  | { readonly [T in ProjectionTable]: ProjectionInsert<T> }[ProjectionTable]
  | { readonly [T in PatchableTable]: ProjectionPatch<T> }[PatchableTable];

/**
 * Turns a stored {@link OrderRecord} into the public {@link OrderRow}: derives `avgFillPrice` from the accumulated
 * notional (0 before the first fill) and drops the storage-only fields.
 *
 * @example
 * ```ts
 * orderRowOf({ ...record, filledQty: 2, filledNotional: 200 }).avgFillPrice; // 100
 * ```
 */
export function orderRowOf(record: Omit<OrderRecord, 'seq'> & { readonly seq?: number }): OrderRow {
  const { filledNotional, seq: _seq, ...row } = record;
  return { ...row, avgFillPrice: row.filledQty > 0 ? filledNotional / row.filledQty : 0 };
}
