import { Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import type { Candle, CandleColumns } from '../../model/candle.js';
import type { BrokerEvent } from '../../model/events.js';
import type { ClientOrderId, SymbolId } from '../../model/ids.js';
import type { Instrument } from '../../model/instrument.js';
import type { Balance, SubmitOrder, VenueOrder, VenuePosition } from '../../model/orders.js';
import type { Broker, SubmitResult } from '../../ports/broker.js';
import type { CandleRunConsumer, MarketData } from '../../ports/market-data.js';
import type { IntrabarMode } from './intrabar-path.js';
import { referencePrice, validateOrder } from './simulated-order-rules.js';
import { isWorking, newSimOrder, venueOrderOf, type SymbolBook } from './simulated-book.js';
import { SimLedger } from './simulated-ledger.js';
import { matchCandle, mayTrigger, triggerBand, type MatchConfig, type MatchCounters } from './simulated-matcher.js';
import { exportLedger, importLedger, type SimulatedExchangeState } from './simulated-exchange-state.js';
import { CandleRefiner, type CandleRefinement } from './candle-refiner.js';
import { FundingSchedule, type FundingPayment, type FundingRate } from './simulated-funding.js';

/**
 * Settings of a {@link SimulatedExchange}.
 *
 * @example
 * ```ts
 * const options: SimulatedExchangeOptions = {
 *   instruments: [binanceInstrument(symbolId('BTC/USDT:USDT'))],
 *   balances: { USDT: 10_000 },
 *   slippageBps: 2,
 *   scheduler: asyncScheduler,
 * };
 * ```
 */
export interface SimulatedExchangeOptions {
  /** Markets the venue trades, with their rules. */
  readonly instruments: readonly Instrument[];
  /** Starting wallet per currency, e.g. `{ USDT: 10_000 }`. */
  readonly balances: Readonly<Record<string, number>>;
  /** Adverse slippage of market-like fills (market orders, triggered stops), in basis points. Default 0. */
  readonly slippageBps?: number;
  /** Assumed price path inside a candle (see {@link IntrabarMode}). Default `'conservative'`. */
  readonly intrabar?: IntrabarMode;
  /** The only source of time: orders and events are stamped with `scheduler.now()`. */
  readonly scheduler: SchedulerLike;
  /** At most this fraction (0 < f ≤ 1) of a candle's volume fills per candle and symbol. Default: no cap. */
  readonly maxVolumeParticipation?: number;
  /**
   * Order arrival latency in ms (default 0): an order reaches the venue `latencyMs` after it was submitted and
   * works from the first candle that opens at or after its arrival. Candles are the time resolution, so any
   * latency > 0 makes an order submitted at a candle's open wait for the next candle.
   */
  readonly latencyMs?: number;
  /**
   * Volume-participation slippage, on top of `slippageBps`: a market-like fill (market order, triggered stop) of
   * `q` on a candle of volume `V` is slipped adversely by `slippageBps + impactBps × min(1, q / V)^exponent`
   * (exponent default 0.5, the square-root law; a zero-volume candle counts as full participation).
   */
  readonly volumeSlippage?: { readonly impactBps: number; readonly exponent?: number };
  /**
   * Funding-rate series of linear perpetuals, per symbol, sorted by time. At each funding time the open position
   * pays `qty × price × rate` (rate > 0: longs pay, shorts receive) at the open of the first candle at or after it,
   * from the wallet. Reported on {@link SimulatedExchange.funding$}.
   */
  readonly fundingRates?: Readonly<Record<string, readonly FundingRate[]>>;
  /**
   * Finer candles to resolve ambiguous candles (triggers reached both above and below the open): such a candle is
   * matched by walking its finer candles in order instead of assuming an intrabar path. Candles without a complete
   * set of finer candles keep the `intrabar` path.
   */
  readonly refinement?: CandleRefinement;
}

/**
 * A simulated venue (paper broker and backtest exchange) implementing the {@link Broker} port synchronously:
 * every method returns a plain value, so a backtest runs in RxJS virtual time.
 *
 * Orders are matched when the engine reports a closed candle with {@link SimulatedExchange.onCandle}. An order
 * only fills on a candle whose open time is at or after its submission time (no look-ahead); orders submitted
 * while a candle is being matched (by an `events$` subscriber reacting to a fill) wait for the next candle.
 *
 * Fill rules (every fill price lies inside its candle's `[low, high]`):
 * - **market**: the open, slipped adversely by `slippageBps` (rounded to the tick against the trader), taker fee.
 * - **limit**: its limit price when the intrabar path reaches it (maker fee). If the candle already *opens*
 *   through the limit (a gap, or a limit that was marketable when submitted) it fills at the open, the better
 *   price, and pays the taker fee: a fill at the limit price is a maker fill, a fill at a better open a taker fill.
 * - **stop_market**: triggers when the path reaches `stopPrice`, fills at the stop slipped adversely; a candle
 *   that opens beyond the stop ("gap through the stop") fills at the open, slipped. Taker fee. A stop submitted
 *   already beyond the price is not rejected: it fills at the next open if the price is still beyond it. A
 *   triggered stop that could not fill (volume cap) fills like a market order on the next candle.
 * - **reduceOnly**: never increases or flips a position: the fill is clamped to the position's size at fill time;
 *   with no position to reduce the order is canceled (`'reduce-only: no position to reduce'`), and so is what is
 *   left of it once the position is flat.
 * - **intrabar path**: see {@link IntrabarMode}; orders fill in the order the path reaches them, ties in
 *   submission order; a liquidation at the same point goes first.
 * - **fees**: `qty × price × (makerFee | takerFee)` in the quote currency, taken from the wallet.
 * - **volume cap**: with `maxVolumeParticipation = f`, the fills of a symbol in one candle total at most
 *   `f × volume` (floored to the lot step); the rest keeps working.
 *
 * Accounts: `spot` buys spend quote and sells need the base held (no shorts). `linear` perpetuals are
 * USDT-margined, isolated, one-way (net position per symbol): initial margin `notional / leverage` is locked when
 * a position opens or grows (a position keeps the leverage it opened with), realized PnL is credited on reduce,
 * and the position is liquidated at its liquidation price `entry × (1 − 1/leverage + mmr)` (long) or
 * `entry × (1 + 1/leverage − mmr)` (short), `mmr = instrument.maintenanceMarginRate ?? 0.004`, rounded to the tick
 * towards the entry — or at the open if the candle gaps through it. A liquidation cancels the symbol's working
 * orders and never costs more than the position's margin, so the wallet never goes negative. Working orders
 * reserve funds: spot buys `qty × price × (1 + takerFee)`, spot sells the base quantity, linear non-reduce-only
 * orders `qty × price / leverage`.
 *
 * @example
 * ```ts
 * const exchange = new SimulatedExchange({
 *   instruments: [binanceInstrument(symbolId('BTC/USDT:USDT'))],
 *   balances: { USDT: 10_000 },
 *   slippageBps: 2,
 *   scheduler,
 * });
 * exchange.events$.subscribe((e) => journal.append([e]));
 * market.candles$.subscribe(({ symbol, candle }) => exchange.onCandle(symbol, candle));
 * exchange.submit({ clientOrderId, symbol: symbolId('BTC/USDT:USDT'), side: 'buy', type: 'market', qty: 0.01,
 *   reduceOnly: false, leverage: 5 });
 * ```
 */
export class SimulatedExchange implements Broker {
  /** `OrderFilled` and `OrderCanceled` events, emitted synchronously (accepts and rejects are `submit`'s answer). */
  readonly events$: Observable<BrokerEvent>;
  /** Funding payments settled on perpetual positions (only with `fundingRates`), emitted synchronously. */
  readonly funding$: Observable<FundingPayment>;
  private readonly subject = new Subject<BrokerEvent>();
  private readonly fundingSubject = new Subject<FundingPayment>();
  private readonly ledger: SimLedger;
  private readonly cfg: MatchConfig;
  private readonly instrumentList: readonly Instrument[];
  private readonly refiner: CandleRefiner | undefined;
  private readonly funding: FundingSchedule | undefined;
  private readonly counters: MatchCounters = { ambiguous: 0, refined: 0 };
  private fundingTotal = 0;
  /** Scratch of {@link SimulatedExchange.quietUntil}: the book's trigger band. */
  private readonly band = new Float64Array(2);

  constructor(options: SimulatedExchangeOptions) {
    const slippageBps = options.slippageBps ?? 0;
    if (!(Number.isFinite(slippageBps) && slippageBps >= 0)) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `SimulatedExchange: slippageBps must be a finite number >= 0, got ${slippageBps}`,
      );
    }
    const mode = options.intrabar ?? 'conservative';
    if (mode !== 'conservative' && mode !== 'ohlc' && mode !== 'olhc') {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `SimulatedExchange: intrabar must be 'conservative', 'ohlc' or 'olhc', got '${String(mode)}'`,
      );
    }
    const participation = options.maxVolumeParticipation;
    if (participation !== undefined && !(participation > 0 && participation <= 1)) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `SimulatedExchange: maxVolumeParticipation must be in (0, 1], got ${participation}`,
      );
    }
    const latency = options.latencyMs ?? 0;
    if (!(Number.isFinite(latency) && latency >= 0)) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `SimulatedExchange: latencyMs must be a finite number >= 0, got ${latency}`,
      );
    }
    const impactBps = options.volumeSlippage?.impactBps ?? 0;
    const exponent = options.volumeSlippage?.exponent ?? 0.5;
    if (!(Number.isFinite(impactBps) && impactBps >= 0) || !(Number.isFinite(exponent) && exponent > 0)) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `SimulatedExchange: volumeSlippage needs impactBps >= 0 and exponent > 0, got impactBps=${impactBps} exponent=${exponent}`,
      );
    }
    this.cfg = {
      mode,
      slip: slippageBps / 10_000,
      participation: participation ?? Infinity,
      latency,
      impact: impactBps / 10_000,
      impactExponent: exponent,
    };
    this.instrumentList = [...options.instruments];
    this.ledger = new SimLedger(options.instruments, options.balances, this.subject, options.scheduler);
    const known = new Set(this.ledger.books.keys());
    this.refiner = options.refinement === undefined ? undefined : new CandleRefiner(options.refinement, known);
    this.funding = options.fundingRates === undefined ? undefined : new FundingSchedule(options.fundingRates, known);
    this.events$ = this.subject.asObservable();
    this.funding$ = this.fundingSubject.asObservable();
  }

  /**
   * Creates an exchange from a snapshot taken with {@link SimulatedExchange.exportState}; it then behaves exactly
   * as the exchange that was saved would have.
   *
   * @example
   * ```ts
   * const resumed = SimulatedExchange.fromState(JSON.parse(saved) as SimulatedExchangeState, options);
   * ```
   */
  static fromState(state: SimulatedExchangeState, options: SimulatedExchangeOptions): SimulatedExchange {
    const exchange = new SimulatedExchange(options);
    exchange.importState(state);
    return exchange;
  }

  /**
   * Markets this venue trades.
   *
   * @example
   * ```ts
   * const [btc] = exchange.instruments();
   * ```
   */
  instruments(): readonly Instrument[] {
    return this.instrumentList;
  }

  /**
   * Accepts or rejects an order (synchronously). An accepted order works from the next eligible candle on.
   * A client order id the venue already knows is rejected with `DUPLICATE_CLIENT_ORDER_ID` and the existing order
   * is left untouched.
   *
   * @example
   * ```ts
   * const res = exchange.submit({ clientOrderId, symbol, side: 'sell', type: 'limit', qty: 0.01, price: 31_000,
   *   reduceOnly: true });
   * if (res.status === 'rejected') console.log(res.code, res.reason);
   * ```
   */
  submit(order: SubmitOrder): SubmitResult {
    const ledger = this.ledger;
    if (ledger.knows(order.clientOrderId)) {
      return {
        status: 'rejected',
        code: 'DUPLICATE_CLIENT_ORDER_ID',
        reason: `client order id ${order.clientOrderId} is already used by an order on this venue; the existing order is unchanged`,
      };
    }
    const book = ledger.books.get(order.symbol);
    if (book === undefined) {
      return {
        status: 'rejected',
        code: '-1121',
        reason: `Invalid symbol: ${order.symbol} is not traded here (known: ${this.knownSymbols()})`,
      };
    }
    const rejection = validateOrder(order, book, ledger, this.cfg.slip);
    if (rejection !== undefined) return { status: 'rejected', code: rejection.code, reason: rejection.reason };
    const now = ledger.now();
    const o = newSimOrder({
      clientOrderId: order.clientOrderId,
      venueOrderId: ledger.nextVenueOrderId(),
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      qty: order.qty,
      price: order.type === 'limit' ? order.price : undefined,
      stopPrice: order.type === 'stop_market' ? order.stopPrice : undefined,
      reduceOnly: order.reduceOnly,
      leverage: order.leverage ?? 1,
      intentId: order.intentId,
      positionId: order.positionId,
      leg: order.leg,
      seq: ++ledger.orderSeq,
      createdAt: now,
      refPrice: referencePrice(order, book, this.cfg.slip),
      liquidation: false,
      updatedAt: now,
      status: 'open',
      filledQty: 0,
      avgFillPrice: 0,
      fees: 0,
      fillCount: 0,
      triggered: false,
    });
    ledger.orders.set(o.clientOrderId, o);
    book.orders.push(o);
    return { status: 'accepted', order: venueOrderOf(o) };
  }

  /**
   * Cancels a working order and emits `OrderCanceled` (reason `'canceled by client'`); a no-op for an unknown or
   * finished order.
   *
   * @example
   * ```ts
   * exchange.cancel(tpClientOrderId, symbol);
   * ```
   */
  cancel(clientOrderId: ClientOrderId, symbol: SymbolId): void {
    const o = this.ledger.orders.get(clientOrderId);
    if (o === undefined || o.symbol !== symbol || !isWorking(o)) return;
    this.ledger.cancel(this.ledger.books.get(symbol)!, o, 'canceled by client');
  }

  /**
   * Looks an order up by its client order id (finished orders included).
   *
   * @example
   * ```ts
   * const o = exchange.getOrder(clientOrderId, symbol);
   * ```
   */
  getOrder(clientOrderId: ClientOrderId, symbol: SymbolId): VenueOrder | undefined {
    const o = this.ledger.order(clientOrderId);
    return o !== undefined && o.symbol === symbol ? venueOrderOf(o) : undefined;
  }

  /**
   * Orders still working, in submission order, for one symbol or all.
   *
   * @example
   * ```ts
   * const legs = exchange.openOrders(symbolId('BTC/USDT:USDT'));
   * ```
   */
  openOrders(symbol?: SymbolId): readonly VenueOrder[] {
    const out: VenueOrder[] = [];
    const books = symbol === undefined ? this.ledger.bookList : [this.ledger.books.get(symbol)];
    for (const book of books) {
      if (book === undefined) continue;
      for (const o of book.orders) if (isWorking(o)) out.push(venueOrderOf(o));
    }
    return out;
  }

  /**
   * Open positions (spot holdings bought on the venue appear as longs at 1x), with unrealized PnL marked at the
   * last close and, for linear perpetuals, the liquidation price.
   *
   * @example
   * ```ts
   * for (const p of exchange.positions()) console.log(p.symbol, p.side, p.qty, p.unrealizedPnl);
   * ```
   */
  positions(): readonly VenuePosition[] {
    const out: VenuePosition[] = [];
    for (const book of this.ledger.bookList) {
      if (book.posQty === 0) continue;
      const mark = Number.isNaN(book.last) ? book.entryPrice : book.last;
      const base = {
        symbol: book.symbol,
        side: book.posQty > 0 ? ('long' as const) : ('short' as const),
        qty: Math.abs(book.posQty),
        entryPrice: book.entryPrice,
        leverage: book.spot ? 1 : book.leverage,
        unrealizedPnl: (mark - book.entryPrice) * book.posQty,
      };
      out.push(book.spot ? base : { ...base, liquidationPrice: book.liqPrice });
    }
    return out;
  }

  /**
   * Balances per currency: `total` is the wallet balance (margins included, unrealized PnL excluded), `used` what
   * position margins and working orders hold, `free = total − used`.
   *
   * @example
   * ```ts
   * const usdt = exchange.balances().find((b) => b.currency === 'USDT');
   * ```
   */
  balances(): readonly Balance[] {
    const out: Balance[] = [];
    for (const [currency, total] of this.ledger.wallet) {
      const used = this.ledger.used(currency);
      out.push({ currency, total, free: total - used, used });
    }
    return out;
  }

  /**
   * The last close seen for a symbol, or `undefined` before its first candle.
   *
   * @example
   * ```ts
   * const px = exchange.lastPrice(symbolId('BTC/USDT'));
   * ```
   */
  lastPrice(symbol: SymbolId): number | undefined {
    const book = this.ledger.books.get(symbol);
    return book === undefined || Number.isNaN(book.last) ? undefined : book.last;
  }

  /**
   * Reports a closed candle (call it at the candle's close time, `candle.ts + timeframe`): the symbol's working
   * orders are matched against it and fills, cancels and liquidations are emitted on `events$` synchronously.
   * Allocates nothing when the symbol has no working orders (and no leveraged position).
   *
   * @example
   * ```ts
   * market.candles$.subscribe(({ symbol, candle }) => exchange.onCandle(symbol, candle));
   * ```
   */
  onCandle(symbol: SymbolId, candle: Candle): void {
    const book = this.ledger.books.get(symbol);
    if (book === undefined) {
      throw new QuantumTraderError(
        'UNKNOWN_SYMBOL',
        `SimulatedExchange.onCandle: ${symbol} is not among the instruments (${this.knownSymbols()})`,
      );
    }
    const { open, high, low, close } = candle;
    if (!(low <= open && open <= high && low <= close && close <= high)) {
      throw new QuantumTraderError(
        'DATA_INVALID',
        `SimulatedExchange.onCandle: candle ${candle.ts} of ${symbol} is not a valid OHLC (open ${open}, high ${high}, low ${low}, close ${close})`,
      );
    }
    if (this.funding !== undefined && this.funding.has(symbol)) this.settleFunding(book, candle);
    book.last = close;
    if (book.orders.length === 0 && (book.spot || book.posQty === 0)) return;
    this.match(book, candle);
  }

  /**
   * Connects this venue to a market: every closed candle is matched with {@link SimulatedExchange.onCandle}. On a
   * replay that offers quiet runs ({@link MarketData.subscribeRuns}) the venue takes part in them: a stretch of
   * candles that reaches no order, no liquidation price and no funding time is taken at once.
   *
   * @example
   * ```ts
   * exchange.attach(market); // before the kernel subscribes: the venue matches a candle first
   * ```
   */
  attach(market: MarketData): Subscription {
    const consumer: CandleRunConsumer = {
      next: (e) => this.onCandle(e.symbol, e.candle),
      quietUntil: (symbol, candles, from, to, scanFrom) => this.quietUntil(symbol, candles, from, to, scanFrom),
      absorb: (symbol, candles, from, to) => this.absorb(symbol, candles, from, to),
    };
    return market.subscribeRuns?.(consumer) ?? market.candles$.subscribe((e) => consumer.next(e));
  }

  /**
   * The quiet-run scan (see {@link CandleRunConsumer.quietUntil}): the first candle in `[from, to)` that may
   * trigger an order or a liquidation of `symbol`, reaches a funding time, or is not a valid OHLC (so that
   * {@link SimulatedExchange.onCandle} reports it) — or `to`.
   *
   * @example
   * ```ts
   * exchange.quietUntil(symbol, cols, 0, cols.length); // index of the first candle that reaches an order
   * ```
   */
  quietUntil(symbol: SymbolId, candles: CandleColumns, from: number, to: number, scanFrom = from): number {
    const book = this.ledger.books.get(symbol);
    if (book === undefined || book.busy) return from;
    // A funding time ends the run: the candle that reaches it settles the rate through onCandle.
    const due = this.funding === undefined ? Number.POSITIVE_INFINITY : this.funding.dueAt(symbol);
    const { ts, open, high, low, close } = candles;
    const band = this.band;
    if (book.orders.length === 0 && (book.spot || book.posQty === 0)) {
      band[0] = Number.NEGATIVE_INFINITY;
      band[1] = Number.POSITIVE_INFINITY;
    } else if (!triggerBand(book, band)) {
      return from;
    }
    const down = band[0]!;
    const up = band[1]!;
    for (let j = Math.max(from, scanFrom); j < to; j++) {
      const o = open[j]!;
      const h = high[j]!;
      const l = low[j]!;
      const c = close[j]!;
      if (!(l <= o && o <= h && l <= c && c <= h) || l <= down || h >= up || ts[j]! >= due) return j;
    }
    return to;
  }

  /**
   * Takes quiet candles `[from, to)` of `symbol` at once (after {@link SimulatedExchange.quietUntil} said so): the
   * last price moves to the last close and finished orders are let go, as `onCandle` for each would do.
   *
   * @example
   * ```ts
   * const q = exchange.quietUntil(symbol, cols, 0, cols.length);
   * exchange.absorb(symbol, cols, 0, q);
   * ```
   */
  absorb(symbol: SymbolId, candles: CandleColumns, from: number, to: number): void {
    const book = this.ledger.books.get(symbol);
    if (book === undefined || to <= from) return;
    book.last = candles.close[to - 1]!;
    if (book.orders.length > 0 || (!book.spot && book.posQty !== 0)) this.ledger.compact(book);
  }

  /**
   * Net funding booked so far (quote currency; negative = paid), and how candles were matched: `ambiguousCandles`
   * had triggers reached both above and below the open (the intrabar order decided the outcome),
   * `refinedCandles` of them were resolved from finer candles.
   *
   * @example
   * ```ts
   * const { fundingPaid, ambiguousCandles, refinedCandles } = exchange.fidelityStats();
   * ```
   */
  fidelityStats(): { readonly fundingPaid: number; readonly ambiguousCandles: number; readonly refinedCandles: number } {
    return { fundingPaid: this.fundingTotal, ambiguousCandles: this.counters.ambiguous, refinedCandles: this.counters.refined };
  }

  /**
   * A JSON-serializable snapshot of the whole venue, to persist a paper session and resume it after a crash
   * with {@link SimulatedExchange.fromState} or {@link SimulatedExchange.importState}.
   *
   * @example
   * ```ts
   * await journal.setState('sim-exchange', JSON.stringify(exchange.exportState()));
   * ```
   */
  exportState(): SimulatedExchangeState {
    const state = exportLedger(this.ledger);
    return this.funding === undefined ? state : { ...state, fundingSettled: this.funding.settledUpTo() };
  }

  /**
   * Replaces this venue's state with a snapshot from {@link SimulatedExchange.exportState}.
   *
   * @example
   * ```ts
   * exchange.importState(JSON.parse(saved) as SimulatedExchangeState);
   * ```
   */
  importState(state: SimulatedExchangeState): void {
    if (this.ledger.processing > 0) {
      throw new QuantumTraderError('INVARIANT_VIOLATED', 'SimulatedExchange.importState called while a candle is matched');
    }
    importLedger(this.ledger, state);
    this.funding?.restore(state.fundingSettled);
  }

  private match(book: SymbolBook, candle: Candle): void {
    if (book.busy) {
      throw new QuantumTraderError(
        'INVARIANT_VIOLATED',
        `SimulatedExchange.onCandle(${book.symbol}) was called again while a candle of ${book.symbol} is matched`,
      );
    }
    const ledger = this.ledger;
    // Most candles reach no trigger at all: a few comparisons against the range replace the intrabar walk.
    if (!mayTrigger(book, candle)) {
      ledger.compact(book);
      return;
    }
    book.busy = true;
    ledger.processing++;
    try {
      matchCandle(ledger, book, candle, book.path, this.cfg, this.refiner, this.counters);
    } finally {
      ledger.processing--;
      book.busy = false;
      ledger.compact(book);
    }
  }

  private settleFunding(book: SymbolBook, candle: Candle): void {
    this.funding!.settle(book.symbol, candle, (r) => {
      if (book.spot || book.posQty === 0) return;
      const positionQty = book.posQty;
      const amount = this.ledger.payFunding(book, candle.open, r.rate);
      this.fundingTotal += amount;
      this.fundingSubject.next({ symbol: book.symbol, ts: r.ts, rate: r.rate, markPrice: candle.open, positionQty, amount });
    });
  }

  private knownSymbols(): string {
    return [...this.ledger.books.keys()].join(', ');
  }
}
