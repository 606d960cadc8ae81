import type { ClientOrderId, IntentId, PositionId, SymbolId, UnixMillis, VenueOrderId } from '../../model/ids.js';
import { decimalsOf, type Instrument } from '../../model/instrument.js';
import type { OrderSide, OrderType, VenueOrder } from '../../model/orders.js';
import { IntrabarPath } from './intrabar-path.js';

/** Statuses of an order the simulated venue has accepted. */
export type SimOrderStatus = 'open' | 'partially_filled' | 'filled' | 'canceled';

/**
 * One order as the simulated venue keeps it (mutable, internal). Every field is initialised in
 * {@link newSimOrder} so all orders share one hidden class.
 *
 * @internal
 */
export interface SimOrder {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly symbol: SymbolId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly qty: number;
  readonly price: number | undefined;
  readonly stopPrice: number | undefined;
  readonly reduceOnly: boolean;
  readonly leverage: number;
  readonly intentId: IntentId | undefined;
  readonly positionId: PositionId | undefined;
  readonly leg: string | undefined;
  /** Submission order across the venue (1, 2, …). */
  readonly seq: number;
  readonly createdAt: UnixMillis;
  /** Price used to reserve balance/margin while the order works (0 when unknown). */
  readonly refPrice: number;
  readonly liquidation: boolean;
  updatedAt: UnixMillis;
  status: SimOrderStatus;
  filledQty: number;
  avgFillPrice: number;
  fees: number;
  fillCount: number;
  /** A stop whose trigger traded: it now fills like a market order. */
  triggered: boolean;
  /** Scratch for the candle being matched: where on the path it triggers (Infinity: not this candle). */
  trigT: number;
  /** Scratch: the price it fills at when it triggers. */
  trigPx: number;
  /** Scratch: the market price it fills against before slippage (market-like orders). */
  trigBase: number;
  /** Scratch: true when that fill is a maker fill. */
  trigMaker: boolean;
}

/** Creates a {@link SimOrder} with every field set. @internal */
export function newSimOrder(
  init: Omit<SimOrder, 'trigT' | 'trigPx' | 'trigBase' | 'trigMaker'>,
): SimOrder {
  return {
    clientOrderId: init.clientOrderId,
    venueOrderId: init.venueOrderId,
    symbol: init.symbol,
    side: init.side,
    type: init.type,
    qty: init.qty,
    price: init.price,
    stopPrice: init.stopPrice,
    reduceOnly: init.reduceOnly,
    leverage: init.leverage,
    intentId: init.intentId,
    positionId: init.positionId,
    leg: init.leg,
    seq: init.seq,
    createdAt: init.createdAt,
    refPrice: init.refPrice,
    liquidation: init.liquidation,
    updatedAt: init.updatedAt,
    status: init.status,
    filledQty: init.filledQty,
    avgFillPrice: init.avgFillPrice,
    fees: init.fees,
    fillCount: init.fillCount,
    triggered: init.triggered,
    trigT: Infinity,
    trigPx: 0,
    trigBase: 0,
    trigMaker: false,
  };
}

/** True while the order can still fill. @internal */
export function isWorking(o: SimOrder): boolean {
  return o.status === 'open' || o.status === 'partially_filled';
}

/** Quantity still to fill. @internal */
export function remainingOf(o: SimOrder, book: SymbolBook): number {
  return book.roundQty(o.qty - o.filledQty);
}

/** The public, immutable view of an order. @internal */
export function venueOrderOf(o: SimOrder): VenueOrder {
  const v: { -readonly [K in keyof VenueOrder]: VenueOrder[K] } = {
    clientOrderId: o.clientOrderId,
    venueOrderId: o.venueOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    filledQty: o.filledQty,
    avgFillPrice: o.avgFillPrice,
  } as VenueOrder;
  // the optional prices in their place, set only when the order has them (no conditional spreads: no copies)
  if (o.price !== undefined) v.price = o.price;
  if (o.stopPrice !== undefined) v.stopPrice = o.stopPrice;
  v.reduceOnly = o.reduceOnly;
  v.status = o.status;
  v.ts = o.createdAt;
  return v;
}

/**
 * Everything the simulated venue knows about one symbol: its rules, its working orders (in submission order)
 * and its net position (one-way mode), stored inline so matching a candle allocates nothing.
 *
 * @internal
 */
export class SymbolBook {
  readonly symbol: SymbolId;
  readonly spot: boolean;
  readonly mmr: number;
  private readonly qtyFactor: number;
  private readonly pxFactor: number;
  /** Working orders in submission order; finished ones are removed after each candle. */
  orders: SimOrder[] = [];
  /** Net position: > 0 long, < 0 short (spot: never below 0). */
  posQty = 0;
  entryPrice = 0;
  leverage = 1;
  /** Isolated margin locked by the position (linear only). */
  margin = 0;
  /** Liquidation price of the current position (linear only; NaN when flat). */
  liqPrice = Number.NaN;
  /** Last close seen (NaN before the first candle). */
  last = Number.NaN;
  /** The intrabar path of the candle being matched (one per book, reused). */
  readonly path = new IntrabarPath();
  /** Set while a candle of this symbol is being matched. */
  busy = false;

  constructor(readonly instrument: Instrument) {
    this.symbol = instrument.symbol;
    this.spot = instrument.contractType === 'spot';
    this.mmr = instrument.maintenanceMarginRate ?? 0.004;
    this.qtyFactor = 10 ** Math.min(decimalsOf(instrument.lotStep), 15);
    this.pxFactor = 10 ** Math.min(decimalsOf(instrument.tickSize), 15);
  }

  /** Removes binary noise from a quantity (to the lot step's decimals). */
  roundQty(q: number): number {
    return Math.round(q * this.qtyFactor) / this.qtyFactor;
  }

  /** Floors a quantity to a multiple of the lot step. */
  floorQty(q: number): number {
    const step = this.instrument.lotStep;
    return this.roundQty(Math.floor(q / step + 1e-9) * step);
  }

  /** Rounds a price to the nearest tick. */
  roundPrice(p: number): number {
    const tick = this.instrument.tickSize;
    return Math.round(Math.round(p / tick) * tick * this.pxFactor) / this.pxFactor;
  }

  /** Rounds a price up (`up`) or down to a tick. */
  roundPriceDir(p: number, up: boolean): number {
    const tick = this.instrument.tickSize;
    const n = up ? Math.ceil(p / tick - 1e-9) : Math.floor(p / tick + 1e-9);
    return Math.round(n * tick * this.pxFactor) / this.pxFactor;
  }

  /**
   * Recomputes the isolated liquidation price after the position changed:
   * long `entry × (1 − 1/leverage + mmr)` rounded up to a tick, short `entry × (1 + 1/leverage − mmr)` rounded
   * down to a tick (both round towards the entry: the conservative side).
   */
  updateLiquidationPrice(): void {
    if (this.spot || this.posQty === 0) {
      this.liqPrice = Number.NaN;
      return;
    }
    const inv = 1 / this.leverage;
    this.liqPrice =
      this.posQty > 0
        ? this.roundPriceDir(this.entryPrice * (1 - inv + this.mmr), true)
        : this.roundPriceDir(this.entryPrice * (1 + inv - this.mmr), false);
  }
}
