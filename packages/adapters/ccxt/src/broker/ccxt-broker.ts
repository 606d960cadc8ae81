import { inspect } from 'node:util';
import { Subject, type Observable } from 'rxjs';
import {
  QuantumTraderError,
  silentLogger,
  type Balance,
  type Broker,
  type BrokerEvent,
  type ClientOrderId,
  type FundingPayment,
  type Instrument,
  type KernelLogger,
  type SubmitOrder,
  type SubmitResult,
  type SymbolId,
  type UnixMillis,
  type VenueOrder,
  type VenueOrderId,
  type VenuePosition,
} from '@quantum-trader/core';
import type { Exchange } from 'ccxt';
import { redact } from '../credentials/redact.js';
import { CcxtVenueError } from '../errors/ccxt-venue-error.js';
import { classifyVenueError } from '../errors/classify-venue-error.js';
import { compareWithJournal } from '../reconcile/compare-with-journal.js';
import type { ReconcileInput, ReconciliationReport } from '../reconcile/reconciliation-report.js';
import { Stopper } from '../retry/stopper.js';
import { VenueCaller, type RetryPolicy } from '../retry/venue-caller.js';
import { balancesOf, holdingsAsPositions, positionsOf } from './ccxt-account.js';
import { FundingStream } from './ccxt-funding-stream.js';
import { loadInstruments } from './ccxt-instruments.js';
import { instrumentOfMarket, tradesContracts, venueOrderOf, type SentOrder } from './ccxt-order-mapping.js';
import { OrderUpdateStream } from './ccxt-order-stream.js';
import { CcxtVenueOrders } from './ccxt-venue-orders.js';
import { OrderTracker } from './order-tracker.js';

/**
 * Settings of a {@link CcxtBroker}.
 *
 * @example
 * ```ts
 * const options: CcxtBrokerOptions = {
 *   exchange: await createCcxtExchange({ exchangeId: 'binanceusdm', mode: 'testnet', credentials }),
 *   symbols: [symbolId('BTC/USDT:USDT')],
 *   marginMode: 'isolated',
 * };
 * ```
 */
export interface CcxtBrokerOptions {
  /** A ccxt exchange (see `createCcxtExchange`); one per broker, the broker closes it. */
  readonly exchange: Exchange;
  /** Markets this broker trades; default every active spot or linear-perpetual market of the exchange. */
  readonly symbols?: readonly SymbolId[];
  /** How order updates arrive: the user-data WebSocket (default when the exchange has `watchOrders`) or REST polling. */
  readonly orderUpdates?: 'websocket' | 'poll';
  /** REST polling period of working orders (default 2 000 ms). */
  readonly pollIntervalMs?: number;
  /** WebSocket mode: period of the REST safety back-fill (default 30 000 ms). */
  readonly resyncIntervalMs?: number;
  /** First wait before reconnecting a dropped stream; doubles up to 30 s (default 500 ms). */
  readonly reconnectDelayMs?: number;
  /** Linear perpetuals: REST polling period of the account's funding payments (default 60 000 ms). */
  readonly fundingPollIntervalMs?: number;
  /** Linear perpetuals: margin mode set once per symbol before its first order (default: the account's setting). */
  readonly marginMode?: 'isolated' | 'cross';
  readonly retry?: RetryPolicy;
  /** Retries, reconnects and back-fills are logged here (pino-shaped; secrets are redacted). */
  readonly logger?: KernelLogger;
}

const UNCERTAIN = new Set(['timeout', 'network', 'unavailable']);

