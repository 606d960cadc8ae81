import { dec, binanceStatus, marketIdOf, type MarketKind } from './binance-json.js';
import type { Instrument, OrderFilled, UnixMillis, VenueOrder } from '@quantum-trader/core';

/** One order as the stand-in remembers it (the SimulatedExchange holds its state). */
export interface OrderRecord {
  readonly kind: MarketKind;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly instrument: Instrument;
  readonly binanceType: string;
  readonly timeInForce: string;
  readonly algo: boolean;
  readonly createdAt: UnixMillis;
  updatedAt: UnixMillis;
  cancelReason: string | undefined;
  canceledByUser: boolean;
  /** Set once a triggered algo order is visible as a regular order. */
  actualOrderId: number | undefined;
  trades: number;
}

/** Binance's status of an order (a venue-canceled order is EXPIRED). */
export function statusOf(rec: OrderRecord, o: VenueOrder): string {
  if (o.status === 'canceled' && rec.cancelReason !== undefined && !rec.canceledByUser) return 'EXPIRED';
  return binanceStatus(o.status);
}

/** An order as Binance's REST API shows it (spot or USDⓈ-M; `created`: the answer of `POST order`). */
export function orderJson(rec: OrderRecord, o: VenueOrder, created: boolean): Record<string, unknown> {
  const inst = rec.instrument;
  const id = rec.actualOrderId ?? rec.orderId;
  const price = o.price ?? 0;
  const stopPrice = o.stopPrice ?? 0;
  const status = statusOf(rec, o);
  const type = rec.algo ? 'MARKET' : rec.binanceType;
  if (rec.kind === 'spot') {
    const base = {
      symbol: marketIdOf(inst),
      orderId: id,
      orderListId: -1,
      clientOrderId: rec.clientOrderId,
      price: dec(price),
      origQty: dec(o.qty),
      executedQty: dec(o.filledQty),
      cummulativeQuoteQty: dec(o.filledQty * o.avgFillPrice),
      status,
      timeInForce: rec.timeInForce,
      type,
      side: o.side.toUpperCase(),
      workingTime: rec.createdAt,
      selfTradePreventionMode: 'EXPIRE_MAKER',
    };
    if (created) return { ...base, transactTime: rec.updatedAt, fills: [] };
    return { ...base, stopPrice: dec(stopPrice), icebergQty: '0', time: rec.createdAt, updateTime: rec.updatedAt, isWorking: status !== 'NEW' || rec.binanceType !== 'STOP_LOSS', origQuoteOrderQty: '0' };
  }
  return {
    orderId: id,
    symbol: marketIdOf(inst),
    status,
    clientOrderId: rec.clientOrderId,
    price: dec(price),
    avgPrice: dec(o.avgFillPrice),
    origQty: dec(o.qty),
    executedQty: dec(o.filledQty),
    cumQty: dec(o.filledQty),
    cumQuote: dec(o.filledQty * o.avgFillPrice),
    timeInForce: rec.timeInForce,
    type,
    reduceOnly: o.reduceOnly,
    closePosition: false,
    side: o.side.toUpperCase(),
    positionSide: 'BOTH',
    stopPrice: dec(stopPrice),
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: rec.algo ? 'STOP_MARKET' : rec.binanceType,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    time: rec.createdAt,
    updateTime: rec.updatedAt,
  };
}

/** Binance's algo status of a conditional order. */
export function algoStatus(rec: OrderRecord, o: VenueOrder): string {
  if (o.status === 'open') return 'NEW';
  if (o.status === 'partially_filled') return 'TRIGGERED';
  if (o.status === 'filled') return 'FINISHED';
  if (o.status === 'rejected') return 'REJECTED';
  return o.filledQty > 0 ? 'FINISHED' : rec.canceledByUser ? 'CANCELED' : 'EXPIRED';
}

/** A conditional (algo) order as `GET /fapi/v1/algoOrder` shows it. */
export function algoJson(rec: OrderRecord, o: VenueOrder): Record<string, unknown> {
  return {
    algoId: rec.orderId,
    clientAlgoId: rec.clientOrderId,
    algoType: 'CONDITIONAL',
    orderType: rec.binanceType,
    symbol: marketIdOf(rec.instrument),
    side: o.side.toUpperCase(),
    positionSide: 'BOTH',
    timeInForce: 'GTC',
    quantity: dec(o.qty),
    algoStatus: algoStatus(rec, o),
    actualOrderId: rec.actualOrderId !== undefined ? String(rec.actualOrderId) : '',
    actualPrice: dec(o.avgFillPrice),
    executedQty: dec(o.filledQty),
    avgPrice: dec(o.avgFillPrice),
    triggerPrice: dec(o.stopPrice ?? 0),
    price: '0',
    icebergQuantity: null,
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: 'CONTRACT_PRICE',
    priceMatch: 'NONE',
    closePosition: false,
    priceProtect: false,
    reduceOnly: o.reduceOnly,
    createTime: rec.createdAt,
    updateTime: rec.updatedAt,
    triggerTime: rec.actualOrderId !== undefined ? rec.updatedAt : 0,
    goodTillDate: 0,
  };
}

