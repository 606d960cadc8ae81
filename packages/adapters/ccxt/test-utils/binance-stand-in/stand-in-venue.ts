import type { SchedulerAction, SchedulerLike } from 'rxjs';
import { Subscription } from 'rxjs';
import {
  SimulatedExchange,
  TIMEFRAME_MS,
  type BrokerEvent,
  type Candle,
  type ClientOrderId,
  type Instrument,
  type OrderType,
  type SubmitOrder,
  type SymbolId,
  type Timeframe,
  type UnixMillis,
  type VenueOrder,
} from '@quantum-trader/core';
import { binanceStatus, dec, marketIdOf, type MarketKind } from './binance-json.js';

/** A clock the stand-in moves by hand (market time); nothing is ever scheduled on it. */
export class MarketClock implements SchedulerLike {
  constructor(public t: UnixMillis) {}
  now(): number {
    return this.t;
  }
  schedule<T>(_work: (this: SchedulerAction<T>, state?: T) => void): Subscription {
    throw new Error('MarketClock does not schedule work');
  }
}

/** A Binance error answer. */
export interface BinanceError {
  readonly status: number;
  readonly code: number;
  readonly msg: string;
}

/** What a handler returns: a JSON body with a status, or a Binance error. */
export type Answer = { readonly status: number; readonly body: unknown } | { readonly error: BinanceError };

export function ok(body: unknown): Answer {
  return { status: 200, body };
}
export function fail(code: number, msg: string, status = 400): Answer {
  return { error: { status, code, msg } };
}

/** One order as the stand-in remembers it (the SimulatedExchange holds its state). */
interface OrderRecord {
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

/** Per-kind account: one SimulatedExchange plus the Binance-side settings it lacks. */
interface Account {
  readonly kind: MarketKind;
  readonly sim: SimulatedExchange;
  readonly byMarketId: Map<string, Instrument>;
  readonly records: Map<string, OrderRecord>;
  readonly byOrderId: Map<number, OrderRecord>;
  readonly leverage: Map<string, number>;
  readonly marginType: Map<string, 'ISOLATED' | 'CROSSED'>;
}

/** Settings of one market kind of the stand-in. */
export interface StandInMarkets {
  readonly instruments: readonly Instrument[];
  readonly balances: Readonly<Record<string, number>>;
}

/** Options of {@link StandInVenue}. */
export interface StandInVenueOptions {
  readonly spot?: StandInMarkets;
  readonly futures?: StandInMarkets;
  readonly startTime: UnixMillis;
  readonly slippageBps?: number;
  readonly maxVolumeParticipation?: number;
  /** Default leverage of a futures symbol before `POST /fapi/v1/leverage` (Binance: 20). */
  readonly defaultLeverage?: number;
}

/** Events the venue publishes to the WebSocket layer. */
export interface VenueListener {
  user(kind: MarketKind, payload: Record<string, unknown>): void;
  market(kind: MarketKind, stream: string, payload: Record<string, unknown>): void;
}

const COID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/**
 * The trading and market-data state behind the stand-in's HTTP and WebSocket faces: a SimulatedExchange per market
 * kind for matching, Binance-shaped orders, klines and tickers.
 */
export class StandInVenue {
  readonly clock: MarketClock;
  private readonly accounts = new Map<MarketKind, Account>();
  private readonly candles = new Map<string, Candle[]>();
  private nextOrderId = 1_000_000;
  private nextTradeId = 1;
  private readonly listeners: VenueListener[] = [];
  private readonly defaultLeverage: number;

  constructor(options: StandInVenueOptions) {
    this.clock = new MarketClock(options.startTime);
    this.defaultLeverage = options.defaultLeverage ?? 20;
    for (const kind of ['spot', 'futures'] as const) {
      const m = options[kind];
      if (m === undefined) continue;
      const sim = new SimulatedExchange({
        instruments: m.instruments,
        balances: m.balances,
        scheduler: this.clock,
        ...(options.slippageBps !== undefined ? { slippageBps: options.slippageBps } : {}),
        ...(options.maxVolumeParticipation !== undefined ? { maxVolumeParticipation: options.maxVolumeParticipation } : {}),
      });
      const account: Account = {
        kind,
        sim,
        byMarketId: new Map(m.instruments.map((i) => [marketIdOf(i), i])),
        records: new Map(),
        byOrderId: new Map(),
        leverage: new Map(),
        marginType: new Map(),
      };
      sim.events$.subscribe((e) => this.onSimEvent(account, e));
      this.accounts.set(kind, account);
    }
  }