/**
 * The Broker port over ccxt: Binance spot (`binance`) and USDⓈ-M perpetuals (`binanceusdm`) in mainnet, testnet
 * or demo mode, or any ccxt exchange whose unified API suffices.
 *
 * - Orders carry the engine's client order id (`clientOrderId` → Binance `newClientOrderId`); amounts and prices go
 *   through the market's precision rules; reduce-only, leverage and margin mode are set on linear perpetuals
 *   (Binance stop orders go to the conditional "algo" book).
 * - A submission whose answer was lost (timeout, 5xx) is looked up by its client order id before it is retried,
 *   and a venue "duplicate client order id" answer adopts the existing order: one client order id, one order.
 * - `OrderFilled` / `OrderCanceled` arrive on {@link CcxtBroker.events$} from the user-data WebSocket, with a REST
 *   back-fill after every reconnect, or from REST polling; each fill is reported once.
 * - Errors are classified by the venue's own code (see `classifyVenueError`); retryable ones are retried with
 *   back-off (shared across calls after a 429/418), final ones become rejections (`code` = the venue's code, e.g.
 *   `-2019`) or a {@link CcxtVenueError}. Nothing it logs or throws contains the API key or secret.
 *
 * @example
 * ```ts
 * const broker = new CcxtBroker({ exchange, symbols: [symbolId('BTC/USDT:USDT')] });
 * await broker.start();
 * const report = await broker.reconcile({ orders, fills, positions, ts: Date.now() });
 * broker.events$.subscribe((e) => journal.append([e]));
 * const res = await broker.submit({ clientOrderId: clientOrderIdOf(intentId, 'entry'), symbol: symbolId('BTC/USDT:USDT'),
 *   side: 'buy', type: 'market', qty: 0.01, reduceOnly: false, leverage: 5 });
 * await broker.close();
 * ```
 */
export class CcxtBroker implements Broker {
  /** Fills and cancels reported by the venue (accepts and rejects are `submit`'s answer). */
  readonly events$: Observable<BrokerEvent>;
  /**
   * Funding payments on the linear perpetuals this broker trades, read from the account's income history (see
   * {@link CcxtBroker.fundingSince}); never emits on spot.
   */
  readonly funding$: Observable<FundingPayment>;
  readonly #fundingSubject = new Subject<FundingPayment>();
  readonly #funding: FundingStream | undefined;
  readonly #exchange: Exchange;
  readonly #subject = new Subject<BrokerEvent>();
  readonly #caller: VenueCaller;
  readonly #orders: CcxtVenueOrders;
  readonly #tracker: OrderTracker;
  readonly #stream: OrderUpdateStream;
  readonly #stopper = new Stopper();
  readonly #logger: KernelLogger;
  readonly #options: CcxtBrokerOptions;
  readonly #linear: boolean;
  readonly #leverage = new Map<SymbolId, number>();
  readonly #marginModeSet = new Set<SymbolId>();
  #instruments: Map<SymbolId, Instrument> | undefined;
  #ready: Promise<void> | undefined;

