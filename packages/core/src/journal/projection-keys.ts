import type { DomainEvent } from '../model/events.js';
import type { ProjectionTable } from './projection-write.js';

/**
 * The row keys an event's projection touches — what {@link projectEvent}'s writes insert or patch, in the same order
 * and with the same keys (a single key field's value as it is, several joined by NUL) — without building the rows.
 * A journal that builds rows later (the {@link MemoryJournal}) checks an append against these: an insert's key must be
 * free, a patch's key must exist. Snapshots are left out (a snapshot row's key is its own new seq). One instance is
 * reused: {@link ProjectionKeys.of} overwrites it and allocates nothing but a fill's joined key.
 *
 * @example
 * ```ts
 * const keys = new ProjectionKeys();
 * keys.of(orderFilled); // count 2: patch orders[coid], insert fills[`${coid}\u0000${fillSeq}`]
 * ```
 */
export class ProjectionKeys {
  /** How many keys the last event touched: 0, 1 or 2. */
  count = 0;
  table0: KeyedTable = 'orders';
  /** The position of `table0` in {@link KEYED_TABLES} (a journal may keep its tables in an array). */
  index0 = 0;
  key0 = '';
  insert0 = false;
  table1: KeyedTable = 'orders';
  index1 = 0;
  key1 = '';
  insert1 = false;

  /**
   * Reads the keys of `event` (assumed valid: see {@link validateEvent}) into this instance and returns it.
   *
   * @example
   * ```ts
   * const k = keys.of(event);
   * if (k.count > 0 && k.insert0 && taken(k.table0, k.key0)) refuse();
   * ```
   */
  of(event: DomainEvent): this {
    switch (event.type) {
      case 'OrderSubmitting':
        return this.#one('orders', event.order.clientOrderId, true);
      case 'OrderAccepted':
      case 'OrderRejected':
      case 'OrderCanceled':
        return this.#one('orders', event.clientOrderId, false);
      case 'OrderFilled':
        this.#one('orders', event.clientOrderId, false);
        return this.#second('fills', `${event.clientOrderId}\u0000${event.fillSeq}`, true);
      case 'PositionOpened':
        return this.#one('positions', event.positionId, true);
      case 'PositionChanged':
        return this.#one('positions', event.positionId, false);
      case 'PositionClosed':
        this.#one('positions', event.positionId, false);
        return this.#second('trades', event.positionId, true);
      case 'ExitPlanCreated':
        return this.#one('exitPlans', event.planId, true);
      case 'ExitPlanCompleted':
        return this.#one('exitPlans', event.planId, false);
      default:
        this.count = 0;
        return this;
    }
  }

  #one(table: KeyedTable, key: string, insert: boolean): this {
    this.count = 1;
    this.table0 = table;
    this.index0 = TABLE_INDEX[table];
    this.key0 = key;
    this.insert0 = insert;
    return this;
  }

  #second(table: KeyedTable, key: string, insert: boolean): this {
    this.count = 2;
    this.table1 = table;
    this.index1 = TABLE_INDEX[table];
    this.key1 = key;
    this.insert1 = insert;
    return this;
  }
}

/**
 * The projection tables whose row keys an append is checked against (every table but `snapshots`).
 *
 * @example
 * ```ts
 * const t: KeyedTable = 'fills';
 * ```
 */
export type KeyedTable = Exclude<ProjectionTable, 'snapshots'>;

/**
 * The keyed tables in a fixed order: {@link ProjectionKeys.index0} and `index1` are positions in it.
 *
 * @example
 * ```ts
 * KEYED_TABLES[keys.of(event).index0]; // === keys.table0
 * ```
 */
export const KEYED_TABLES: readonly KeyedTable[] = Object.freeze(['orders', 'fills', 'positions', 'trades', 'exitPlans'] as const);
const TABLE_INDEX: { readonly [T in KeyedTable]: number } = { orders: 0, fills: 1, positions: 2, trades: 3, exitPlans: 4 };
