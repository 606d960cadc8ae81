import type { ClientOrderId, IntentId, PositionId, SymbolId, VenueOrderId } from '../../model/ids.js';
import type { OrderType } from '../../model/orders.js';
import { ChunkedList } from '../../collections/chunked-list.js';
import { newSimOrder, type SimOrder } from './simulated-book.js';

/** Text fields per order: client id, venue id, symbol, intent id, position id, leg. */
const TEXT = 6;
/** Number fields per order, in the order {@link FinishedOrders.add} writes them. */
const NUMS = 12;
const TYPES: readonly OrderType[] = ['market', 'limit', 'stop_market'];
const SELL = 1;
const CANCELED = 1 << 1;
const REDUCE_ONLY = 1 << 2;
const LIQUIDATION = 1 << 3;
const TRIGGERED = 1 << 4;
const HAS_PRICE = 1 << 5;
const HAS_STOP = 1 << 6;
/** The order type's index in {@link TYPES}, above the flag bits. */
const TYPE_SHIFT = 7;
/** Orders per chunk of the number columns (48 KB of numbers): chunks are never copied or grown. */
const CHUNK_BITS = 9;
const CHUNK = 1 << CHUNK_BITS;

/**
 * The simulated venue's finished orders (filled or canceled), kept in columns (internal). A backtest or a months-long
 * paper run finishes thousands of orders and almost never reads them again (`getOrder` after a restart, a duplicate
 * client order id, saved state). As {@link SimOrder} objects (28 fields, their numbers boxed) they cost the venue
 * 419 bytes each; here 162 (measured with 10,000 canceled limit orders, heap after a full collection): a few
 * typed-array entries and six references to strings the journal holds anyway. {@link FinishedOrders.order} builds
 * the order again, field for field.
 *
 * @internal
 */
export class FinishedOrders {
  readonly #index = new Map<ClientOrderId, number>();
  readonly #text = new ChunkedList<string | undefined>();
  readonly #nums: Float64Array[] = [];
  readonly #bits: Uint16Array[] = [];
  #size = 0;

  /** Number of finished orders held. */
  get size(): number {
    return this.#size;
  }

  /** True when a finished order has this client order id. */
  has(clientOrderId: ClientOrderId): boolean {
    return this.#index.has(clientOrderId);
  }

  /** Keeps a finished order (its status `filled` or `canceled`); it must not change any more. */
  add(o: SimOrder): void {
    const i = this.#size;
    const c = i >>> CHUNK_BITS;
    if (c === this.#nums.length) {
      this.#nums.push(new Float64Array(NUMS * CHUNK));
      this.#bits.push(new Uint16Array(CHUNK));
    }
    this.#index.set(o.clientOrderId, i);
    const text = this.#text;
    text.push(o.clientOrderId);
    text.push(o.venueOrderId);
    text.push(o.symbol);
    text.push(o.intentId);
    text.push(o.positionId);
    text.push(o.leg);
    const n = this.#nums[c]!;
    const at = (i & (CHUNK - 1)) * NUMS;
    n[at] = o.qty;
    n[at + 1] = o.price ?? 0;
    n[at + 2] = o.stopPrice ?? 0;
    n[at + 3] = o.leverage;
    n[at + 4] = o.seq;
    n[at + 5] = o.createdAt;
    n[at + 6] = o.updatedAt;
    n[at + 7] = o.refPrice;
    n[at + 8] = o.filledQty;
    n[at + 9] = o.avgFillPrice;
    n[at + 10] = o.fees;
    n[at + 11] = o.fillCount;
    this.#bits[c]![i & (CHUNK - 1)] =
      (o.side === 'sell' ? SELL : 0) |
      (o.status === 'canceled' ? CANCELED : 0) |
      (o.reduceOnly ? REDUCE_ONLY : 0) |
      (o.liquidation ? LIQUIDATION : 0) |
      (o.triggered ? TRIGGERED : 0) |
      (o.price !== undefined ? HAS_PRICE : 0) |
      (o.stopPrice !== undefined ? HAS_STOP : 0) |
      (TYPES.indexOf(o.type) << TYPE_SHIFT);
    this.#size = i + 1;
  }

  /** The finished order with this client order id, built again as it was kept; undefined when there is none. */
  order(clientOrderId: ClientOrderId): SimOrder | undefined {
    const i = this.#index.get(clientOrderId);
    return i === undefined ? undefined : this.#orderAt(i);
  }

  /** Every finished order, in the order they finished. */
  *orders(): IterableIterator<SimOrder> {
    for (let i = 0; i < this.#size; i++) yield this.#orderAt(i);
  }

  /** Forgets every finished order. */
  clear(): void {
    this.#index.clear();
    this.#text.clear();
    this.#nums.length = 0;
    this.#bits.length = 0;
    this.#size = 0;
  }

  #orderAt(i: number): SimOrder {
    const t = i * TEXT;
    const text = this.#text;
    const n = this.#nums[i >>> CHUNK_BITS]!;
    const at = (i & (CHUNK - 1)) * NUMS;
    const bits = this.#bits[i >>> CHUNK_BITS]![i & (CHUNK - 1)]!;
    return newSimOrder({
      clientOrderId: text.at(t) as ClientOrderId,
      venueOrderId: text.at(t + 1) as VenueOrderId,
      symbol: text.at(t + 2) as SymbolId,
      side: bits & SELL ? 'sell' : 'buy',
      type: TYPES[bits >> TYPE_SHIFT]!,
      qty: n[at]!,
      price: bits & HAS_PRICE ? n[at + 1]! : undefined,
      stopPrice: bits & HAS_STOP ? n[at + 2]! : undefined,
      reduceOnly: (bits & REDUCE_ONLY) !== 0,
      leverage: n[at + 3]!,
      intentId: text.at(t + 3) as IntentId | undefined,
      positionId: text.at(t + 4) as PositionId | undefined,
      leg: text.at(t + 5),
      seq: n[at + 4]!,
      createdAt: n[at + 5]!,
      updatedAt: n[at + 6]!,
      refPrice: n[at + 7]!,
      liquidation: (bits & LIQUIDATION) !== 0,
      status: bits & CANCELED ? 'canceled' : 'filled',
      filledQty: n[at + 8]!,
      avgFillPrice: n[at + 9]!,
      fees: n[at + 10]!,
      fillCount: n[at + 11]!,
      triggered: (bits & TRIGGERED) !== 0,
    });
  }
}
