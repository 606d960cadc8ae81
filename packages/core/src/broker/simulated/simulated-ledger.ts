import type { SchedulerLike, Subject } from 'rxjs';
import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import type { BrokerEvent, OrderCanceled, OrderFilled } from '../../model/events.js';
import { eventIdOf, type ClientOrderId, type SymbolId, type VenueOrderId } from '../../model/ids.js';
import type { Instrument } from '../../model/instrument.js';
import { isWorking, newSimOrder, remainingOf, SymbolBook, type SimOrder } from './simulated-book.js';
import { FinishedOrders } from './simulated-finished-orders.js';

/** Tolerance for comparing money against a free balance. */
function slack(x: number): number {
  return 1e-9 * Math.max(1, Math.abs(x));
}

/**
 * The simulated venue's books and wallet, and the one place where fills, cancels and liquidations change them
 * and are reported on the event subject.
 *
 * @internal
 */
export class SimLedger {
  readonly books = new Map<SymbolId, SymbolBook>();
  readonly bookList: SymbolBook[] = [];
  /** Working orders (open or partially filled) by client order id. */
  readonly orders = new Map<ClientOrderId, SimOrder>();
  /** Finished orders (filled or canceled), in columns: {@link SimLedger.retire} moves an order here. */
  readonly finished = new FinishedOrders();
  /** Wallet balance per currency (spot: holdings; linear: wallet balance, margins included). */
  readonly wallet = new Map<string, number>();
  orderSeq = 0;
  venueSeq = 0;
  liqSeq = 0;
  /** Depth of candle matching in progress: while > 0, finished orders stay in their book until compaction. */
  processing = 0;

  constructor(
    instruments: readonly Instrument[],
    balances: Readonly<Record<string, number>>,
    private readonly subject: Subject<BrokerEvent>,
    private readonly scheduler: SchedulerLike,
  ) {
    for (const inst of instruments) {
      if (this.books.has(inst.symbol)) {
        throw new QuantumTraderError('CONFIG_INVALID', `SimulatedExchange: instrument ${inst.symbol} is listed twice`);
      }
      const book = new SymbolBook(inst);
      this.books.set(inst.symbol, book);
      this.bookList.push(book);
    }
    for (const [currency, amount] of Object.entries(balances)) {
      if (!(Number.isFinite(amount) && amount >= 0)) {
        throw new QuantumTraderError(
          'CONFIG_INVALID',
          `SimulatedExchange: balance of ${currency} must be a finite number >= 0, got ${amount}`,
        );
      }
      this.wallet.set(currency, amount);
    }
  }

  now(): number {
    return this.scheduler.now();
  }

  total(currency: string): number {
    return this.wallet.get(currency) ?? 0;
  }

  /** The currency an order's reservation is held in. */
  reservedCurrency(o: SimOrder, book: SymbolBook): string {
    return book.spot && o.side === 'sell' ? book.instrument.base : book.instrument.quote;
  }

  /**
   * What a working order holds back: spot buy `remaining × refPrice × (1 + takerFee)` quote; spot sell
   * `remaining` base; linear (not reduce-only) `remaining × refPrice / leverage` quote; reduce-only linear: 0.
   */
  reservation(o: SimOrder, book: SymbolBook): number {
    const remaining = remainingOf(o, book);
    if (book.spot) return o.side === 'buy' ? remaining * o.refPrice * (1 + book.instrument.takerFee) : remaining;
    return o.reduceOnly ? 0 : (remaining * o.refPrice) / o.leverage;
  }

  /** Reserved + locked in `currency` (position margins and working orders, except `exclude`). */
  used(currency: string, exclude?: SimOrder): number {
    let used = 0;
    for (let b = 0; b < this.bookList.length; b++) {
      const book = this.bookList[b]!;
      if (!book.spot && book.instrument.quote === currency) used += book.margin;
      const orders = book.orders;
      for (let i = 0; i < orders.length; i++) {
        const o = orders[i]!;
        if (o !== exclude && isWorking(o) && this.reservedCurrency(o, book) === currency) {
          used += this.reservation(o, book);
        }
      }
    }
    return used;
  }

  free(currency: string, exclude?: SimOrder): number {
    return this.total(currency) - this.used(currency, exclude);
  }

  nextVenueOrderId(): VenueOrderId {
    return `sim-${++this.venueSeq}` as VenueOrderId;
  }

