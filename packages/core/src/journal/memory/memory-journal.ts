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
import { projectEvent, validateEvent } from '../project-event.js';
import { ChunkedList } from '../../collections/chunked-list.js';
import { eventIdHashOf } from '../../model/event-id-hash.js';
import { EventIdIndex } from './event-id-index.js';
import { RowKeyIndex, type StagedRowKeys } from './row-key-index.js';
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
 * shares its projection ({@link projectEvent}) with the SQL journals. An append validates the event and checks its
 * row keys and its id; the rows themselves are built when a table is first read (a backtest appends tens of
 * thousands of events and reads its tables once at the end, if at all).
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
  readonly #log = new ChunkedList<DomainEvent>();
  /** The ids of the logged events: the duplicate check. */
  readonly #ids = new EventIdIndex((position) => this.#log.at(position).id);
  /**
   * The keys of the tables' rows: what an append is checked against (an insert's key free, a patch's taken).
   * Snapshots have none: a snapshot row's key is the seq of the event that inserts it, new by construction.
   */
  readonly #keys = new RowKeyIndex();
  /**
   * The rows, built when they are first read: the log's events up to {@link MemoryJournal.#projected} are applied.
   * A backtest appends tens of thousands of events and reads the tables once, if at all; building rows as it goes
   * would keep a second copy of every event alive while the run allocates.
   */
  readonly #tables: Tables = {
    orders: new Map(),
    fills: new Map(),
    positions: new Map(),
    trades: new Map(),
    exitPlans: new Map(),
    snapshots: new Map(),
  };
  #projected = 0;
  readonly #state = new Map<string, string>();
  #closed = false;

  /**
   * Stores the events that are new (by id), all or nothing: an event whose projection inserts a row that exists, or
   * patches one that does not, is refused with nothing stored.
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
    // Inserted keys go to a staging overlay first and reach the index only once the whole batch has checked out.
    const staged: StagedRowKeys = new Map();
    const newIds = new Set<string>();
    const newLog: DomainEvent[] = [];
    let duplicates = 0;
    const hashes: number[] = [];
    for (const event of events) {
      validateEvent(event);
      const hash = eventIdHashOf(event.id);
      if (this.#ids.has(event.id, hash) || newIds.has(event.id)) {
        duplicates++;
        continue;
      }
      const refused = this.#keys.claim(event, staged);
      if (refused !== -1) throw this.#refusal(event, refused);
      newIds.add(event.id);
      newLog.push(event);
      hashes.push(hash);
    }
    this.#keys.commit(staged);
    for (let i = 0; i < newLog.length; i++) {
      this.#ids.add(hashes[i]!, this.#log.length);
      this.#log.push(newLog[i]!);
    }
    return { appended: newLog.length, duplicates };
  }

  /** One event — what the kernel appends almost every time: the batch's checks without its staging. */
  #appendOne(event: DomainEvent): AppendResult {
    validateEvent(event);
    const log = this.#log;
    const ids = this.#ids;
    const hash = eventIdHashOf(event.id);
    if (ids.has(event.id, hash)) return ONE_DUPLICATE; // its rows exist because it was appended before
    const refused = this.#keys.claim(event);
    if (refused !== -1) throw this.#refusal(event, refused);
    ids.add(hash, log.length);
    log.push(event);
    return ONE_APPENDED;
  }

  /** The error for the `i`-th write of an event whose keys {@link RowKeyIndex.claim} refuses: the write names the row. */
  #refusal(event: DomainEvent, i: number): Error {
    const write = projectEvent(event, this.#log.length + 1)[i]!;
    return write.op === 'insert' ? conflictingRowError(event, write) : missingRowError(event, write);
  }

  /** The tables with every logged event applied (each event's projection once, in log order). */
  #rows(): Tables {
    const log = this.#log;
    for (let i = this.#projected; i < log.length; i++) {
      for (const write of projectEvent(log.at(i), i + 1)) {
        const table = this.#tables[write.table] as unknown as Map<RowKey, AnyRecord>;
        if (write.op === 'insert') {
          const row = write.row as unknown as AnyRecord;
          table.set(keyOf(write.table, row), row);
        } else {
          patchRow(table.get(write.key)!, write);
        }
      }
    }
    this.#projected = log.length;
    return this.#tables;
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
      const event = this.#log.at(i);
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
    const record = this.#rows().orders.get(clientOrderId);
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
    for (const r of this.#rows().orders.values()) {
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
    for (const r of this.#rows().fills.values()) {
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
    for (const r of this.#rows().positions.values()) {
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
    return Array.from(this.#rows().trades.values(), withoutSeq);
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
    for (const r of this.#rows().exitPlans.values()) {
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
    return Array.from(this.#rows().snapshots.values(), withoutSeq);
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
