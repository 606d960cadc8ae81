import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import type { ClientOrderId, IntentId, PositionId, SymbolId, VenueOrderId } from '../../model/ids.js';
import type { OrderSide, OrderType } from '../../model/orders.js';
import { isWorking, newSimOrder, type SimOrder, type SimOrderStatus } from './simulated-book.js';
import type { SimLedger } from './simulated-ledger.js';

/**
 * One order in a {@link SimulatedExchangeState} (every order the venue accepted, finished ones included, so
 * `getOrder` and duplicate detection keep working after a resume).
 *
 * @example
 * ```ts
 * const open = state.orders.filter((o) => o.status === 'open' || o.status === 'partially_filled');
 * ```
 */
export interface SimulatedOrderState {
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly qty: number;
  readonly price: number | null;
  readonly stopPrice: number | null;
  readonly reduceOnly: boolean;
  readonly leverage: number;
  readonly intentId: string | null;
  readonly positionId: string | null;
  readonly leg: string | null;
  readonly seq: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly refPrice: number;
  readonly liquidation: boolean;
  readonly status: SimOrderStatus;
  readonly filledQty: number;
  readonly avgFillPrice: number;
  readonly fees: number;
  readonly fillCount: number;
  readonly triggered: boolean;
}

/**
 * The net position of one symbol in a {@link SimulatedExchangeState}: `qty` is signed (> 0 long, < 0 short).
 *
 * @example
 * ```ts
 * const btc = state.positions.find((p) => p.symbol === 'BTC/USDT:USDT');
 * ```
 */
export interface SimulatedPositionState {
  readonly symbol: string;
  readonly qty: number;
  readonly entryPrice: number;
  readonly leverage: number;
  /** Isolated margin locked (0 for spot). */
  readonly margin: number;
}

/**
 * A JSON-serializable snapshot of everything a {@link SimulatedExchange} holds: wallet, positions, orders,
 * id counters and last prices. Options (instruments, scheduler, slippage, intrabar mode) are not part of it.
 *
 * @example
 * ```ts
 * await journal.setState('sim-exchange', JSON.stringify(exchange.exportState()));
 * // after a restart:
 * const saved = JSON.parse((await journal.getState('sim-exchange'))!) as SimulatedExchangeState;
 * const resumed = SimulatedExchange.fromState(saved, options);
 * ```
 */
export interface SimulatedExchangeState {
  readonly version: 1;
  readonly balances: Readonly<Record<string, number>>;
  readonly positions: readonly SimulatedPositionState[];
  readonly orders: readonly SimulatedOrderState[];
  readonly counters: { readonly order: number; readonly venue: number; readonly liquidation: number };
  readonly lastPrices: Readonly<Record<string, number>>;
  /** Time of the last funding settled per symbol (only when the venue has funding rates). */
  readonly fundingSettled?: Readonly<Record<string, number>>;
}

/** Snapshot of a ledger. @internal */
export function exportLedger(ledger: SimLedger): SimulatedExchangeState {
  const balances: Record<string, number> = {};
  for (const [currency, amount] of ledger.wallet) balances[currency] = amount;
  const positions: SimulatedPositionState[] = [];
  const lastPrices: Record<string, number> = {};
  for (const book of ledger.bookList) {
    if (book.posQty !== 0) {
      positions.push({
        symbol: book.symbol,
        qty: book.posQty,
        entryPrice: book.entryPrice,
        leverage: book.leverage,
        margin: book.margin,
      });
    }
    if (!Number.isNaN(book.last)) lastPrices[book.symbol] = book.last;
  }
  const orders: SimulatedOrderState[] = [];
  for (const o of ledger.orders.values()) orders.push(orderStateOf(o));
  for (const o of ledger.finished.orders()) orders.push(orderStateOf(o));
  orders.sort((a, b) => a.seq - b.seq);
  return {
    version: 1,
    balances,
    positions,
    orders,
    counters: { order: ledger.orderSeq, venue: ledger.venueSeq, liquidation: ledger.liqSeq },
    lastPrices,
  };
}

