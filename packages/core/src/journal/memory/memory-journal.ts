import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import type { DomainEvent, DomainEventType, JournaledEvent } from '../../model/events.js';
import type { ClientOrderId, SymbolId } from '../../model/ids.js';
import type { OrderStatus } from '../../model/orders.js';
import type {
  AppendResult,
  EventQuery,
  ExitPlanRow,
  FillRow,
  Journal,
  OrderRow,
  PortfolioSnapshotRow,
  PositionRow,
  TradeRow,
} from '../../ports/journal.js';
import { conflictingRowError, missingRowError } from '../journal-error.js';
import { projectEvent } from '../project-event.js';
import {
  orderRowOf,
  PROJECTION_KEYS,
  type ProjectionRecords,
  type ProjectionTable,
  type ProjectionWrite,
} from '../projection-write.js';

type Tables = { [T in ProjectionTable]: Map<RowKey, ProjectionRecords[T]> };
/** A row's key: the value of its single key field (a string or the snapshot's seq), or the joined fields. */
type RowKey = string | number;
type AnyRecord = Record<string, unknown>;

/**
 * A {@link Journal} held in memory: synchronous (every method returns a plain value), for tests, backtests and
 * anything that needs no durability. Appends are all-or-nothing and idempotent like every other journal; it
 * shares its projection ({@link projectEvent}) with the SQL journals.
 *
 * @example
 * ```ts
 * const journal = new MemoryJournal();
 * journal.append([{ id: 'OrderSubmitting:qt-1', type: 'OrderSubmitting', ts: 0, order }]);
 * journal.order(order.clientOrderId)?.status; // 'submitting'
 * ```
 */