  /** Registers a listener for user-data and market events. */
  listen(listener: VenueListener): void {
    this.listeners.push(listener);
  }

  instruments(kind: MarketKind): readonly Instrument[] {
    return [...(this.accounts.get(kind)?.byMarketId.values() ?? [])];
  }

  /** The SimulatedExchange matching one market kind (tests may inspect it). */
  simOf(kind: MarketKind): SimulatedExchange | undefined {
    return this.accounts.get(kind)?.sim;
  }

  instrument(kind: MarketKind, marketId: string | undefined): Instrument | undefined {
    return marketId === undefined ? undefined : this.accounts.get(kind)?.byMarketId.get(marketId);
  }

  // ---------------------------------------------------------------- market data

  private key(kind: MarketKind, marketId: string, tf: string): string {
    return `${kind}:${marketId}:${tf}`;
  }

  /** Stores candles (sorted, replacing same-time ones) without matching or streaming them. */
  seedCandles(symbol: SymbolId, timeframe: Timeframe, candles: readonly Candle[]): void {
    const { kind, marketId } = this.locate(symbol);
    const k = this.key(kind, marketId, timeframe);
    const list = this.candles.get(k) ?? [];
    for (const c of candles) insertCandle(list, c);
    this.candles.set(k, list);
  }

  /**
   * A candle closes: it is stored, the market clock moves to its close, the symbol's orders are matched against it
   * and the kline/ticker streams publish it (closed) followed by the opening update of the next candle.
   */
  pushCandle(symbol: SymbolId, timeframe: Timeframe, candle: Candle): void {
    const { kind, marketId, instrument } = this.locate(symbol);
    const k = this.key(kind, marketId, timeframe);
    const list = this.candles.get(k) ?? [];
    insertCandle(list, candle);
    this.candles.set(k, list);
    const tf = TIMEFRAME_MS[timeframe];
    const close = candle.ts + tf;
    if (close > this.clock.t) this.clock.t = close;
    if (instrument !== undefined) this.accounts.get(kind)!.sim.onCandle(symbol, candle);
    const stream = `${marketId.toLowerCase()}@kline_${timeframe}`;
    this.emitMarket(kind, stream, klineEvent(marketId, timeframe, candle, tf, true, this.clock.t));
    const next: Candle = { ts: close, open: candle.close, high: candle.close, low: candle.close, close: candle.close, volume: 0 };
    this.emitMarket(kind, stream, klineEvent(marketId, timeframe, next, tf, false, this.clock.t));
    const ticker = tickerEvent(this.tickerBody(kind, marketId), this.clock.t);
    this.emitMarket(kind, `${marketId.toLowerCase()}@ticker`, ticker);
    const { e: _e, s, c, o, h, l, v, q, E } = ticker;
    this.emitMarket(kind, `${marketId.toLowerCase()}@miniTicker`, { e: '24hrMiniTicker', E, s, c, o, h, l, v, q });
  }

  /** Rows of `GET klines`: stored candles only (the stand-in has no forming candle over REST). */
  klines(kind: MarketKind, marketId: string, interval: string, startTime?: number, endTime?: number, limit = 500): unknown[] {
    const list = this.candles.get(this.key(kind, marketId, interval)) ?? [];
    const tf = TIMEFRAME_MS[interval as Timeframe] ?? 60_000;
    let from: number;
    let to = endTime === undefined ? list.length : lowerBound(list, endTime + 1);
    if (startTime !== undefined) {
      from = lowerBound(list, startTime);
      to = Math.min(to, from + limit);
    } else {
      // without a start Binance answers the most recent candles
      from = Math.max(0, to - limit);
    }
    return list.slice(from, Math.max(from, to)).map((c) => klineRow(c, tf));
  }

