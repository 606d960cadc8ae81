import type { DomainEvent } from '../../model/events.js';

// One bit per keyed table a key string names a row of. Orders, positions, trades and exit plans are keyed by one id
// each (positions and trades by the same position id); fills by (client order id, fill seq): seqs 1 to 26 as bits of
// their order's entry, any other seq as the FILL bit of its own entry, the joined key `${coid}\u0000${seq}` (the
// fills row key projectEvent writes).
const ORDER = 1;
const POSITION = 2;
const TRADE = 4;
const EXIT_PLAN = 8;
const FILL = 16;
const FILL_SEQ_SHIFT = 4;
const FILL_SEQ_MAX = 26;

/** A batch's inserts so far, by key: the bits they add (see {@link RowKeyIndex.claim}). */
export type StagedRowKeys = Map<string, number>;

/**
 * The row keys of a {@link MemoryJournal}'s projection tables, for its append checks (internal): an insert's key must
 * be free, a patch's key must exist — the checks a SQL journal's primary keys make. The rows themselves are built
 * only when a table is read; this keeps only which keys exist.
 *
 * One `Map` from key string to a bit per table. The row-key checks are the costliest part of an append: with five
 * `Set`s (one per table, fills keyed by a joined string) about 6 % of a backtest's run, and about 1 % less this way
 * (measured: bench/README.md, "Eighth session"). The order of an `OrderFilled` and its fill, and the position of a
 * `PositionClosed` and its trade, are one lookup, and a fill needs no joined string. The checks are written out per event type, in the order of {@link projectEvent}'s writes, so that
 * a refused write's index names the same write there.
 *
 * @example
 * ```ts
 * const keys = new RowKeyIndex();
 * keys.claim(orderSubmitting); // -1: fits, orders[coid] now taken
 * keys.claim(orderSubmitting); // 0: its first write (the insert of orders[coid]) is refused
 * ```
 * @internal
 */
export class RowKeyIndex {
  readonly #bits = new Map<string, number>();

  /**
   * Checks the keyed writes of `event`'s projection (a valid event: see `validateEvent`) and takes the keys its inserts
   * claim. Returns -1 when every write fits, else the index of the first write refused (0 or 1, as in
   * `projectEvent(event)`), with nothing taken. With `staged`, a batch's overlay: keys taken earlier in the batch count
   * as taken, and this event's inserts go there instead (see {@link RowKeyIndex.commit}).
   *
   * @example
   * ```ts
   * if (keys.claim(event) !== -1) throw refusal(event);
   * ```
   */
  claim(event: DomainEvent, staged?: StagedRowKeys): number {
    switch (event.type) {
      case 'OrderSubmitting':
        return this.#insert(event.order.clientOrderId, ORDER, staged) ? -1 : 0;
      case 'OrderAccepted':
      case 'OrderRejected':
      case 'OrderCanceled':
        return (this.#get(event.clientOrderId, staged) & ORDER) !== 0 ? -1 : 0;
      case 'OrderFilled': {
        const coid = event.clientOrderId;
        const seq = event.fillSeq;
        if (seq <= FILL_SEQ_MAX) return this.#patchAndInsert(coid, ORDER, 1 << (seq + FILL_SEQ_SHIFT), staged);
        if ((this.#get(coid, staged) & ORDER) === 0) return 0;
        return this.#insert(`${coid}\u0000${seq}`, FILL, staged) ? -1 : 1;
      }
      case 'PositionOpened':
        return this.#insert(event.positionId, POSITION, staged) ? -1 : 0;
      case 'PositionChanged':
        return (this.#get(event.positionId, staged) & POSITION) !== 0 ? -1 : 0;
      case 'PositionClosed':
        return this.#patchAndInsert(event.positionId, POSITION, TRADE, staged);
      case 'ExitPlanCreated':
        return this.#insert(event.planId, EXIT_PLAN, staged) ? -1 : 0;
      case 'ExitPlanCompleted':
        return (this.#get(event.planId, staged) & EXIT_PLAN) !== 0 ? -1 : 0;
      default:
        return -1;
    }
  }

  /**
   * Takes the keys a batch staged (every event of it checked out).
   *
   * @example
   * ```ts
   * const staged: StagedRowKeys = new Map();
   * for (const e of batch) if (keys.claim(e, staged) !== -1) throw refusal(e);
   * keys.commit(staged);
   * ```
   */
  commit(staged: StagedRowKeys): void {
    const bits = this.#bits;
    for (const [key, added] of staged) bits.set(key, (bits.get(key) ?? 0) | added);
  }

  /** The bits of `key`: the index's, and the batch's when staging. */
  #get(key: string, staged: StagedRowKeys | undefined): number {
    const bits = this.#bits.get(key) ?? 0;
    return staged === undefined ? bits : bits | (staged.get(key) ?? 0);
  }

  /**
   * A patch of the row `patched` names on `key` and an insert of `inserted` on the same key (an order and its fill, a
   * position and its trade): -1 when both fit (`inserted` then taken), else the refused write (0 or 1).
   */
  #patchAndInsert(key: string, patched: number, inserted: number, staged: StagedRowKeys | undefined): number {
    const bits = this.#get(key, staged);
    if ((bits & patched) === 0) return 0;
    if ((bits & inserted) !== 0) return 1;
    this.#put(key, bits | inserted, inserted, staged);
    return -1;
  }

  /** Takes `bit` of `key` when it is free; false (nothing changed) when it is taken. */
  #insert(key: string, bit: number, staged: StagedRowKeys | undefined): boolean {
    const bits = this.#get(key, staged);
    if ((bits & bit) !== 0) return false;
    this.#put(key, bits | bit, bit, staged);
    return true;
  }

  /** Records `bit` as taken for `key`, whose bits become `all`: in the index, or in the batch's overlay. */
  #put(key: string, all: number, bit: number, staged: StagedRowKeys | undefined): void {
    if (staged === undefined) this.#bits.set(key, all);
    else staged.set(key, (staged.get(key) ?? 0) | bit);
  }
}