/** One order as saved state. */
function orderStateOf(o: SimOrder): SimulatedOrderState {
  return {
    clientOrderId: o.clientOrderId,
    venueOrderId: o.venueOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    price: o.price ?? null,
    stopPrice: o.stopPrice ?? null,
    reduceOnly: o.reduceOnly,
    leverage: o.leverage,
    intentId: o.intentId ?? null,
    positionId: o.positionId ?? null,
    leg: o.leg ?? null,
    seq: o.seq,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    refPrice: o.refPrice,
    liquidation: o.liquidation,
    status: o.status,
    filledQty: o.filledQty,
    avgFillPrice: o.avgFillPrice,
    fees: o.fees,
    fillCount: o.fillCount,
    triggered: o.triggered,
  };
}

/** Replaces a ledger's contents with a snapshot. @internal */
export function importLedger(ledger: SimLedger, state: SimulatedExchangeState): void {
  if (state.version !== 1) {
    throw new QuantumTraderError(
      'DATA_INVALID',
      `SimulatedExchange state has version ${String(state.version)}; this version reads version 1`,
    );
  }
  const bookOf = (symbol: string, what: string) => {
    const book = ledger.books.get(symbol as SymbolId);
    if (book === undefined) {
      throw new QuantumTraderError(
        'UNKNOWN_SYMBOL',
        `SimulatedExchange state has ${what} on ${symbol}, which is not among the instruments (${[...ledger.books.keys()].join(', ')}); pass the same instruments the state was saved with`,
      );
    }
    return book;
  };
  ledger.wallet.clear();
  ledger.orders.clear();
  ledger.finished.clear();
  for (const book of ledger.bookList) {
    book.orders = [];
    book.posQty = 0;
    book.entryPrice = 0;
    book.leverage = 1;
    book.margin = 0;
    book.last = Number.NaN;
    book.updateLiquidationPrice();
  }
  for (const [currency, amount] of Object.entries(state.balances)) ledger.wallet.set(currency, amount);
  for (const p of state.positions) {
    const book = bookOf(p.symbol, 'a position');
    book.posQty = p.qty;
    book.entryPrice = p.entryPrice;
    book.leverage = p.leverage;
    book.margin = p.margin;
    book.updateLiquidationPrice();
  }
  for (const [symbol, price] of Object.entries(state.lastPrices)) bookOf(symbol, 'a last price').last = price;
  const sorted = [...state.orders].sort((a, b) => a.seq - b.seq);
  for (const s of sorted) {
    const book = bookOf(s.symbol, `order ${s.clientOrderId}`);
    const o: SimOrder = newSimOrder({
      clientOrderId: s.clientOrderId as ClientOrderId,
      venueOrderId: s.venueOrderId as VenueOrderId,
      symbol: book.symbol,
      side: s.side,
      type: s.type,
      qty: s.qty,
      price: s.price ?? undefined,
      stopPrice: s.stopPrice ?? undefined,
      reduceOnly: s.reduceOnly,
      leverage: s.leverage,
      intentId: (s.intentId ?? undefined) as IntentId | undefined,
      positionId: (s.positionId ?? undefined) as PositionId | undefined,
      leg: s.leg ?? undefined,
      seq: s.seq,
      createdAt: s.createdAt,
      refPrice: s.refPrice,
      liquidation: s.liquidation,
      updatedAt: s.updatedAt,
      status: s.status,
      filledQty: s.filledQty,
      avgFillPrice: s.avgFillPrice,
      fees: s.fees,
      fillCount: s.fillCount,
      triggered: s.triggered,
    });
    if (isWorking(o)) {
      ledger.orders.set(o.clientOrderId, o);
      book.orders.push(o);
    } else {
      ledger.finished.add(o);
    }
  }
  ledger.orderSeq = state.counters.order;
  ledger.venueSeq = state.counters.venue;
  ledger.liqSeq = state.counters.liquidation;
}