  /** The body of a 24-hour ticker from the finest stored candles of a market. */
  tickerBody(kind: MarketKind, marketId: string): Record<string, unknown> {
    let series: Candle[] = [];
    let tfMs = Infinity;
    for (const [k, list] of this.candles) {
      const [kk, id, tf] = k.split(':');
      if (kk !== kind || id !== marketId || list.length === 0) continue;
      const ms = TIMEFRAME_MS[tf as Timeframe] ?? Infinity;
      if (ms < tfMs) {
        tfMs = ms;
        series = list;
      }
    }
    const last = series[series.length - 1];
    const closeTime = last === undefined ? this.clock.t : last.ts + tfMs - 1;
    const window = series.filter((c) => c.ts > closeTime - 86_400_000);
    const first = window[0];
    const open = first?.open ?? 0;
    const lastPrice = last?.close ?? 0;
    let high = 0;
    let low = Number.POSITIVE_INFINITY;
    let volume = 0;
    for (const c of window) {
      if (c.high > high) high = c.high;
      if (c.low < low) low = c.low;
      volume += c.volume;
    }
    if (!Number.isFinite(low)) low = 0;
    return {
      s: marketId,
      symbol: marketId,
      priceChange: dec(lastPrice - open),
      priceChangePercent: dec(open > 0 ? ((lastPrice - open) / open) * 100 : 0),
      weightedAvgPrice: dec(lastPrice),
      lastPrice: dec(lastPrice),
      lastQty: '0',
      openPrice: dec(open),
      highPrice: dec(high),
      lowPrice: dec(low),
      volume: dec(volume),
      quoteVolume: dec(volume * lastPrice),
      openTime: first?.ts ?? this.clock.t,
      closeTime,
      firstId: 1,
      lastId: 1,
      count: window.length,
    };
  }

  private locate(symbol: SymbolId): { kind: MarketKind; marketId: string; instrument: Instrument | undefined } {
    const kind: MarketKind = symbol.includes(':') ? 'futures' : 'spot';
    const pair = symbol.split(':')[0]!;
    const marketId = pair.replace('/', '');
    return { kind, marketId, instrument: this.accounts.get(kind)?.byMarketId.get(marketId) };
  }

  // ---------------------------------------------------------------- accounts

  /** `GET /api/v3/account`. */
  spotAccount(): Answer {
    const a = this.accounts.get('spot');
    if (a === undefined) return fail(-1121, 'Invalid symbol.');
    return ok({
      makerCommission: 10,
      takerCommission: 10,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
      canTrade: true,
      canWithdraw: true,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: this.clock.t,
      accountType: 'SPOT',
      balances: a.sim.balances().map((b) => ({ asset: b.currency, free: dec(b.free), locked: dec(b.used) })),
      permissions: ['SPOT'],
      uid: 1,
    });
  }

  private futuresPositions(a: Account): Array<Record<string, unknown>> {
    const state = a.sim.exportState();
    const out: Array<Record<string, unknown>> = [];
    for (const p of a.sim.positions()) {
      const inst = a.byMarketId.get(marketIdOf(a.sim.instruments().find((i) => i.symbol === p.symbol)!))!;
      const id = marketIdOf(inst);
      const sign = p.side === 'long' ? 1 : -1;
      const mark = a.sim.lastPrice(p.symbol) ?? p.entryPrice;
      const notional = sign * p.qty * mark;
      const margin = state.positions.find((s) => s.symbol === p.symbol)?.margin ?? Math.abs(notional) / p.leverage;
      out.push({
        symbol: id,
        positionSide: 'BOTH',
        positionAmt: dec(sign * p.qty),
        entryPrice: dec(p.entryPrice),
        breakEvenPrice: dec(p.entryPrice),
        markPrice: dec(mark),
        unRealizedProfit: dec(p.unrealizedPnl),
        liquidationPrice: dec(p.liquidationPrice ?? 0),
        isolatedMargin: dec(margin + p.unrealizedPnl),
        notional: dec(notional),
        marginAsset: inst.quote,
        isolatedWallet: dec(margin),
        initialMargin: dec(Math.abs(notional) / p.leverage),
        maintMargin: dec(Math.abs(notional) * (inst.maintenanceMarginRate ?? 0.004)),
        positionInitialMargin: dec(Math.abs(notional) / p.leverage),
        openOrderInitialMargin: '0',
        adl: 1,
        bidNotional: '0',
        askNotional: '0',
        updateTime: this.clock.t,
        // not in v3, but harmless and lets clients read the setting
        leverage: String(p.leverage),
        marginType: (a.marginType.get(id) ?? 'ISOLATED').toLowerCase() === 'crossed' ? 'cross' : 'isolated',
      });
    }
    return out;
  }