  constructor(options: CcxtBrokerOptions) {
    this.#options = options;
    this.#exchange = options.exchange;
    this.#logger = options.logger ?? silentLogger;
    this.#linear = tradesContracts(options.exchange);
    const redactText = (text: string): string => this.redact(text);
    this.#caller = new VenueCaller(options.exchange, options.retry, this.#logger, redactText);
    this.#tracker = new OrderTracker(
      (e) => this.#subject.next(e),
      (s) => this.#instruments?.get(s),
      () => Date.now(),
    );
    this.#orders = new CcxtVenueOrders(options.exchange, this.#caller, this.#linear, (coid) => this.sentOf(coid));
    const has = (options.exchange.has ?? {}) as Record<string, unknown>;
    const transport = options.orderUpdates ?? (has.watchOrders === true ? 'websocket' : 'poll');
    this.#stream = new OrderUpdateStream(options.exchange, this.#orders, this.#tracker, this.#stopper, this.#logger, redactText, {
      transport,
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      resyncIntervalMs: options.resyncIntervalMs ?? 30_000,
      reconnectDelayMs: options.reconnectDelayMs ?? 500,
    });
    this.events$ = this.#subject.asObservable();
    this.funding$ = this.#fundingSubject.asObservable();
    this.#funding = this.#linear
      ? new FundingStream(
          options.exchange,
          this.#caller,
          this.#stopper,
          this.#logger,
          redactText,
          (s) => this.#instruments?.get(s),
          (p) => this.#fundingSubject.next(p),
          { intervalMs: options.fundingPollIntervalMs ?? 60_000 },
        )
      : undefined;
  }

  /**
   * Loads the markets and starts the order-update stream; resolves once it is connected. Every other method
   * calls it, so calling it first is optional (but makes the first submission faster).
   *
   * @example
   * ```ts
   * await broker.start();
   * ```
   */
  start(): Promise<void> {
    this.#ready ??= (async () => {
      await this.#caller.call('loadMarkets', () => this.#exchange.loadMarkets());
      this.#instruments = await loadInstruments(this.#exchange, this.#caller, {
        symbols: this.#options.symbols,
        linear: this.#linear,
        logger: this.#logger,
        redact: (t) => this.redact(t),
      });
      await this.#stream.start();
      this.#funding?.start(Date.now());
    })();
    return this.#ready;
  }

  /**
   * Reports on {@link CcxtBroker.funding$} every funding payment from `ts` on, those settled while no process was
   * running included (each at most once per broker); resolves once they have been read. Without a call, payments
   * are reported from {@link CcxtBroker.start} on. A no-op on spot.
   *
   * @example
   * ```ts
   * broker.funding$.subscribe((p) => console.log(p.symbol, p.amount));
   * await broker.fundingSince(lastJournalledFundingTs + 1);
   * ```
   */
  async fundingSince(ts: UnixMillis): Promise<void> {
    await this.start();
    await this.#funding?.since(ts);
  }

  /**
   * Stops the update stream and closes the exchange's connections.
   *
   * @example
   * ```ts
   * await broker.close();
   * ```
   */
  async close(): Promise<void> {
    this.#stopper.stop();
    try {
      await this.#exchange.close();
    } catch {
      // closing sockets that are already gone is not a failure
    }
    this.#subject.complete();
    this.#fundingSubject.complete();
  }

  /**
   * The markets this broker trades with their rules (tick size, lot step, minimums from the venue's filters;
   * leverage limits from the venue's leverage tiers when the account can read them).
   *
   * @example
   * ```ts
   * const [btc] = await broker.instruments();
   * ```
   */
  async instruments(): Promise<readonly Instrument[]> {
    await this.start();
    return [...this.#instruments!.values()];
  }

  /**
   * Sends an order with its client order id. Resolves `accepted` with the venue's view, or `rejected` with the
   * venue's code (`-2010`, `-2019`, `-4164`, `-2022` …) and message; throws {@link CcxtVenueError} for failures that
   * are not about the order (authentication, the venue unreachable after every retry).
   *
   * @example
   * ```ts
   * const res = await broker.submit({ clientOrderId, symbol, side: 'sell', type: 'limit', qty: 0.01, price: 31_000,
   *   reduceOnly: true });
   * if (res.status === 'rejected') console.log(res.code, res.reason);
   * ```
   */
  async submit(order: SubmitOrder): Promise<SubmitResult> {
    await this.start();
    const ex = this.#exchange;
    const { symbol, clientOrderId: coid } = order;
    const inst = this.#instruments!.get(symbol) ?? this.marketInstrument(symbol);
    if (inst === undefined) return rejected('-1121', `Invalid symbol: ${symbol} is not traded by this broker`);
    const spot = inst.contractType === 'spot';
    if (spot && order.reduceOnly && order.side === 'buy') {
      return rejected('-2022', `reduce-only buy on the spot market ${symbol}: spot has no short position to reduce`);
    }
    if (order.type !== 'market' && order.type !== 'limit' && order.type !== 'stop_market') {
      return rejected('-1116', `order type ${String(order.type)} is not supported`);
    }
    this.#tracker.track(order);
    try {
      if (!spot && order.leverage !== undefined && !(Number.isInteger(order.leverage) && order.leverage >= 1 && order.leverage <= inst.maxLeverage)) {
        this.#tracker.forget(coid);
        return rejected('-4028', `Leverage ${order.leverage} is not valid for ${symbol} (1 to ${inst.maxLeverage})`);
      }
      if (!spot && !order.reduceOnly) await this.prepareLinear(symbol, order.leverage);
      let amount: number;
      let price: number | undefined;
      let stop: number | undefined;
      try {
        amount = Number(ex.amountToPrecision(symbol, order.qty));
        if (order.type === 'limit' && order.price !== undefined) price = Number(ex.priceToPrecision(symbol, order.price));
        if (order.type === 'stop_market' && order.stopPrice !== undefined) stop = Number(ex.priceToPrecision(symbol, order.stopPrice));
      } catch (err) {
        this.#tracker.forget(coid);
        return rejected('LOT_SIZE', `${symbol}: ${this.redact((err as Error).message)}`);
      }
      const params: Record<string, unknown> = { clientOrderId: coid };
      if (!spot && order.reduceOnly) params.reduceOnly = true;
      if (stop !== undefined) params.triggerPrice = stop;
      const type = order.type === 'limit' ? 'limit' : 'market';
      const sent: SentOrder = { type: order.type, reduceOnly: order.reduceOnly };
      const answer = await this.#caller.call(
        `createOrder ${coid} ${symbol}`,
        async () => {
          const raw = await ex.createOrder(symbol, type, order.side, amount, price, params);
          // An answer that does not name the order (no client order id or symbol) is still the venue's acceptance.
          return venueOrderOf(raw, sent) ?? placeholder(order, raw.id);
        },
        async (cls) => (UNCERTAIN.has(cls.kind) ? this.lookupQuietly(coid, symbol) : undefined),
      );
      this.#tracker.observe(answer);
      return { status: 'accepted', order: answer };
    } catch (err) {
      if (!(err instanceof CcxtVenueError)) throw err;
      if (err.kind === 'duplicate_order') {
        const existing = await this.#orders.lookup(coid, symbol);
        if (existing !== undefined) {
          this.adoptOrObserve(existing);
          this.#logger.info({ clientOrderId: coid, symbol }, 'the venue already had this client order id; adopted the existing order');
          return { status: 'accepted', order: existing };
        }
        this.#tracker.forget(coid);
        return rejected('DUPLICATE_CLIENT_ORDER_ID', `client order id ${coid} is already used at the venue: ${venueMessage(err)}`);
      }
      if (err.kind === 'insufficient_funds' || err.kind === 'invalid_order' || err.kind === 'bad_symbol') {
        this.#tracker.forget(coid);
        return rejected(err.venueCode ?? err.kind.toUpperCase(), venueMessage(err));
      }
      throw err;
    }
  }

  /**
   * Cancels a working order by its client order id; a no-op when the venue has no working order with it.
   *
   * @example
   * ```ts
   * await broker.cancel(tpClientOrderId, symbol);
   * ```
   */
  async cancel(clientOrderId: ClientOrderId, symbol: SymbolId): Promise<void> {
    await this.start();
    this.#tracker.cancelRequested(clientOrderId);
    const canceled = await this.#orders.cancel(clientOrderId, symbol);
    if (canceled !== undefined && this.#tracker.isTracked(clientOrderId)) this.#tracker.observe(canceled);
  }

  /**
   * Looks an order up at the venue by its client order id (finished orders included) — the recovery path after a
   * crash. An order this process did not send is adopted: its later fills are reported on `events$`.
   *
   * @example
   * ```ts
   * const o = await broker.getOrder(coid, symbol);
   * if (o === undefined) await broker.submit(order); // never reached the venue: send it again, same id
   * ```
   */
  async getOrder(clientOrderId: ClientOrderId, symbol: SymbolId): Promise<VenueOrder | undefined> {
    await this.start();
    const v = await this.#orders.lookup(clientOrderId, symbol);
    if (v !== undefined) this.adoptOrObserve(v);
    return v;
  }

  /**
   * Orders still working at the venue (regular and conditional), for one symbol or all.
   *
   * @example
   * ```ts
   * const working = await broker.openOrders(symbolId('BTC/USDT:USDT'));
   * ```
   */
  async openOrders(symbol?: SymbolId): Promise<readonly VenueOrder[]> {
    await this.start();
    const open = await this.#orders.open(symbol);
    for (const { order } of open) this.adoptOrObserve(order);
    return open.map((o) => o.order);
  }

  /**
   * Open positions: linear perpetuals from the venue's position risk; on spot, holdings of the traded base assets
   * as longs (a spot venue does not know entry prices: `entryPrice` and `unrealizedPnl` are 0).
   *
   * @example
   * ```ts
   * for (const p of await broker.positions()) console.log(p.symbol, p.side, p.qty);
   * ```
   */
  async positions(): Promise<readonly VenuePosition[]> {
    await this.start();
    if (!this.#linear) return holdingsAsPositions(this.#instruments!.values(), await this.balances());
    const symbols = this.#options.symbols === undefined ? undefined : [...this.#instruments!.keys()];
    const list = await this.#caller.call('fetchPositions', () => this.#exchange.fetchPositions(symbols));
    return positionsOf(list, (s) => this.#leverage.get(s));
  }

  /**
   * Balances per currency (`total = free + used`; on USDⓈ-M `total` is the margin balance, unrealized PnL included).
   *
   * @example
   * ```ts
   * const usdt = (await broker.balances()).find((b) => b.currency === 'USDT');
   * ```
   */
  async balances(): Promise<readonly Balance[]> {
    await this.start();
    return balancesOf(await this.#caller.call('fetchBalance', () => this.#exchange.fetchBalance()));
  }

  /**
   * Start-up reconciliation: reads positions, working orders and balances from the venue and compares them with
   * the journal; returns the differences as `ReconciliationPerformed` events and says whether it is safe to trade.
   * The journal's working orders are looked up by client order id and tracked from the venue's state, with fill
   * numbers continuing the journal's, so that the execution engine's recovery and this broker's stream never
   * report the same fill twice.
   *
   * @throws QuantumTraderError `RECONCILIATION_FAILED` when the venue cannot be read.
   * @example
   * ```ts
   * const report = await broker.reconcile({ orders: await journal.orders(), fills: await journal.fills(),
   *   positions: await journal.positions({ status: 'open' }), ts: Date.now() });
   * await journal.append(report.events);
   * if (!report.ok) throw new QuantumTraderError('RECONCILIATION_FAILED', report.problems.join('; '));
   * ```
   */
  async reconcile(input: ReconcileInput): Promise<ReconciliationReport> {
    try {
      await this.start();
      const [positions, openOrders, balances] = [await this.positions(), await this.openOrders(), await this.balances()];
      const fillCount = new Map<string, number>();
      for (const f of input.fills ?? []) fillCount.set(f.clientOrderId, Math.max(fillCount.get(f.clientOrderId) ?? 0, f.fillSeq));
      const orders: Array<{ journal: (typeof input.orders)[number]; venue: VenueOrder | undefined }> = [];
      for (const j of input.orders) {
        if (j.status !== 'submitting' && j.status !== 'open' && j.status !== 'partially_filled') continue;
        const v = openOrders.find((o) => o.clientOrderId === j.clientOrderId) ?? (await this.#orders.lookup(j.clientOrderId, j.symbol));
        orders.push({ journal: j, venue: v });
        if (v !== undefined) {
          const seq = (fillCount.get(j.clientOrderId) ?? 0) + (v.filledQty > j.filledQty + 1e-12 ? 1 : 0);
          this.adoptOrObserve(v);
          this.#tracker.seedFillSeq(v.clientOrderId, seq);
        }
      }
      const { events, problems } = compareWithJournal(input, { positions, openOrders, balances }, (s) => this.#instruments?.get(s), !this.#linear);
      return { ok: problems.length === 0, problems, events, venue: { positions, openOrders, balances }, orders };
    } catch (err) {
      if (err instanceof QuantumTraderError && err.code === 'RECONCILIATION_FAILED') throw err;
      throw new QuantumTraderError('RECONCILIATION_FAILED', `reconciliation with ${this.#exchange.id} failed: ${this.redact((err as Error).message)}`, {
        cause: err,
      });
    }
  }

  [inspect.custom](): string {
    return `CcxtBroker { exchange: '${this.#exchange.id}' }`;
  }

  toJSON(): { exchange: string } {
    return { exchange: this.#exchange.id };
  }

  // ---------------------------------------------------------------- internals

  private redact(text: string): string {
    const ex = this.#exchange as { apiKey?: unknown; secret?: unknown; password?: unknown; privateKey?: unknown };
    const secrets = [ex.apiKey, ex.secret, ex.password, ex.privateKey].filter((s): s is string => typeof s === 'string');
    return redact(text, secrets);
  }

  private sentOf(coid: ClientOrderId): SentOrder | undefined {
    const type = this.#tracker.typeOf(coid);
    return type === undefined ? undefined : { type, reduceOnly: false };
  }

  // Orders this process sent are observed from their start (every fill reported); others are adopted from their
  // current state (what they filled before is the execution engine's recovery to journal).
  private adoptOrObserve(v: VenueOrder): void {
    if (this.#tracker.isTracked(v.clientOrderId)) this.#tracker.observe(v);
    else this.#tracker.adopt(v);
  }

  private async lookupQuietly(coid: ClientOrderId, symbol: SymbolId): Promise<VenueOrder | undefined> {
    try {
      return await this.#orders.lookup(coid, symbol);
    } catch {
      return undefined;
    }
  }

  private marketInstrument(symbol: SymbolId): Instrument | undefined {
    const market = this.#exchange.markets?.[symbol];
    return market === undefined ? undefined : instrumentOfMarket(market, this.#exchange.precisionMode);
  }

  private async prepareLinear(symbol: SymbolId, leverage: number | undefined): Promise<void> {
    const ex = this.#exchange;
    const mode = this.#options.marginMode;
    if (mode !== undefined && !this.#marginModeSet.has(symbol)) {
      try {
        await this.#caller.call(`setMarginMode ${mode} ${symbol}`, () => ex.setMarginMode(mode, symbol));
      } catch (err) {
        const already = err instanceof CcxtVenueError ? err.kind === 'no_change' : classifyVenueError(err).kind === 'no_change';
        if (!already) throw err;
      }
      this.#marginModeSet.add(symbol);
    }
    if (leverage !== undefined && this.#leverage.get(symbol) !== leverage) {
      await this.#caller.call(`setLeverage ${leverage} ${symbol}`, () => ex.setLeverage(leverage, symbol));
      this.#leverage.set(symbol, leverage);
    }
  }
}

function rejected(code: string, reason: string): SubmitResult {
  return { status: 'rejected', code, reason };
}

/** The venue's own message (`"msg"` of a Binance error), else the whole message. */
function venueMessage(err: CcxtVenueError): string {
  const m = /"msg"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(err.message);
  return m?.[1] ?? err.message;
}

/**
 * The venue accepted `order` but its answer cannot be read as an order: the order as sent, under the venue's id when
 * the answer has one (else `unconfirmed`; the journal needs a name, and the first fill brings the real id). Its
 * fills arrive as usual: the update stream follows it by client order id.
 */
function placeholder(order: SubmitOrder, venueId: string | undefined): VenueOrder {
  return {
    clientOrderId: order.clientOrderId,
    venueOrderId: (venueId !== undefined && venueId !== '' ? venueId : 'unconfirmed') as VenueOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    qty: order.qty,
    filledQty: 0,
    avgFillPrice: 0,
    reduceOnly: order.reduceOnly,
    status: 'open',
    ts: Date.now(),
    ...(order.price !== undefined ? { price: order.price } : {}),
    ...(order.stopPrice !== undefined ? { stopPrice: order.stopPrice } : {}),
  };
}