/** What happened to an order, in the words of Binance's execution type. */
export type Execution = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'TRIGGERED';

/**
 * The user-data events of one order change: spot `executionReport`, USDⓈ-M `ORDER_TRADE_UPDATE`, and
 * `ALGO_UPDATE` for conditional orders.
 */
export function orderUpdateEvents(
kind: MarketKind,
rec: OrderRecord,
o: VenueOrder,
exec: Execution,
fill: OrderFilled | undefined,
now: UnixMillis,
tradeId: number,
): Array<Record<string, unknown>> {
const out: Array<Record<string, unknown>> = [];
const id = marketIdOf(rec.instrument);
const status = statusOf(rec, o);
  if (rec.algo && (exec === 'NEW' || exec === 'TRIGGERED' || exec === 'CANCELED' || exec === 'EXPIRED' || status === 'FILLED')) {
    out.push({
      e: 'ALGO_UPDATE',
      T: now,
      E: now,
      o: {
        caid: rec.clientOrderId,
        aid: rec.orderId,
        at: 'CONDITIONAL',
        o: rec.binanceType,
        s: id,
        S: o.side.toUpperCase(),
        ps: 'BOTH',
        f: 'GTC',
        q: dec(o.qty),
        X: algoStatus(rec, o),
        ai: rec.actualOrderId !== undefined ? String(rec.actualOrderId) : '',
        ap: dec(o.avgFillPrice),
        aq: dec(o.filledQty),
        act: 'MARKET',
        tp: dec(o.stopPrice ?? 0),
        p: '0',
        V: 'EXPIRE_MAKER',
        wt: 'CONTRACT_PRICE',
        pm: 'NONE',
        cp: false,
        pP: false,
        R: o.reduceOnly,
        tt: 0,
        gtd: 0,
      },
    });
    if (exec !== 'TRADE') return out;
  }
  if (rec.algo && exec !== 'TRADE') return out;
  const common = {
    s: id,
    c: rec.clientOrderId,
    S: o.side.toUpperCase(),
    o: rec.algo ? 'MARKET' : rec.binanceType,
    f: rec.timeInForce,
    q: dec(o.qty),
    p: dec(o.price ?? 0),
    x: exec === 'TRADE' ? 'TRADE' : exec === 'TRIGGERED' ? 'NEW' : exec,
    X: status,
    i: rec.actualOrderId ?? rec.orderId,
    l: dec(fill?.qty ?? 0),
    z: dec(o.filledQty),
    L: dec(fill?.price ?? 0),
    n: dec(fill?.fee ?? 0),
    N: fill !== undefined ? fill.feeCurrency : null,
    T: now,
    t: tradeId,
    m: fill?.liquidity === 'maker',
  };
  if (kind === 'spot') {
    out.push({
      e: 'executionReport',
      E: now,
      ...common,
      C: exec === 'CANCELED' || exec === 'EXPIRED' ? rec.clientOrderId : '',
      c: exec === 'CANCELED' ? `cancel-${rec.orderId}` : rec.clientOrderId,
      P: dec(o.stopPrice ?? 0),
      F: '0.00000000',
      g: -1,
      r: 'NONE',
      I: tradeId,
      w: status === 'NEW' || status === 'PARTIALLY_FILLED',
      M: false,
      O: rec.createdAt,
      Z: dec(o.filledQty * o.avgFillPrice),
      Y: dec((fill?.qty ?? 0) * (fill?.price ?? 0)),
      Q: '0.00000000',
      W: rec.createdAt,
      V: 'EXPIRE_MAKER',
    });
  } else {
    out.push({
      e: 'ORDER_TRADE_UPDATE',
      E: now,
      T: now,
      o: {
        ...common,
        ap: dec(o.avgFillPrice),
        sp: dec(o.stopPrice ?? 0),
        b: '0',
        a: '0',
        R: o.reduceOnly,
        wt: 'CONTRACT_PRICE',
        ot: rec.algo ? 'STOP_MARKET' : rec.binanceType,
        ps: 'BOTH',
        cp: false,
        rp: '0',
        pP: false,
        si: 0,
        ss: 0,
        V: 'EXPIRE_MAKER',
        pm: 'NONE',
        gtd: 0,
      },
    });
  }
  return out;
}