  /** `GET /fapi/v2|v3/account`. */
  futuresAccount(): Answer {
    const a = this.accounts.get('futures');
    if (a === undefined) return fail(-1121, 'Invalid symbol.');
    const positions = this.futuresPositions(a);
    const upnlByAsset = new Map<string, number>();
    for (const p of a.sim.positions()) {
      const q = a.sim.instruments().find((i) => i.symbol === p.symbol)!.quote;
      upnlByAsset.set(q, (upnlByAsset.get(q) ?? 0) + p.unrealizedPnl);
    }
    const assets = a.sim.balances().map((b) => {
      const upnl = upnlByAsset.get(b.currency) ?? 0;
      const marginBalance = b.total + upnl;
      return {
        asset: b.currency,
        walletBalance: dec(b.total),
        unrealizedProfit: dec(upnl),
        marginBalance: dec(marginBalance),
        maintMargin: '0',
        initialMargin: dec(b.used),
        positionInitialMargin: dec(b.used),
        openOrderInitialMargin: '0',
        crossWalletBalance: dec(b.total),
        crossUnPnl: '0',
        availableBalance: dec(marginBalance - b.used),
        maxWithdrawAmount: dec(Math.max(0, marginBalance - b.used)),
        updateTime: this.clock.t,
      };
    });
    const total = assets.reduce((s, x) => s + Number(x.marginBalance), 0);
    return ok({
      totalInitialMargin: dec(assets.reduce((s, x) => s + Number(x.initialMargin), 0)),
      totalMaintMargin: '0',
      totalWalletBalance: dec(assets.reduce((s, x) => s + Number(x.walletBalance), 0)),
      totalUnrealizedProfit: dec(assets.reduce((s, x) => s + Number(x.unrealizedProfit), 0)),
      totalMarginBalance: dec(total),
      totalPositionInitialMargin: '0',
      totalOpenOrderInitialMargin: '0',
      totalCrossWalletBalance: '0',
      totalCrossUnPnl: '0',
      availableBalance: dec(assets.reduce((s, x) => s + Number(x.availableBalance), 0)),
      maxWithdrawAmount: '0',
      assets,
      positions: positions.map((p) => ({ symbol: p.symbol, positionSide: 'BOTH', positionAmt: p.positionAmt, unrealizedProfit: p.unRealizedProfit, isolatedMargin: p.isolatedMargin, notional: p.notional, isolatedWallet: p.isolatedWallet, initialMargin: p.initialMargin, maintMargin: p.maintMargin, updateTime: p.updateTime })),
    });
  }

  /** `GET /fapi/v2|v3/positionRisk`. */
  positionRisk(marketId: string | undefined): Answer {
    const a = this.accounts.get('futures');
    if (a === undefined) return ok([]);
    const all = this.futuresPositions(a);
    return ok(marketId === undefined ? all : all.filter((p) => p.symbol === marketId));
  }

  /** `GET /fapi/v1/leverageBracket`. */
  leverageBrackets(marketId: string | undefined): Answer {
    const a = this.accounts.get('futures');
    if (a === undefined) return ok([]);
    const list = [...a.byMarketId.entries()]
      .filter(([id]) => marketId === undefined || id === marketId)
      .map(([id, i]) => ({
        symbol: id,
        notionalCoef: 1,
        brackets: [
          { bracket: 1, initialLeverage: i.maxLeverage, notionalCap: 50_000, notionalFloor: 0, maintMarginRatio: i.maintenanceMarginRate ?? 0.004, cum: 0 },
          { bracket: 2, initialLeverage: Math.max(1, Math.floor(i.maxLeverage / 2)), notionalCap: 1_000_000, notionalFloor: 50_000, maintMarginRatio: (i.maintenanceMarginRate ?? 0.004) * 2, cum: 50_000 * (i.maintenanceMarginRate ?? 0.004) },
        ],
      }));
    if (marketId !== undefined && list.length === 0) return fail(-1121, 'Invalid symbol.');
    return ok(list);
  }

