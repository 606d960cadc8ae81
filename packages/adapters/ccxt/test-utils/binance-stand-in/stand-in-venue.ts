import type { SchedulerAction, SchedulerLike } from 'rxjs';
import { Subscription } from 'rxjs';
import {
  SimulatedExchange,
  TIMEFRAME_MS,
  type BrokerEvent,
  type Candle,
  type ClientOrderId,
  type FundingRate,
  type Instrument,
  type OrderFilled,
  type OrderType,
  type SubmitOrder,
  type SymbolId,
  type Timeframe,
  type UnixMillis,
  type VenueOrder,
} from '@quantum-trader/core';
import { marketIdOf, type MarketKind } from './binance-json.js';
import { futuresAccount, leverageBrackets, positionRisk, spotAccount, type Account } from './stand-in-account.js';
import { fail, ok, simRejection, type Answer } from './stand-in-answers.js';
import { CandleStore, klineEvent, miniTickerEvent, tickerEvent } from './stand-in-candles.js';
import { StandInFunding } from './stand-in-funding.js';
import { algoJson, orderJson, orderUpdateEvents, type Execution, type OrderRecord } from './stand-in-order-views.js';

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
  /** Funding-rate series of the futures symbols (unified symbol → rates sorted by time): settled on open positions. */
  readonly fundingRates?: Readonly<Record<string, readonly FundingRate[]>>;
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
  /** Funding of the futures account: `GET /fapi/v1/income` and `GET /fapi/v1/fundingRate`. */
  readonly funding: StandInFunding;
  private readonly accounts = new Map<MarketKind, Account>();
  private readonly candles = new CandleStore();
  private nextOrderId = 1_000_000;
  private nextTradeId = 1;
  private readonly listeners: VenueListener[] = [];
  private readonly defaultLeverage: number;

  constructor(options: StandInVenueOptions) {
    this.clock = new MarketClock(options.startTime);
    this.defaultLeverage = options.defaultLeverage ?? 20;
    const futures = new Map((options.futures?.instruments ?? []).map((i) => [i.symbol, i]));
    this.funding = new StandInFunding(
      options.fundingRates ?? {},
      (s) => marketIdOf(futures.get(s)!),
      (s) => futures.get(s)!.quote,
    );
    for (const kind of ['spot', 'futures'] as const) {
      const m = options[kind];
      if (m === undefined) continue;
      const sim = new SimulatedExchange({
        instruments: m.instruments,
        balances: m.balances,
        scheduler: this.clock,
        ...(options.slippageBps !== undefined ? { slippageBps: options.slippageBps } : {}),
        ...(options.maxVolumeParticipation !== undefined ? { maxVolumeParticipation: options.maxVolumeParticipation } : {}),
        ...(kind === 'futures' && options.fundingRates !== undefined ? { fundingRates: options.fundingRates } : {}),
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
      if (kind === 'futures') sim.funding$.subscribe((p) => this.funding.paid(p));
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

  /** Stores candles (sorted, replacing same-time ones) without matching or streaming them. */
  seedCandles(symbol: SymbolId, timeframe: Timeframe, candles: readonly Candle[]): void {
    const { kind, marketId } = this.locate(symbol);
    this.candles.put(kind, marketId, timeframe, candles);
  }

  /**
   * A candle closes: it is stored, the market clock moves to its close, the symbol's orders are matched against it
   * and the kline/ticker streams publish it (closed) followed by the opening update of the next candle.
   */
  pushCandle(symbol: SymbolId, timeframe: Timeframe, candle: Candle): void {
    const { kind, marketId, instrument } = this.locate(symbol);
    this.candles.put(kind, marketId, timeframe, [candle]);
    const tf = TIMEFRAME_MS[timeframe];
    const close = candle.ts + tf;
    if (close > this.clock.t) this.clock.t = close;
    if (instrument !== undefined && kind === 'futures') this.funding.beforeCandle(symbol, candle);
    if (instrument !== undefined) this.accounts.get(kind)!.sim.onCandle(symbol, candle);
    const id = marketId.toLowerCase();
    this.emitMarket(kind, `${id}@kline_${timeframe}`, klineEvent(marketId, timeframe, candle, tf, true, this.clock.t));
    const next: Candle = { ts: close, open: candle.close, high: candle.close, low: candle.close, close: candle.close, volume: 0 };
    this.emitMarket(kind, `${id}@kline_${timeframe}`, klineEvent(marketId, timeframe, next, tf, false, this.clock.t));
    const ticker = tickerEvent(this.tickerBody(kind, marketId), this.clock.t);
    this.emitMarket(kind, `${id}@ticker`, ticker);
    this.emitMarket(kind, `${id}@miniTicker`, miniTickerEvent(ticker));
  }

  /** Rows of `GET klines`: stored candles only (the stand-in has no forming candle over REST). */
  klines(kind: MarketKind, marketId: string, interval: string, startTime?: number, endTime?: number, limit = 500): unknown[] {
    return this.candles.klines(kind, marketId, interval, startTime, endTime, limit);
  }

  /** The body of `GET ticker/24hr` for a market. */
  tickerBody(kind: MarketKind, marketId: string): Record<string, unknown> {
    return this.candles.ticker(kind, marketId, this.clock.t);
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
    return spotAccount(this.accounts.get('spot'), this.clock.t);
  }

  /** `GET /fapi/v2|v3/account`. */
  futuresAccount(): Answer {
    return futuresAccount(this.accounts.get('futures'), this.clock.t);
  }

  /** `GET /fapi/v2|v3/positionRisk`. */
  positionRisk(marketId: string | undefined): Answer {
    return positionRisk(this.accounts.get('futures'), marketId, this.clock.t);
  }

  /** `GET /fapi/v1/leverageBracket`. */
  leverageBrackets(marketId: string | undefined): Answer {
    return leverageBrackets(this.accounts.get('futures'), marketId);
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
    return ok(algo ? algoJson(rec, this.venueOrder(a, rec)) : orderJson(rec, this.venueOrder(a, rec), true));
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
    return ok(algo ? algoJson(rec, this.venueOrder(a, rec)) : orderJson(rec, this.venueOrder(a, rec), false));
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
    const body = orderJson(rec, this.venueOrder(a, rec), false);
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
      out.push(algo ? algoJson(rec, this.venueOrder(a, rec)) : orderJson(rec, this.venueOrder(a, rec), false));
    }
    return ok(algo ? { total: out.length, orders: out } : out);
  }

  private venueOrder(a: Account, rec: OrderRecord): VenueOrder {
    return a.sim.getOrder(rec.clientOrderId as ClientOrderId, rec.instrument.symbol)!;
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

  private emitOrderUpdate(a: Account, rec: OrderRecord, exec: Execution, fill: OrderFilled | undefined): void {
    const o = a.sim.getOrder(rec.clientOrderId as ClientOrderId, rec.instrument.symbol);
    if (o === undefined) return;
    const tradeId = fill !== undefined ? this.nextTradeId++ : -1;
    for (const e of orderUpdateEvents(a.kind, rec, o, exec, fill, this.clock.t, tradeId)) this.emitUser(a.kind, e);
  }

  private emitUser(kind: MarketKind, payload: Record<string, unknown>): void {
    for (const l of this.listeners) l.user(kind, payload);
  }

  private emitMarket(kind: MarketKind, stream: string, payload: Record<string, unknown>): void {
    for (const l of this.listeners) l.market(kind, stream, payload);
  }
}
