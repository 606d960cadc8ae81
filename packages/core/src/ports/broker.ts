import type { Observable } from 'rxjs';
import type { BrokerEvent } from '../model/events.js';
import type { ClientOrderId, SymbolId, UnixMillis } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { Balance, FundingPayment, SubmitOrder, VenueOrder, VenuePosition } from '../model/orders.js';
import type { MaybePromise } from './maybe-promise.js';

/**
 * The venue's immediate answer to a submission. Fills arrive later on {@link Broker.events$}.
 */
export type SubmitResult =
  | { readonly status: 'accepted'; readonly order: VenueOrder }
  | { readonly status: 'rejected'; readonly code: string; readonly reason: string };

/**
 * The Broker port: where orders go. Implemented by `SimulatedExchange` (paper and backtest) and by the ccxt
 * adapter (testnet and mainnet). A submission with a client order id the venue already knows must not create a
 * second order: it returns the existing one (or a rejection with code `DUPLICATE_CLIENT_ORDER_ID`).
 *
 * @example
 * ```ts
 * broker.events$.subscribe((e) => journal.append([e]));
 * const res = await broker.submit({ clientOrderId, symbol, side: 'buy', type: 'market', qty: 0.01, reduceOnly: false });
 * ```
 */
export interface Broker {
  /**
   * Fills and cancellations reported by the venue. The answer to a submission (accepted / rejected) is the return
   * value of {@link Broker.submit}, which the execution engine journals itself; a venue that also streams it may
   * emit it here with the same deterministic event id, and the journal skips the duplicate.
   */
  readonly events$: Observable<BrokerEvent>;
  /**
   * Funding payments the venue settles on perpetual positions, if it reports them (the simulated exchange with a
   * funding-rate series does). The kernel journals each as a `FundingPaid` event and books it in the portfolio.
   */
  readonly funding$?: Observable<FundingPayment>;
  /**
   * Asks a venue that reports funding from its own history (the ccxt broker) to report on {@link Broker.funding$}
   * every payment from `ts` on, including those settled while no process was running; resolves once they have been
   * read. The kernel calls it at start with the time after the last journalled payment.
   */
  fundingSince?(ts: UnixMillis): MaybePromise<void>;
  /** Markets this venue trades, with their rules. */
  instruments(): MaybePromise<readonly Instrument[]>;
  /** Sends an order. */
  submit(order: SubmitOrder): MaybePromise<SubmitResult>;
  /** Cancels an open order; a no-op if it is already done. */
  cancel(clientOrderId: ClientOrderId, symbol: SymbolId): MaybePromise<void>;
  /** Looks an order up by its client order id (recovery after a crash). */
  getOrder(clientOrderId: ClientOrderId, symbol: SymbolId): MaybePromise<VenueOrder | undefined>;
  /** Orders still working at the venue. */
  openOrders(symbol?: SymbolId): MaybePromise<readonly VenueOrder[]>;
  /** Open positions at the venue. */
  positions(): MaybePromise<readonly VenuePosition[]>;
  /** Balances at the venue. */
  balances(): MaybePromise<readonly Balance[]>;
}