  /** `POST /fapi/v1/leverage`. */
  setLeverage(marketId: string | undefined, leverage: number): Answer {
    const a = this.accounts.get('futures');
    const inst = a?.byMarketId.get(marketId ?? '');
    if (a === undefined || inst === undefined) return fail(-1121, 'Invalid symbol.');
    if (!(Number.isInteger(leverage) && leverage >= 1 && leverage <= inst.maxLeverage)) {
      return fail(-4028, `Leverage ${leverage} is not valid`);
    }
    a.leverage.set(marketId!, leverage);
    return ok({ leverage, maxNotionalValue: '50000', symbol: marketId });
  }

  /** `POST /fapi/v1/marginType`. */
  setMarginType(marketId: string | undefined, marginType: string | undefined): Answer {
    const a = this.accounts.get('futures');
    if (a === undefined || !a.byMarketId.has(marketId ?? '')) return fail(-1121, 'Invalid symbol.');
    if (marginType !== 'ISOLATED' && marginType !== 'CROSSED') return fail(-1116, 'Invalid marginType.');
    const current = a.marginType.get(marketId!) ?? 'CROSSED';
    if (current === marginType) return fail(-4046, 'No need to change margin type.');
    a.marginType.set(marketId!, marginType);
    return ok({ code: 200, msg: 'success' });
  }

  leverageOf(marketId: string): number {
    return this.accounts.get('futures')?.leverage.get(marketId) ?? this.defaultLeverage;
  }

  // ---------------------------------------------------------------- orders

