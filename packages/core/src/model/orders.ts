import type { ClientOrderId, IntentId, PositionId, StrategyId, SymbolId, UnixMillis, VenueOrderId } from './ids.js';

/** Order side. */
export type OrderSide = 'buy' | 'sell';
/** Direction of a position or signal. */
export type PositionSide = 'long' | 'short';
/** Order types the engine sends. `stop_market` triggers a market order when the stop price trades. */
export type OrderType = 'market' | 'limit' | 'stop_market';
/** Lifecycle of an order as the journal records it. */
export type OrderStatus = 'submitting' | 'open' | 'partially_filled' | 'filled' | 'canceled' | 'rejected';

/**
 * True for a status from which an order may still be accepted, filled or canceled (`submitting`, `open`,
 * `partially_filled`); false once it is filled, canceled or rejected.
 *
 * @example
 * ```ts
 * const live = journal.orders().filter((o) => isLiveOrderStatus(o.status));
 * ```
 */
export function isLiveOrderStatus(status: OrderStatus): boolean {
  return status === 'submitting' || status === 'open' || status === 'partially_filled';
}

/**
 * A command: send this order to the venue. Built by the execution engine and the Exit Brain, rounded to the
 * instrument's rules before it leaves the engine.
 *
 * @example
 * ```ts
 * const order: SubmitOrder = {
 *   clientOrderId: clientOrderIdOf(intentId, 'entry'), symbol: symbolId('BTC/USDT:USDT'),
 *   side: 'buy', type: 'market', qty: 0.01, reduceOnly: false, leverage: 1,
 * };
 * ```
 */
export interface SubmitOrder {
  readonly clientOrderId: ClientOrderId;
  readonly symbol: SymbolId;
  readonly side: OrderSide;
  readonly type: OrderType;
  /** Quantity in base units (contracts of size 1 base unit for linear perpetuals). */
  readonly qty: number;
  /** Limit price (limit orders). */
  readonly price?: number;
  /** Trigger price (stop orders). */
  readonly stopPrice?: number;
  /** Only ever reduces an existing position; the venue clamps or rejects anything that would increase it. */
  readonly reduceOnly: boolean;
  /** Leverage for linear perpetuals (1 for spot). */
  readonly leverage?: number;
  /** The intent this order serves (entry orders). */
  readonly intentId?: IntentId;
  /** The position this order belongs to (exit legs). */
  readonly positionId?: PositionId;
  /** Which leg of a plan: `entry`, `tp1`, `tp2`, `tp3`, `sl`, … */
  readonly leg?: string;
}

/**
 * A command: cancel the order with this client order id.
 *
 * @example
 * ```ts
 * const cmd: CancelOrder = { clientOrderId: coid, symbol: symbolId('BTC/USDT:USDT') };
 * ```
 */
export interface CancelOrder {
  readonly clientOrderId: ClientOrderId;
  readonly symbol: SymbolId;
}

/**
 * The venue's view of one order, as returned by {@link Broker.getOrder} / {@link Broker.openOrders}.
 *
 * @example
 * ```ts
 * const o = await broker.getOrder(coid, symbol);
 * if (o?.status === 'filled') { … }
 * ```
 */
export interface VenueOrder {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly symbol: SymbolId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly qty: number;
  readonly filledQty: number;
  readonly avgFillPrice: number;
  readonly price?: number;
  readonly stopPrice?: number;
  readonly reduceOnly: boolean;
  readonly status: Exclude<OrderStatus, 'submitting'>;
  readonly ts: UnixMillis;
}

/**
 * A trade intent: the risk engine's approved decision to open a position, carried on the intent queue to
 * execution. Its id is deterministic (see `intentIdOf`).
 *
 * @example
 * ```ts
 * const intent: TradeIntent = {
 *   id, strategyId: strategyId('momentum-24h'), symbol, side: 'buy', qty: 0.02, leverage: 1,
 *   refPrice: 50_000, ts: 1_617_235_260_000, signalTs: 1_617_235_200_000,
 * };
 * ```
 */
export interface TradeIntent {
  readonly id: IntentId;
  readonly strategyId: StrategyId;
  readonly symbol: SymbolId;
  readonly side: OrderSide;
  readonly qty: number;
  readonly leverage: number;
  /** Price the decision was made at (last close); the fill may differ. */
  readonly refPrice: number;
  /** When the intent was created. */
  readonly ts: UnixMillis;
  /** Open time of the candle the signal was computed on. */
  readonly signalTs: UnixMillis;
  /** Volatility measure at decision time (e.g. 24h stddev of returns, as a fraction), for the exit plan. */
  readonly volatility?: number;
}

/**
 * A balance in one currency at the venue.
 *
 * @example
 * ```ts
 * const usdt: Balance = { currency: 'USDT', total: 10_000, free: 9_000, used: 1_000 };
 * ```
 */
export interface Balance {
  readonly currency: string;
  readonly total: number;
  readonly free: number;
  readonly used: number;
}

/**
 * The venue's view of an open position.
 *
 * @example
 * ```ts
 * const [p] = await broker.positions();
 * ```
 */
export interface VenuePosition {
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly qty: number;
  readonly entryPrice: number;
  readonly leverage: number;
  readonly liquidationPrice?: number;
  readonly unrealizedPnl: number;
}

/**
 * A funding payment a venue settled on a perpetual position: `amount` (quote currency, negative = paid) is
 * `−positionQty × markPrice × rate`, where `positionQty` is signed (> 0 long) and `markPrice` is the open of the
 * first candle at or after the funding time.
 *
 * @example
 * ```ts
 * broker.funding$?.subscribe((p) => console.log(p.symbol, p.amount));
 * ```
 */
export interface FundingPayment {
  readonly symbol: SymbolId;
  /** The funding time (from the rate series). */
  readonly ts: UnixMillis;
  readonly rate: number;
  readonly markPrice: number;
  readonly positionQty: number;
  readonly amount: number;
}
