import {
  eventIdOf,
  type BrokerEvent,
  type ClientOrderId,
  type Instrument,
  type OrderSide,
  type OrderType,
  type SymbolId,
  type UnixMillis,
  type VenueOrder,
} from '@quantum-trader/core';

/** The last execution of an order as a user-data stream reports it (Binance `l`, `L`, `n`, `N`, `m`). */
export interface LastExecution {
  readonly qty: number;
  readonly price: number;
  readonly fee: number;
  readonly feeCurrency: string | undefined;
  readonly maker: boolean | undefined;
}

interface Tracked {
  readonly clientOrderId: ClientOrderId;
  readonly symbol: SymbolId;
  side: OrderSide;
  type: OrderType;
  reduceOnly: boolean;
  qty: number;
  filledQty: number;
  avgPrice: number;
  fillSeq: number;
  venueOrderId: string | undefined;
  finished: boolean;
  cancelRequested: boolean;
  /** False until the venue has confirmed the order (accepted, or found by a look-up). */
  confirmed: boolean;
}

const EPS = 1e-12;

/**
 * Turns successive venue views of orders (WebSocket updates, REST answers, in any order and with repeats) into
 * `OrderFilled` and `OrderCanceled` events, each exactly once: fills are the growth of the cumulative filled
 * quantity, so a fill seen twice (stream and REST back-fill) is reported once. Only orders it tracks are reported:
 * the ones this broker sent, and the ones it adopted by looking them up.
 */
export class OrderTracker {
  private readonly orders = new Map<ClientOrderId, Tracked>();

  constructor(
    private readonly emit: (event: BrokerEvent) => void,
    private readonly instrumentOf: (symbol: SymbolId) => Instrument | undefined,
    private readonly now: () => UnixMillis,
  ) {}

  /** Starts tracking an order about to be sent (before the venue answers, so no early update is lost). */
  track(o: { clientOrderId: ClientOrderId; symbol: SymbolId; side: OrderSide; type: OrderType; reduceOnly: boolean; qty: number }): void {
    if (this.orders.has(o.clientOrderId)) return;
    this.orders.set(o.clientOrderId, {
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      reduceOnly: o.reduceOnly,
      qty: o.qty,
      filledQty: 0,
      avgPrice: 0,
      fillSeq: 0,
      venueOrderId: undefined,
      finished: false,
      cancelRequested: false,
      confirmed: false,
    });
  }

  /**
   * Starts tracking an order found at the venue, from its current state: what it filled before is not reported
   * (after a restart the execution engine's recovery journals that), later fills are, numbered from `fillSeq + 1`.
   */
  adopt(v: VenueOrder, fillSeq?: number): void {
    const known = this.orders.get(v.clientOrderId);
    if (known !== undefined && known.confirmed) return;
    this.orders.set(v.clientOrderId, {
      clientOrderId: v.clientOrderId,
      symbol: v.symbol,
      side: v.side,
      type: known?.type ?? v.type,
      reduceOnly: v.reduceOnly,
      qty: v.qty,
      filledQty: v.filledQty,
      avgPrice: v.avgFillPrice,
      fillSeq: fillSeq ?? (v.filledQty > 0 ? 1 : 0),
      venueOrderId: v.venueOrderId,
      finished: v.status === 'filled' || v.status === 'canceled' || v.status === 'rejected',
      cancelRequested: known?.cancelRequested ?? false,
      confirmed: true,
    });
  }

  /**
   * Sets the number of fills already reported for an order (e.g. journalled before a restart), so that the next
   * fill gets the following number.
   */
  seedFillSeq(clientOrderId: ClientOrderId, fillSeq: number): void {
    const t = this.orders.get(clientOrderId);
    if (t !== undefined && fillSeq > t.fillSeq) t.fillSeq = fillSeq;
  }

  /** Stops tracking an order the venue refused. */
  forget(clientOrderId: ClientOrderId): void {
    const t = this.orders.get(clientOrderId);
    if (t !== undefined && !t.confirmed) this.orders.delete(clientOrderId);
  }

  isTracked(clientOrderId: ClientOrderId): boolean {
    return this.orders.has(clientOrderId);
  }