export class MemoryJournal implements Journal {
  /** The events in append order: the event at index `i` has seq `i + 1` (entries are made only when read). */
  readonly #log: DomainEvent[] = [];
  readonly #ids = new Set<string>();
  readonly #tables: Tables = {
    orders: new Map(),
    fills: new Map(),
    positions: new Map(),
    trades: new Map(),
    exitPlans: new Map(),
    snapshots: new Map(),
  };
  readonly #state = new Map<string, string>();
  #closed = false;

  /**
   * Stores the events that are new (by id) and applies their projections, all or nothing.
   *
   * @example
   * ```ts
   * journal.append([e1, e2]); // { appended: 2, duplicates: 0 }
   * journal.append([e2]);     // { appended: 0, duplicates: 1 }
   * ```
   */
  append(events: readonly DomainEvent[]): AppendResult {
    this.#assertOpen();
    return events.length === 1 ? this.#appendOne(events[0]!) : this.#appendBatch(events);
  }

  #appendBatch(events: readonly DomainEvent[]): AppendResult {
    // Writes go to a staging overlay first and reach the tables only once the whole batch has projected cleanly.
    const staged = new Map<ProjectionTable, Map<RowKey, AnyRecord>>();
    const newIds = new Set<string>();
    const newLog: DomainEvent[] = [];
    let seq = this.#log.length;
    let duplicates = 0;
    for (const event of events) {
      const writes = projectEvent(event, seq + 1);
      if (this.#ids.has(event.id) || newIds.has(event.id)) {
        duplicates++;
        continue;
      }
      seq++;
      newIds.add(event.id);
      newLog.push(event);
      for (const write of writes) {
        let rows = staged.get(write.table);
        if (rows === undefined) staged.set(write.table, (rows = new Map()));
        const [key, row] = this.#written(event, write, rows);
        rows.set(key, row);
      }
    }
    for (const [table, rows] of staged) {
      const target = this.#table(table);
      for (const [key, row] of rows) target.set(key, row);
    }
    for (const e of newLog) {
      this.#ids.add(e.id);
      this.#log.push(e);
    }
    return { appended: newLog.length, duplicates };
  }

  /**
   * One event — what the kernel appends almost every time. Its writes touch one row each of different tables, so
   * they are all checked against the tables first (which throws before anything changed) and then applied, patches
   * in place: the rows are this journal's own (readers get copies), so no overlay and no copy of a row is needed.
   */
  #appendOne(event: DomainEvent): AppendResult {
    const log = this.#log;
    const ids = this.#ids;
    const seq = log.length + 1;
    const writes = projectEvent(event, seq);
    const n = writes.length;
    if (n > 2 || (n === 2 && writes[0]!.table === writes[1]!.table)) return this.#appendBatch([event]);
    let a: RowKey | AnyRecord | undefined;
    let b: RowKey | AnyRecord | undefined;
    try {
      a = n > 0 ? this.#target(event, writes[0]!) : undefined;
      b = n > 1 ? this.#target(event, writes[1]!) : undefined;
    } catch (err) {
      if (ids.has(event.id)) return ONE_DUPLICATE; // its rows exist because it was appended before
      throw err;
    }
    // One lookup: the id goes in if it is new, and nothing has changed yet if it was not.
    const size = ids.size;
    ids.add(event.id);
    if (ids.size === size) return ONE_DUPLICATE;
    if (a !== undefined) this.#apply(writes[0]!, a);
    if (b !== undefined) this.#apply(writes[1]!, b);
    log.push(event);
    return ONE_APPENDED;
  }

  /** The key an insert will take (checked free) or the row a patch will change (checked present); throws otherwise. */
  #target(event: DomainEvent, write: ProjectionWrite): RowKey | AnyRecord {
    const committed = this.#table(write.table);
    if (write.op === 'insert') {
      const key = keyOf(write.table, write.row as unknown as AnyRecord);
      if (committed.has(key)) throw conflictingRowError(event, write);
      return key;
    }
    const current = committed.get(write.key);
    if (current === undefined) throw missingRowError(event, write);
    return current;
  }

  /** Applies a write checked by {@link MemoryJournal.#target}: an insert stores its row, a patch changes the row. */
  #apply(write: ProjectionWrite, target: RowKey | AnyRecord): void {
    if (write.op === 'insert') this.#table(write.table).set(target as RowKey, write.row as unknown as AnyRecord);
    else patchRow(target as AnyRecord, write);
  }

  /**
   * Reads the log in append order.
   *
   * @example
   * ```ts
   * journal.events({ afterSeq: 10, types: ['OrderFilled'], limit: 100 });
   * ```
   */
  events(query: EventQuery = {}): readonly JournaledEvent[] {
    this.#assertOpen();
    const limit = query.limit ?? Infinity;
    const types = query.types === undefined ? undefined : new Set<DomainEventType>(query.types);
    const out: JournaledEvent[] = [];
    for (let i = Math.max(0, Math.floor(query.afterSeq ?? 0)); i < this.#log.length && out.length < limit; i++) {
      const event = this.#log[i]!;
      if (types === undefined || types.has(event.type)) out.push({ seq: i + 1, event });
    }
    return out;
  }

  /**
   * One order by client order id.
   *
   * @example
   * ```ts
   * journal.order(coid)?.avgFillPrice;
   * ```
   */
  order(clientOrderId: ClientOrderId): OrderRow | undefined {
    this.#assertOpen();
    const record = this.#tables.orders.get(clientOrderId);
    return record === undefined ? undefined : orderRowOf(record);
  }

  /**
   * Orders in creation order, optionally by status and symbol.
   *
   * @example
   * ```ts
   * journal.orders({ status: ['submitting'] });
   * ```
   */
  orders(filter: { readonly status?: readonly OrderStatus[]; readonly symbol?: SymbolId } = {}): readonly OrderRow[] {
    this.#assertOpen();
    const out: OrderRow[] = [];
    for (const r of this.#tables.orders.values()) {
      if (filter.status !== undefined && !filter.status.includes(r.status)) continue;
      if (filter.symbol !== undefined && r.symbol !== filter.symbol) continue;
      out.push(orderRowOf(r));
    }
    return out;
  }

  /**
   * Fills in journal order, all or one order's.
   *
   * @example
   * ```ts
   * journal.fills(coid).length;
   * ```
   */
  fills(clientOrderId?: ClientOrderId): readonly FillRow[] {
    this.#assertOpen();
    const out: FillRow[] = [];
    for (const r of this.#tables.fills.values()) {
      if (clientOrderId === undefined || r.clientOrderId === clientOrderId) out.push(withoutSeq(r));
    }
    return out;
  }

  /**
   * Positions in opening order, optionally by status.
   *
   * @example
   * ```ts
   * journal.positions({ status: 'open' });
   * ```
   */
  positions(filter: { readonly status?: 'open' | 'closed' } = {}): readonly PositionRow[] {
    this.#assertOpen();
    const out: PositionRow[] = [];
    for (const r of this.#tables.positions.values()) {
      if (filter.status === undefined || r.status === filter.status) out.push(withoutSeq(r));
    }
    return out;
  }

  /**
   * Closed trades in closing order.
   *
   * @example
   * ```ts
   * const pnl = journal.trades().reduce((s, t) => s + t.realizedPnl, 0);
   * ```
   */
  trades(): readonly TradeRow[] {
    this.#assertOpen();
    return Array.from(this.#tables.trades.values(), withoutSeq);
  }

  /**
   * Exit plans in creation order, optionally by status.
   *
   * @example
   * ```ts
   * journal.exitPlans({ status: 'active' });
   * ```
   */
  exitPlans(filter: { readonly status?: 'active' | 'completed' } = {}): readonly ExitPlanRow[] {
    this.#assertOpen();
    const out: ExitPlanRow[] = [];
    for (const r of this.#tables.exitPlans.values()) {
      if (filter.status === undefined || r.status === filter.status) out.push(withoutSeq(r));
    }
    return out;
  }

  /**
   * Portfolio snapshots in journal order.
   *
   * @example
   * ```ts
   * const equity = journal.snapshots().map((s) => s.equity);
   * ```
   */
  snapshots(): readonly PortfolioSnapshotRow[] {
    this.#assertOpen();
    return Array.from(this.#tables.snapshots.values(), withoutSeq);
  }

  /**
   * Reads a state value.
   *
   * @example
   * ```ts
   * journal.getState('portfolio'); // undefined until set
   * ```
   */
  getState(key: string): string | undefined {
    this.#assertOpen();
    return this.#state.get(key);
  }

  /**
   * Writes a state value.
   *
   * @example
   * ```ts
   * journal.setState('portfolio', JSON.stringify(state));
   * ```
   */
  setState(key: string, value: string): void {
    this.#assertOpen();
    this.#state.set(key, value);
  }

  /**
   * Closes the journal; every later call throws. Closing twice is harmless.
   *
   * @example
   * ```ts
   * journal.close();
   * ```
   */
  close(): void {
    this.#closed = true;
  }

  /**
   * The key and the new row one write produces, against the batch's staged rows (if any) and the tables; throws,
   * naming the event, on an insert whose row exists or a patch whose row does not. Changes nothing.
   */
  #written(event: DomainEvent, write: ProjectionWrite, staged: Map<RowKey, AnyRecord> | undefined): [RowKey, AnyRecord] {
    const committed = this.#table(write.table);
    if (write.op === 'insert') {
      const row = write.row as unknown as AnyRecord;
      const key = keyOf(write.table, row);
      if (staged?.has(key) === true || committed.has(key)) throw conflictingRowError(event, write);
      return [key, row];
    }
    const current = staged?.get(write.key) ?? committed.get(write.key);
    if (current === undefined) throw missingRowError(event, write);
    const next: AnyRecord = { ...current };
    patchRow(next, write);
    return [write.key, next];
  }

  #table(table: ProjectionTable): Map<RowKey, AnyRecord> {
    return this.#tables[table] as unknown as Map<RowKey, AnyRecord>;
  }

  #assertOpen(): void {
    if (this.#closed) throw new QuantumTraderError('JOURNAL_FAILED', 'the memory journal is closed; open a new one');
  }
}

