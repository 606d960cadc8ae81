import type { ClientOrderId, SymbolId, UnixMillis } from '../model/ids.js';
import type { SubmitOrder } from '../model/orders.js';
import type { SubmitResult } from './broker.js';
import type { MaybePromise } from './maybe-promise.js';

/**
 * The one path by which an engine component sends orders: it journals `OrderSubmitting` first, then sends to
 * the broker with the deterministic client order id, then journals the venue's answer. An order whose client
 * order id is already journalled is not sent again (its recorded outcome is returned instead).
 * The execution engine implements it; the Exit Brain and user plugins receive it.
 *
 * @example
 * ```ts
 * await gateway.submit({ clientOrderId: clientOrderIdOf(planId, 'tp1'), symbol, side: 'sell', type: 'limit',
 *   qty: 0.003, price: 51_000, reduceOnly: true }, scheduler.now());
 * ```
 */
export interface OrderGateway {
  submit(order: SubmitOrder, ts: UnixMillis): MaybePromise<SubmitResult>;
  cancel(clientOrderId: ClientOrderId, symbol: SymbolId, reason: string, ts: UnixMillis): MaybePromise<void>;
}
