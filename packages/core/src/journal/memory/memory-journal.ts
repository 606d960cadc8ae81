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

type Tables = { [T in ProjectionTable]: Map<string, ProjectionRecords[T]> };
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
  readonly #log: JournaledEvent[] = [];
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
    // Writes go to a staging overlay first and reach the tables only once the whole batch has projected cleanly.
    const staged = new Map<ProjectionTable, Map<string, AnyRecord>>();
    const newIds = new Set<string>();
    const newLog: JournaledEvent[] = [];
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
      newLog.push({ seq, event });
      for (const write of writes) this.#stage(staged, event, write);
    }
    for (const [table, rows] of staged) {
      const target = this.#table(table);
      for (const [key, row] of rows) target.set(key, row);
    }
    for (const id of newIds) this.#ids.add(id);
    for (const e of newLog) this.#log.push(e);
    return { appended: newLog.length, duplicates };
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
      const e = this.#log[i]!;
      if (types === undefined || types.has(e.event.type)) out.push(e);
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

  #stage(staged: Map<ProjectionTable, Map<string, AnyRecord>>, event: DomainEvent, write: ProjectionWrite): void {
    let rows = staged.get(write.table);
    if (rows === undefined) staged.set(write.table, (rows = new Map()));
    const committed = this.#table(write.table);
    if (write.op === 'insert') {
      const row = write.row as unknown as AnyRecord;
      const key = PROJECTION_KEYS[write.table].map((k) => String(row[k])).join('\u0000');
      if (rows.has(key) || committed.has(key)) throw conflictingRowError(event, write);
      rows.set(key, row);
      return;
    }
    const current = rows.get(write.key) ?? committed.get(write.key);
    if (current === undefined) throw missingRowError(event, write);
    const next: AnyRecord = { ...current, ...write.set };
    for (const [field, by] of Object.entries(write.inc ?? {})) next[field] = (current[field] as number) + (by as number);
    for (const [field, min] of Object.entries(write.max ?? {})) {
      next[field] = Math.max(current[field] as number, min as number);
    }
    if (write.guarded !== undefined && (write.guarded.statusIn as readonly unknown[]).includes(current['status'])) {
      Object.assign(next, write.guarded.set);
    }
    rows.set(write.key, next);
  }

  #table(table: ProjectionTable): Map<string, AnyRecord> {
    return this.#tables[table] as unknown as Map<string, AnyRecord>;
  }

  #assertOpen(): void {
    if (this.#closed) throw new QuantumTraderError('JOURNAL_FAILED', 'the memory journal is closed; open a new one');
  }
}

function withoutSeq<R extends { readonly seq: number }>(record: R): Omit<R, 'seq'> {
  const { seq: _seq, ...row } = record;
  return row;
}