  /**
   * Executes `q` of `o` at `price`, moving money and the position, then reports the fill. If the account
   * cannot pay for it the order is canceled instead (or, for a linear order that closes and would re-open, only
   * the closing part fills and the rest is canceled).
   */
  execute(book: SymbolBook, o: SimOrder, q: number, price: number, maker: boolean): void {
    const inst = book.instrument;
    const rate = maker ? inst.makerFee : inst.takerFee;
    let cancelRest: string | undefined;
    if (book.spot) {
      if (o.side === 'buy') {
        const cost = q * price * (1 + rate);
        const free = this.free(inst.quote, o);
        if (cost > free + slack(cost)) {
          this.cancel(
            book,
            o,
            `Account has insufficient balance for requested action: buying ${q} ${inst.base} at ${price} needs ${cost} ${inst.quote} but only ${free} ${inst.quote} is free (-2010)`,
          );
          return;
        }
        this.wallet.set(inst.quote, this.total(inst.quote) - q * price * (1 + rate));
        this.wallet.set(inst.base, book.roundQty(this.total(inst.base) + q));
        const newQty = book.roundQty(book.posQty + q);
        book.entryPrice = (book.entryPrice * book.posQty + price * q) / newQty;
        book.posQty = newQty;
      } else {
        const freeBase = this.free(inst.base, o);
        if (q > freeBase + slack(q)) {
          this.cancel(
            book,
            o,
            `Account has insufficient balance for requested action: selling ${q} ${inst.base} needs ${q} ${inst.base} but only ${freeBase} is free (-2010)`,
          );
          return;
        }
        this.wallet.set(inst.base, book.roundQty(this.total(inst.base) - q));
        this.wallet.set(inst.quote, this.total(inst.quote) + q * price * (1 - rate));
        book.posQty = book.posQty > q ? book.roundQty(book.posQty - q) : 0;
        if (book.posQty === 0) book.entryPrice = 0;
      }
    } else {
      const sign = o.side === 'buy' ? 1 : -1;
      const pos = book.posQty;
      const absPos = Math.abs(pos);
      const closeQty = pos * sign < 0 ? Math.min(q, absPos) : 0;
      let openQty = book.roundQty(q - closeQty);
      if (openQty > 0) {
        const lev = absPos > 0 && closeQty === 0 ? book.leverage : o.leverage;
        let free = this.free(inst.quote, o);
        if (closeQty > 0) {
          free +=
            book.margin + (price - book.entryPrice) * closeQty * (pos > 0 ? 1 : -1) - closeQty * price * rate;
        }
        const need = (openQty * price) / lev + openQty * price * rate;
        if (need > free + slack(need)) {
          const reason = `Margin is insufficient: opening ${openQty} ${inst.base} at ${price} with leverage ${lev} needs ${need} ${inst.quote} of margin and fees but only ${free} ${inst.quote} is free (-2019)`;
          if (closeQty === 0) {
            this.cancel(book, o, reason);
            return;
          }
          openQty = 0;
          q = closeQty;
          cancelRest = reason;
        }
      }
      let w = this.total(inst.quote);
      if (closeQty > 0) {
        w += (price - book.entryPrice) * closeQty * (pos > 0 ? 1 : -1);
        const newPos = book.roundQty(pos + sign * closeQty);
        if (newPos === 0) {
          book.margin = 0;
          book.entryPrice = 0;
        } else {
          book.margin -= (book.margin * closeQty) / absPos;
        }
        book.posQty = newPos;
      }
      if (openQty > 0) {
        const cur = Math.abs(book.posQty);
        if (cur === 0) {
          book.leverage = o.leverage;
          book.entryPrice = price;
          book.margin = (openQty * price) / o.leverage;
          book.posQty = sign * openQty;
        } else {
          book.entryPrice = (book.entryPrice * cur + price * openQty) / (cur + openQty);
          book.margin += (openQty * price) / book.leverage;
          book.posQty = book.roundQty(book.posQty + sign * openQty);
        }
      }
      w -= q * price * rate;
      // Isolated margin: a loss never reaches beyond the wallet (the venue's insurance fund takes the rest).
      this.wallet.set(inst.quote, w < 0 ? 0 : w);
      book.updateLiquidationPrice();
    }

    const fee = q * price * rate;
    const filled = book.roundQty(o.filledQty + q);
    o.avgFillPrice = (o.avgFillPrice * o.filledQty + price * q) / filled;
    o.filledQty = filled;
    o.fees += fee;
    o.fillCount++;
    o.status = filled >= o.qty ? 'filled' : 'partially_filled';
    o.updatedAt = this.now();
    if (o.status === 'filled') this.retire(o);
    this.emitFill(book, o, q, price, fee, maker);

    if (!isWorking(o)) return;
    if (cancelRest !== undefined) {
      this.cancel(book, o, cancelRest);
    } else if (o.reduceOnly && !this.canReduce(book, o)) {
      this.cancel(book, o, 'reduce-only: no position to reduce');
    } else if (!o.reduceOnly) {
      const currency = this.reservedCurrency(o, book);
      const free = this.free(currency);
      if (free < -slack(this.total(currency))) {
        this.cancel(
          book,
          o,
          `insufficient balance to keep the rest of the order working: ${currency} free would be ${free}`,
        );
      }
    }
  }

  /** True if the book's position is on the other side of `o`, so `o` can reduce it. */
  canReduce(book: SymbolBook, o: SimOrder): boolean {
    return o.side === 'sell' ? book.posQty > 0 : book.posQty < 0;
  }