  /**
   * `POST /api/v3/order`, `POST /fapi/v1/order` or (`algo`) `POST /fapi/v1/algoOrder`: validates like Binance, then
   * hands the order to the SimulatedExchange.
   */
  placeOrder(kind: MarketKind, p: Readonly<Record<string, string>>, algo = false): Answer {
    const a = this.accounts.get(kind);
    const inst = a?.byMarketId.get(p.symbol ?? '');
    if (a === undefined || inst === undefined) return fail(-1121, 'Invalid symbol.');
    if (kind === 'spot' && 'reduceOnly' in p) {
      return fail(-1104, `Not all sent parameters were read; read '${Object.keys(p).length - 1}' parameter(s) but was sent '${Object.keys(p).length}'.`);
    }
    const side = p.side === 'BUY' ? 'buy' : p.side === 'SELL' ? 'sell' : undefined;
    if (side === undefined) return fail(-1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.");
    const rawType = (p.type ?? '').toUpperCase();
    let type: OrderType;
    if (rawType === 'MARKET') type = 'market';
    else if (rawType === 'LIMIT' || (kind === 'spot' && rawType === 'LIMIT_MAKER')) type = 'limit';
    else if ((kind === 'spot' && rawType === 'STOP_LOSS') || (algo && rawType === 'STOP_MARKET')) type = 'stop_market';
    else if (kind === 'futures' && !algo && (rawType === 'STOP_MARKET' || rawType === 'TAKE_PROFIT_MARKET' || rawType === 'STOP' || rawType === 'TAKE_PROFIT')) {
      return fail(-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.');
    } else return fail(-1116, 'Invalid orderType.');
    if (algo && p.algoType !== 'CONDITIONAL') return fail(-1102, "Mandatory parameter 'algoType' was not sent, was empty/null, or malformed.");
    const qty = Number(p.quantity);
    if (!(qty > 0)) return fail(-1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
    const price = p.price !== undefined ? Number(p.price) : undefined;
    const stop = algo ? p.triggerPrice : p.stopPrice;
    const stopPrice = stop !== undefined ? Number(stop) : undefined;
    const coid = (algo ? p.clientAlgoId : p.newClientOrderId) ?? `stand-in-${this.nextOrderId + 1}`;
    if (!COID.test(coid)) {
      return fail(-1100, `Illegal characters found in parameter '${algo ? 'clientAlgoId' : 'newClientOrderId'}'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.`);
    }
    if (a.records.has(coid)) {
      return kind === 'spot' ? fail(-2010, 'Duplicate order sent.') : fail(-4116, 'ClientOrderId is duplicated.');
    }
    const reduceOnly = p.reduceOnly === 'true';
    const marketId = p.symbol!;
    if (kind === 'futures' && reduceOnly) {
      const pos = a.sim.positions().find((x) => x.symbol === inst.symbol);
      const wouldReduce = pos !== undefined && ((pos.side === 'long' && side === 'sell') || (pos.side === 'short' && side === 'buy'));
      if (!wouldReduce) return fail(-2022, 'ReduceOnly Order is rejected.');
    }
    const order: SubmitOrder = {
      clientOrderId: coid as ClientOrderId,
      symbol: inst.symbol,
      side,
      type,
      qty,
      reduceOnly,
      leverage: kind === 'futures' ? this.leverageOf(marketId) : 1,
      ...(price !== undefined && type === 'limit' ? { price } : {}),
      ...(stopPrice !== undefined && type === 'stop_market' ? { stopPrice } : {}),
    };
    const res = a.sim.submit(order);
    if (res.status === 'rejected') return simRejection(kind, res.code, res.reason, inst.minNotional);
    const now = this.clock.t;
    const rec: OrderRecord = {
      kind,
      orderId: ++this.nextOrderId,
      clientOrderId: coid,
      instrument: inst,
      binanceType: rawType,
      timeInForce: p.timeInForce ?? (type === 'limit' ? 'GTC' : 'GTC'),
      algo,
      createdAt: now,
      updatedAt: now,
      cancelReason: undefined,
      canceledByUser: false,
      actualOrderId: undefined,
      trades: 0,
    };
    a.records.set(coid, rec);
    a.byOrderId.set(rec.orderId, rec);
    queueMicrotask(() => this.emitOrderUpdate(a, rec, 'NEW', undefined));
    return ok(algo ? this.algoJson(a, rec) : this.orderJson(a, rec, true));
  }

  /** Finds an order by `orderId`/`origClientOrderId` (regular) or `algoId`/`clientAlgoId` (algo). */
  findOrder(kind: MarketKind, p: Readonly<Record<string, string>>, algo = false): OrderRecord | undefined {
    const a = this.accounts.get(kind);
    if (a === undefined) return undefined;
    let rec: OrderRecord | undefined;
    const coid = algo ? p.clientAlgoId : p.origClientOrderId;
    const id = algo ? p.algoId : p.orderId;
    if (coid !== undefined) rec = a.records.get(coid);
    else if (id !== undefined) rec = a.byOrderId.get(Number(id)) ?? [...a.records.values()].find((r) => r.actualOrderId === Number(id));
    if (rec === undefined || (p.symbol !== undefined && marketIdOf(rec.instrument) !== p.symbol)) return undefined;
    if (algo !== rec.algo) {
      // a triggered algo order is also visible as a regular order
      if (!algo && rec.algo && rec.actualOrderId !== undefined) return rec;
      return undefined;
    }
    return rec;
  }

  /** `GET order` / `GET algoOrder`. */
  queryOrder(kind: MarketKind, p: Readonly<Record<string, string>>, algo = false): Answer {
    const rec = this.findOrder(kind, p, algo);
    if (rec === undefined) return fail(-2013, 'Order does not exist.');
    const a = this.accounts.get(kind)!;
    return ok(algo ? this.algoJson(a, rec) : this.orderJson(a, rec, false));
  }

  /** `DELETE order` / `DELETE algoOrder`. */
  cancelOrder(kind: MarketKind, p: Readonly<Record<string, string>>, algo = false): Answer {
    const rec = this.findOrder(kind, p, algo);
    if (rec === undefined) return fail(-2011, 'Unknown order sent.');
    const a = this.accounts.get(kind)!;
    const o = a.sim.getOrder(rec.clientOrderId as ClientOrderId, rec.instrument.symbol);
    if (o === undefined || (o.status !== 'open' && o.status !== 'partially_filled')) return fail(-2011, 'Unknown order sent.');
    rec.canceledByUser = true;
    a.sim.cancel(rec.clientOrderId as ClientOrderId, rec.instrument.symbol);
    if (algo) return ok({ algoId: rec.orderId, clientAlgoId: rec.clientOrderId, code: '200', msg: 'success' });
    const body = this.orderJson(a, rec, false);
    return ok(kind === 'spot' ? { ...body, origClientOrderId: rec.clientOrderId, clientOrderId: `cancel-${rec.orderId}` } : body);
  }

  /** `GET openOrders` / `GET openAlgoOrders`. */
  openOrders(kind: MarketKind, marketId: string | undefined, algo = false): Answer {
    const a = this.accounts.get(kind);
    if (a === undefined) return ok([]);
    if (marketId !== undefined && !a.byMarketId.has(marketId)) return fail(-1121, 'Invalid symbol.');
    const out: unknown[] = [];
    for (const o of a.sim.openOrders()) {
      const rec = a.records.get(o.clientOrderId);
      if (rec === undefined || rec.algo !== algo) continue;
      if (marketId !== undefined && marketIdOf(rec.instrument) !== marketId) continue;
      out.push(algo ? this.algoJson(a, rec) : this.orderJson(a, rec, false));
    }
    return ok(algo ? { total: out.length, orders: out } : out);
  }

  private venueOrder(a: Account, rec: OrderRecord): VenueOrder {
    return a.sim.getOrder(rec.clientOrderId as ClientOrderId, rec.instrument.symbol)!;
  }

  private statusOf(rec: OrderRecord, o: VenueOrder): string {
    if (o.status === 'canceled' && rec.cancelReason !== undefined && !rec.canceledByUser) return 'EXPIRED';
    return binanceStatus(o.status);
  }

  private orderJson(a: Account, rec: OrderRecord, created: boolean): Record<string, unknown> {
    const o = this.venueOrder(a, rec);
    const inst = rec.instrument;
    const id = rec.actualOrderId ?? rec.orderId;
    const price = o.price ?? 0;
    const stopPrice = o.stopPrice ?? 0;
    const status = this.statusOf(rec, o);
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

  private algoStatus(rec: OrderRecord, o: VenueOrder): string {
    if (o.status === 'open') return 'NEW';
    if (o.status === 'partially_filled') return 'TRIGGERED';
    if (o.status === 'filled') return 'FINISHED';
    if (o.status === 'rejected') return 'REJECTED';
    return o.filledQty > 0 ? 'FINISHED' : rec.canceledByUser ? 'CANCELED' : 'EXPIRED';
  }

  private algoJson(a: Account, rec: OrderRecord): Record<string, unknown> {
    const o = this.venueOrder(a, rec);
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
      algoStatus: this.algoStatus(rec, o),
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

  // ---------------------------------------------------------------- events

  private onSimEvent(a: Account, e: BrokerEvent): void {
    if (e.type !== 'OrderFilled' && e.type !== 'OrderCanceled') return;
    let rec = a.records.get(e.clientOrderId);
    if (rec === undefined) {
      // a liquidation: the venue's own order
      const inst = a.sim.instruments().find((i) => i.symbol === e.symbol)!;
      rec = {
        kind: a.kind,
        orderId: ++this.nextOrderId,
        clientOrderId: `autoclose-${this.nextOrderId}`,
        instrument: inst,
        binanceType: 'MARKET',
        timeInForce: 'IOC',
        algo: false,
        createdAt: e.ts,
        updatedAt: e.ts,
        cancelReason: undefined,
        canceledByUser: false,
        actualOrderId: undefined,
        trades: 0,
      };
      a.records.set(e.clientOrderId, rec);
      a.byOrderId.set(rec.orderId, rec);
    }
    rec.updatedAt = e.ts;
    if (e.type === 'OrderFilled') {
      if (rec.algo && rec.actualOrderId === undefined) {
        rec.actualOrderId = ++this.nextOrderId;
        this.emitOrderUpdate(a, rec, 'TRIGGERED', undefined);
      }
      rec.trades++;
      this.emitOrderUpdate(a, rec, 'TRADE', e);
    } else {
      rec.cancelReason = e.reason;
      this.emitOrderUpdate(a, rec, rec.canceledByUser ? 'CANCELED' : 'EXPIRED', undefined);
    }
  }

  private emitOrderUpdate(a: Account, rec: OrderRecord, exec: 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'TRIGGERED', fill: (BrokerEvent & { type: 'OrderFilled' }) | undefined): void {
    const o = this.venueOrder(a, rec);
    if (o === undefined) return;
    const id = marketIdOf(rec.instrument);
    const now = this.clock.t;
    const status = this.statusOf(rec, o);
    const tradeId = fill !== undefined ? this.nextTradeId++ : -1;
    if (rec.algo && (exec === 'NEW' || exec === 'TRIGGERED' || exec === 'CANCELED' || exec === 'EXPIRED' || status === 'FILLED')) {
      this.emitUser(a.kind, {
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
          X: this.algoStatus(rec, o),
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
      if (exec !== 'TRADE') return;
    }
    if (rec.algo && exec !== 'TRADE') return;
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
    if (a.kind === 'spot') {
      this.emitUser('spot', {
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
      this.emitUser('futures', {
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
  }

  private emitUser(kind: MarketKind, payload: Record<string, unknown>): void {
    for (const l of this.listeners) l.user(kind, payload);
  }

  private emitMarket(kind: MarketKind, stream: string, payload: Record<string, unknown>): void {
    for (const l of this.listeners) l.market(kind, stream, payload);
  }
}

function simRejection(kind: MarketKind, code: string, reason: string, minNotional: number): Answer {
  switch (code) {
    case 'LOT_SIZE':
      return fail(-1013, 'Filter failure: LOT_SIZE');
    case 'PRICE_FILTER':
      return kind === 'spot' ? fail(-1013, 'Filter failure: PRICE_FILTER') : fail(-4014, 'Price not increased by tick size.');
    case 'MIN_NOTIONAL':
      return kind === 'spot'
        ? fail(-1013, 'Filter failure: NOTIONAL')
        : fail(-4164, `Order's notional must be no smaller than ${minNotional} (unless you choose reduce only).`);
    case '-2010':
      return fail(-2010, 'Account has insufficient balance for requested action.');
    case '-2019':
      return fail(-2019, 'Margin is insufficient.');
    case '-1102':
      return fail(-1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
    case '-4028':
      return fail(-4028, reason);
    case '-1121':
      return fail(-1121, 'Invalid symbol.');
    default:
      return fail(-1013, reason);
  }
}

function klineEvent(marketId: string, interval: string, c: Candle, tf: number, closed: boolean, now: number): Record<string, unknown> {
  return {
    e: 'kline',
    E: now,
    s: marketId,
    k: {
      t: c.ts,
      T: c.ts + tf - 1,
      s: marketId,
      i: interval,
      f: 1,
      L: 1,
      o: dec(c.open),
      c: dec(c.close),
      h: dec(c.high),
      l: dec(c.low),
      v: dec(c.volume),
      n: 1,
      x: closed,
      q: dec(c.volume * c.close),
      V: '0',
      Q: '0',
      B: '0',
    },
  };
}

function tickerEvent(t: Record<string, unknown>, now: number): Record<string, unknown> {
  return {
    e: '24hrTicker',
    E: now,
    s: t.symbol,
    p: t.priceChange,
    P: t.priceChangePercent,
    w: t.weightedAvgPrice,
    c: t.lastPrice,
    Q: t.lastQty,
    o: t.openPrice,
    h: t.highPrice,
    l: t.lowPrice,
    v: t.volume,
    q: t.quoteVolume,
    O: t.openTime,
    C: t.closeTime,
    F: 1,
    L: 1,
    n: t.count,
  };
}

function lowerBound(list: readonly Candle[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertCandle(list: Candle[], c: Candle): void {
  const i = lowerBound(list, c.ts);
  if (list[i]?.ts === c.ts) list[i] = c;
  else list.splice(i, 0, c);
}

function klineRow(c: Candle, tf: number): unknown[] {
  return [c.ts, dec(c.open), dec(c.high), dec(c.low), dec(c.close), dec(c.volume), c.ts + tf - 1, dec(c.volume * c.close), 100, '0', '0', '0'];
}