/**
 * Applies a patch to a row in place: `set`, then increments and maxima computed from the row as it was (they win
 * over `set`), then the guarded fields when the row's status before the patch was one of `statusIn`.
 */
function patchRow(row: AnyRecord, write: Extract<ProjectionWrite, { op: 'patch' }>): void {
  const status = row['status'];
  const inc = write.inc as Record<string, number> | undefined;
  const max = write.max as Record<string, number> | undefined;
  if (inc === undefined && max === undefined) {
    Object.assign(row, write.set);
  } else {
    const later: (string | number)[] = [];
    if (inc !== undefined) for (const f in inc) later.push(f, (row[f] as number) + inc[f]!);
    if (max !== undefined) for (const f in max) later.push(f, Math.max(row[f] as number, max[f]!));
    Object.assign(row, write.set);
    for (let i = 0; i < later.length; i += 2) row[later[i] as string] = later[i + 1];
  }
  if (write.guarded !== undefined && (write.guarded.statusIn as readonly unknown[]).includes(status)) {
    Object.assign(row, write.guarded.set);
  }
}

const ONE_APPENDED: AppendResult = Object.freeze({ appended: 1, duplicates: 0 });
const ONE_DUPLICATE: AppendResult = Object.freeze({ appended: 0, duplicates: 1 });

/**
 * The key of a row: the value of its single {@link PROJECTION_KEYS} field as it is (a patch names a row of a
 * patchable table by that string; a snapshot's key is its seq, a number, hashed without a conversion), or the
 * values joined by NUL when there are several.
 */
function keyOf(table: ProjectionTable, row: AnyRecord): RowKey {
  const fields = PROJECTION_KEYS[table];
  if (fields.length === 1) return row[fields[0]] as RowKey;
  let key = String(row[fields[0]]);
  for (let i = 1; i < fields.length; i++) key += `\u0000${String(row[fields[i]!])}`;
  return key;
}

function withoutSeq<R extends { readonly seq: number }>(record: R): Omit<R, 'seq'> {
  const { seq: _seq, ...row } = record;
  return row;
}