  typeOf(clientOrderId: ClientOrderId): OrderType | undefined {
    return this.orders.get(clientOrderId)?.type;
  }

  /** Marks that we asked for a cancel, so the cancel is reported as ours. */
  cancelRequested(clientOrderId: ClientOrderId): void {
    const t = this.orders.get(clientOrderId);
    if (t !== undefined) t.cancelRequested = true;
  }

  /** Orders still working (or not yet confirmed), by symbol. */
  working(): Map<SymbolId, ClientOrderId[]> {
    const out = new Map<SymbolId, ClientOrderId[]>();
    for (const t of this.orders.values()) {
      if (t.finished) continue;
      const list = out.get(t.symbol) ?? [];
      list.push(t.clientOrderId);
      out.set(t.symbol, list);
    }
    return out;
  }

  /**
   * Applies a venue view of an order, emitting the fill it reveals (if the filled quantity grew) and the cancel (if
   * the order ended without filling completely).
   *
   * @param last - the execution the update reports, when the stream says (exact price, fee and liquidity).
   * @param ts - venue time of the update.
   * @param reason - why the order ended, when the venue says.
   */
  observe(v: VenueOrder, last?: LastExecution, ts?: UnixMillis, reason?: string): void {
    const t = this.orders.get(v.clientOrderId);
    if (t === undefined || t.symbol !== v.symbol) return;
    t.confirmed = true;
    t.venueOrderId = v.venueOrderId;
    if (v.qty > 0) t.qty = v.qty;
    if (t.finished) return;
    const at = ts ?? this.now();
    const delta = v.filledQty - t.filledQty;
    if (delta > EPS * Math.max(1, v.filledQty)) {
      const inst = this.instrumentOf(t.symbol);
      const exact = last !== undefined && last.qty > 0 && Math.abs(last.qty - delta) <= 1e-9 * Math.max(1, delta);
      let price = exact ? last.price : v.avgFillPrice;
      if (!exact && t.filledQty > 0 && v.avgFillPrice > 0) {
        const p = (v.avgFillPrice * v.filledQty - t.avgPrice * t.filledQty) / delta;
        if (p > 0 && Number.isFinite(p)) price = p;
      }
      const liquidity = exact && last.maker !== undefined ? (last.maker ? 'maker' : 'taker') : t.type === 'limit' ? 'maker' : 'taker';
      const quote = inst?.quote ?? v.symbol.split('/')[1]!.split(':')[0]!;
      let fee: number;
      if (exact && last.feeCurrency === quote) fee = last.fee;
      else if (exact && inst !== undefined && last.feeCurrency === inst.base) fee = last.fee * price;
      else fee = delta * price * (liquidity === 'maker' ? (inst?.makerFee ?? 0) : (inst?.takerFee ?? 0));
      t.avgPrice = (t.avgPrice * t.filledQty + price * delta) / v.filledQty;
      t.filledQty = v.filledQty;
      t.fillSeq++;
      this.emit({
        id: eventIdOf('OrderFilled', t.clientOrderId, t.fillSeq),
        type: 'OrderFilled',
        ts: at,
        clientOrderId: t.clientOrderId,
        venueOrderId: v.venueOrderId,
        symbol: t.symbol,
        side: t.side,
        orderType: t.type,
        fillSeq: t.fillSeq,
        qty: delta,
        price,
        fee,
        feeCurrency: quote,
        liquidity,
        remainingQty: Math.max(0, t.qty - t.filledQty),
        reduceOnly: t.reduceOnly,
      });
    }
    if (v.status === 'filled' || (t.qty > 0 && t.filledQty >= t.qty * (1 - 1e-9))) {
      t.finished = true;
      return;
    }
    if (v.status === 'canceled' || v.status === 'rejected') {
      t.finished = true;
      this.emit({
        id: eventIdOf('OrderCanceled', t.clientOrderId),
        type: 'OrderCanceled',
        ts: at,
        clientOrderId: t.clientOrderId,
        symbol: t.symbol,
        reason: reason ?? (t.cancelRequested ? 'canceled by client' : `${v.status} by the venue`),
      });
    }
  }
}