  /**
   * Closes the whole position at `price` as a forced liquidation: the symbol's working orders are canceled, the
   * loss (with the taker fee) is taken from the wallet but never more than the position's isolated margin.
   */
  liquidate(book: SymbolBook, price: number): void {
    const inst = book.instrument;
    const pos = book.posQty;
    const qty = Math.abs(pos);
    const now = this.now();
    const orders = book.orders;
    const canceled: SimOrder[] = [];
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i]!;
      if (isWorking(o)) {
        o.status = 'canceled';
        o.updatedAt = now;
        this.retire(o);
        canceled.push(o);
      }
    }
    const fee = qty * price * inst.takerFee;
    let delta = (price - book.entryPrice) * qty * (pos > 0 ? 1 : -1) - fee;
    if (delta < -book.margin) delta = -book.margin;
    const w = this.total(inst.quote) + delta;
    this.wallet.set(inst.quote, w < 0 ? 0 : w);
    book.posQty = 0;
    book.entryPrice = 0;
    book.margin = 0;
    book.updateLiquidationPrice();

    const liq = newSimOrder({
      clientOrderId: `liq-${book.symbol}-${++this.liqSeq}` as ClientOrderId,
      venueOrderId: this.nextVenueOrderId(),
      symbol: book.symbol,
      side: pos > 0 ? 'sell' : 'buy',
      type: 'market',
      qty,
      price: undefined,
      stopPrice: undefined,
      reduceOnly: true,
      leverage: book.leverage,
      intentId: undefined,
      positionId: undefined,
      leg: 'liquidation',
      seq: ++this.orderSeq,
      createdAt: now,
      refPrice: price,
      liquidation: true,
      updatedAt: now,
      status: 'filled',
      filledQty: qty,
      avgFillPrice: price,
      fees: fee,
      fillCount: 1,
      triggered: false,
    });
    this.finished.add(liq);
    this.emitFill(book, liq, qty, price, fee, false);
    for (const o of canceled) this.emitCanceled(o, 'canceled: position liquidated');
  }

  /**
   * Settles one funding payment of a linear position: `−posQty × price × rate` is added to the wallet (never below
   * zero; isolated margins and the liquidation price are left as they are). Returns the amount actually booked.
   */
  payFunding(book: SymbolBook, price: number, rate: number): number {
    const currency = book.instrument.quote;
    const amount = -book.posQty * price * rate;
    const before = this.total(currency);
    const after = before + amount;
    if (after >= 0) {
      this.wallet.set(currency, after);
      return amount;
    }
    this.wallet.set(currency, 0);
    return -before;
  }

  /** Cancels a working order and reports it. */
  cancel(book: SymbolBook, o: SimOrder, reason: string): void {
    o.status = 'canceled';
    o.updatedAt = this.now();
    this.retire(o);
    if (this.processing === 0) {
      const i = book.orders.indexOf(o);
      if (i >= 0) book.orders.splice(i, 1);
    }
    this.emitCanceled(o, reason);
  }

  /**
   * Moves an order that has just finished (filled or canceled, nothing about it changes any more) from the working
   * orders to {@link SimLedger.finished}, before its event is reported: whatever the report sets off finds it there.
   */
  retire(o: SimOrder): void {
    this.orders.delete(o.clientOrderId);
    this.finished.add(o);
  }

  /** True when the venue has an order with this client order id, working or finished. */
  knows(clientOrderId: ClientOrderId): boolean {
    return this.orders.has(clientOrderId) || this.finished.has(clientOrderId);
  }

  /** The order with this client order id, working or finished (a finished one built again from its columns). */
  order(clientOrderId: ClientOrderId): SimOrder | undefined {
    return this.orders.get(clientOrderId) ?? this.finished.order(clientOrderId);
  }

  /** Drops finished orders from a book, in place, keeping submission order. */
  compact(book: SymbolBook): void {
    const orders = book.orders;
    let w = 0;
    for (let r = 0; r < orders.length; r++) {
      const o = orders[r]!;
      if (isWorking(o)) orders[w++] = o;
    }
    if (w !== orders.length) orders.length = w;
  }

  private emitFill(book: SymbolBook, o: SimOrder, q: number, price: number, fee: number, maker: boolean): void {
    const base = {
      id: eventIdOf('OrderFilled', o.clientOrderId, o.fillCount),
      type: 'OrderFilled' as const,
      ts: this.now(),
      clientOrderId: o.clientOrderId,
      venueOrderId: o.venueOrderId,
      symbol: o.symbol,
      side: o.side,
      orderType: o.type,
      fillSeq: o.fillCount,
      qty: q,
      price,
      fee,
      feeCurrency: book.instrument.quote,
      liquidity: maker ? ('maker' as const) : ('taker' as const),
      remainingQty: remainingOf(o, book),
      reduceOnly: o.reduceOnly,
    };
    const event: OrderFilled = o.liquidation ? { ...base, liquidation: true } : base;
    this.subject.next(event);
  }

  private emitCanceled(o: SimOrder, reason: string): void {
    const event: OrderCanceled = {
      id: eventIdOf('OrderCanceled', o.clientOrderId),
      type: 'OrderCanceled',
      ts: this.now(),
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      reason,
    };
    this.subject.next(event);
  }
}
