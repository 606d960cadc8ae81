import {
  symbolId,
  type ClientOrderId,
  type Instrument,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type SymbolId,
  type VenueOrder,
  type VenueOrderId,
} from '@quantum-trader/core';
import type { Exchange, LeverageTier, Market, Order } from 'ccxt';

// ccxt's precision modes (base/functions/number): amounts and prices are decimal places or tick sizes.
const DECIMAL_PLACES = 2;
const TICK_SIZE = 4;

function step(value: number | undefined, precisionMode: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  if (precisionMode === DECIMAL_PLACES) return 10 ** -value;
  if (precisionMode === TICK_SIZE) return value;
  return value < 1 ? value : 10 ** -value;
}

/**
 * The engine's {@link Instrument} of a ccxt market: tick size and lot step from the market's precision, minimum
 * quantity and notional from its limits, maximum leverage and maintenance margin rate from the first leverage tier
 * when known. Returns `undefined` for markets the engine does not trade (only spot and linear perpetuals).
 *
 * @example
 * ```ts
 * await exchange.loadMarkets();
 * const btc = instrumentOfMarket(exchange.market('BTC/USDT:USDT'), exchange.precisionMode);
 * ```
 */
export function instrumentOfMarket(market: NonNullable<Market>, precisionMode: number | undefined, tier?: LeverageTier): Instrument | undefined {
  const contractType = market.spot === true ? 'spot' : market.swap === true && market.linear === true ? 'linear' : undefined;
  if (contractType === undefined) return undefined;
  let symbol: SymbolId;
  try {
    symbol = symbolId(market.symbol);
  } catch {
    return undefined;
  }
  const tickSize = step(market.precision?.price, precisionMode) ?? 0;
  const lotStep = step(market.precision?.amount, precisionMode) ?? 0;
  const mmr = tier?.maintenanceMarginRate;
  return {
    symbol,
    base: market.base,
    quote: market.quote,
    contractType,
    tickSize,
    lotStep,
    minQty: market.limits?.amount?.min ?? lotStep,
    minNotional: market.limits?.cost?.min ?? 0,
    maxLeverage: contractType === 'spot' ? 1 : (tier?.maxLeverage ?? market.limits?.leverage?.max ?? 20),
    makerFee: market.maker ?? 0.001,
    takerFee: market.taker ?? 0.001,
    ...(mmr !== undefined && mmr !== null ? { maintenanceMarginRate: mmr } : {}),
  };
}

/**
 * What the broker knows of an order it sent (to fill in what a venue answer leaves out).
 *
 * @example
 * ```ts
 * const sent: SentOrder = { type: 'stop_market', reduceOnly: true };
 * const view = venueOrderOf(ccxtOrder, sent);
 * ```
 */
export interface SentOrder {
  readonly type: OrderType;
  readonly reduceOnly: boolean;
}

/**
 * The engine's view of a ccxt order. Binance algo (conditional) orders are read by their algo status: a triggered
 * order counts as partially filled until its execution is complete.
 *
 * @example
 * ```ts
 * const order = venueOrderOf(await exchange.fetchOrder(undefined, 'BTC/USDT', { clientOrderId: coid }));
 * ```
 */
export function venueOrderOf(o: Order, sent?: SentOrder): VenueOrder | undefined {
  const coid = o.clientOrderId;
  if (coid === undefined || coid === null || coid === '') return undefined;
  let symbol: SymbolId;
  try {
    symbol = symbolId(o.symbol ?? '');
  } catch {
    return undefined;
  }
  const info = (o.info ?? {}) as Record<string, unknown>;
  const qty = num(o.amount) ?? num(info.quantity) ?? 0;
  const filledQty = num(o.filled) ?? num(info.executedQty) ?? num(info.aq) ?? 0;
  const avg = num(o.average) ?? num(info.avgPrice) ?? num(info.ap) ?? 0;
  const trigger = num(o.triggerPrice) ?? num(o.stopPrice);
  const type: OrderType = sent?.type ?? (trigger !== undefined && trigger > 0 ? 'stop_market' : o.type === 'limit' ? 'limit' : 'market');
  const status = statusOf(o, info, qty, filledQty);
  const price = num(o.price);
  return {
    clientOrderId: coid as ClientOrderId,
    venueOrderId: String(o.id) as VenueOrderId,
    symbol,
    side: (o.side === 'sell' ? 'sell' : 'buy') as OrderSide,
    type,
    qty,
    filledQty,
    avgFillPrice: filledQty > 0 ? avg : 0,
    reduceOnly: o.reduceOnly ?? sent?.reduceOnly ?? false,
    status,
    ts: o.timestamp ?? o.lastUpdateTimestamp ?? 0,
    ...(type === 'limit' && price !== undefined && price > 0 ? { price } : {}),
    ...(type === 'stop_market' && trigger !== undefined && trigger > 0 ? { stopPrice: trigger } : {}),
  };
}

function statusOf(o: Order, info: Record<string, unknown>, qty: number, filled: number): Exclude<OrderStatus, 'submitting'> {
  const algoStatus = typeof info.algoStatus === 'string' ? info.algoStatus : typeof info.X === 'string' && 'caid' in info ? info.X : undefined;
  const done = qty > 0 && filled >= qty * (1 - 1e-9);
  if (algoStatus !== undefined) {
    switch (algoStatus) {
      case 'NEW':
      case 'TRIGGERING':
        return filled > 0 ? 'partially_filled' : 'open';
      case 'TRIGGERED':
        return done ? 'filled' : filled > 0 ? 'partially_filled' : 'open';
      case 'FINISHED':
        return done ? 'filled' : 'canceled';
      case 'REJECTED':
        return 'rejected';
      default:
        return 'canceled';
    }
  }
  switch (o.status) {
    case 'closed':
      return 'filled';
    case 'canceled':
    case 'expired':
      return 'canceled';
    case 'rejected':
      return 'rejected';
    default:
      return done ? 'filled' : filled > 0 ? 'partially_filled' : 'open';
  }
}

function num(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** True for a ccxt exchange whose markets are linear perpetuals by default (e.g. `binanceusdm`). */
export function tradesContracts(exchange: Exchange): boolean {
  const t = (exchange.options as Record<string, unknown>).defaultType;
  return t === 'swap' || t === 'future';
}
