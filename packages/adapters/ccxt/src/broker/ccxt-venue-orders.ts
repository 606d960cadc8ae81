import type { ClientOrderId, SymbolId, VenueOrder } from '@quantum-trader/core';
import type { Exchange, Order } from 'ccxt';
import { CcxtVenueError } from '../errors/ccxt-venue-error.js';
import type { VenueCaller } from '../retry/venue-caller.js';
import { venueOrderOf, type SentOrder } from './ccxt-order-mapping.js';

/**
 * Order look-ups and cancels by client order id through ccxt, including Binance USDⓈ-M conditional orders, which
 * live in a separate "algo order" book: a stop order is looked for there when the regular book does not know it.
 */
export class CcxtVenueOrders {
  constructor(
    private readonly exchange: Exchange,
    private readonly caller: VenueCaller,
    private readonly linear: boolean,
    private readonly sentOf: (coid: ClientOrderId) => SentOrder | undefined,
  ) {}

  /** The venue's view of an order, or `undefined` when the venue does not know the client order id. */
  async lookup(coid: ClientOrderId, symbol: SymbolId): Promise<VenueOrder | undefined> {
    const sent = this.sentOf(coid);
    const algoFirst = this.linear && sent?.type === 'stop_market';
    const books = this.linear ? (algoFirst ? [true, false] : [false, true]) : [false];
    for (const trigger of books) {
      const order = await this.fetch(coid, symbol, trigger);
      if (order !== undefined) return venueOrderOf(await this.withExecution(order, symbol), sent);
    }
    return undefined;
  }

  /** Working orders (regular and conditional) of one symbol or all. */
  async open(symbol?: SymbolId): Promise<Array<{ order: VenueOrder; raw: Order }>> {
    const ex = this.exchange;
    const regular = await this.caller.call(`fetchOpenOrders ${symbol ?? 'all'}`, () => ex.fetchOpenOrders(symbol));
    const algo = this.linear
      ? await this.caller.call(`fetchOpenOrders ${symbol ?? 'all'} conditional`, () => ex.fetchOpenOrders(symbol, undefined, undefined, { trigger: true }))
      : [];
    const out: Array<{ order: VenueOrder; raw: Order }> = [];
    for (const raw of [...regular, ...algo]) {
      const order = venueOrderOf(raw, raw.clientOrderId === undefined ? undefined : this.sentOf(raw.clientOrderId as ClientOrderId));
      if (order !== undefined) out.push({ order, raw });
    }
    return out;
  }

  /** Cancels by client order id; `undefined` when the venue knows no working order with it. */
  async cancel(coid: ClientOrderId, symbol: SymbolId): Promise<VenueOrder | undefined> {
    const sent = this.sentOf(coid);
    const books = this.linear ? (sent?.type === 'stop_market' ? [true, false] : [false, true]) : [false];
    for (const trigger of books) {
      try {
        const order = await this.caller.call(`cancelOrder ${coid} ${symbol}`, () =>
          this.exchange.cancelOrder('', symbol, { clientOrderId: coid, ...(trigger ? { trigger: true } : {}) }),
        );
        return venueOrderOf({ ...order, clientOrderId: coid, status: order.status ?? 'canceled' }, sent);
      } catch (err) {
        if (err instanceof CcxtVenueError && err.kind === 'order_not_found') continue;
        throw err;
      }
    }
    return undefined;
  }

  private async fetch(coid: ClientOrderId, symbol: SymbolId, trigger: boolean): Promise<Order | undefined> {
    try {
      return await this.caller.call(`fetchOrder ${coid} ${symbol}${trigger ? ' conditional' : ''}`, () =>
        this.exchange.fetchOrder('', symbol, { clientOrderId: coid, ...(trigger ? { trigger: true } : {}) }),
      );
    } catch (err) {
      if (err instanceof CcxtVenueError && err.kind === 'order_not_found') return undefined;
      throw err;
    }
  }

  // A triggered conditional order executes as a regular order; its fills are read there when the algo answer lacks them.
  private async withExecution(order: Order, symbol: SymbolId): Promise<Order> {
    const info = (order.info ?? {}) as Record<string, unknown>;
    const actual = typeof info.actualOrderId === 'string' ? info.actualOrderId : undefined;
    if (actual === undefined || actual === '' || info.executedQty !== undefined) return order;
    try {
      const exec = await this.caller.call(`fetchOrder ${actual} ${symbol}`, () => this.exchange.fetchOrder(actual, symbol));
      return { ...order, filled: exec.filled, average: exec.average };
    } catch {
      return order;
    }
  }
}
