import {
  roundToDecimals,
  eventIdOf,
  thenMaybe,
  type Broker,
  type ClientOrderId,
  type DomainEvent,
  type MaybePromise,
  type OrderRow,
  type SubmitOrder,
  type SymbolId,
  type UnixMillis,
} from '@quantum-trader/core';
import { eachInOrder } from './maybe-steps.js';

/**
 * The venue calls the Exit Brain makes itself, to check a re-armed plan against the venue's open orders after a
 * restart: typed only by those three methods, so any {@link Broker} (the simulated exchange, the ccxt adapter) fits.
 *
 * @example
 * ```ts
 * const exits = (ctx: ExitManagerContext) => new ExitBrain(ctx, { venue: exchange, store: journal });
 * ```
 */
export type ExitVenue = Pick<Broker, 'openOrders' | 'getOrder' | 'submit'>;

const WORKING: ReadonlySet<OrderRow['status']> = new Set(['open', 'partially_filled']);

/**
 * Re-places, with the same client order id, every leg the journal believes is working but the venue has never
 * heard of (not among its open orders, and unknown to `getOrder`). A leg the venue does know — filled or canceled
 * while the process was down — is left to the execution engine's recovery, which journals what happened.
 * Journal first: `ReconciliationPerformed` is recorded before each re-placement; a refused re-placement is recorded
 * as `OrderCanceled` so the plan sees the leg is gone. Internal (not re-exported).
 */
export function replaceMissingLegs(
  venue: ExitVenue,
  record: (events: readonly DomainEvent[]) => MaybePromise<void>,
  symbol: SymbolId,
  legs: readonly ClientOrderId[],
  rows: ReadonlyMap<ClientOrderId, OrderRow>,
  now: UnixMillis,
): MaybePromise<void> {
  const candidates = legs.filter((c) => {
    const row = rows.get(c);
    return row !== undefined && WORKING.has(row.status);
  });
  if (candidates.length === 0) return undefined;
  return thenMaybe(venue.openOrders(symbol), (open) => {
    const atVenue = new Set(open.map((o) => o.clientOrderId));
    const missing = candidates.filter((c) => !atVenue.has(c));
    return eachInOrder(missing, (coid) =>
      thenMaybe(venue.getOrder(coid, symbol), (known) => {
        if (known !== undefined) return undefined;
        const row = rows.get(coid)!;
        const order = orderOf(row);
        const before: DomainEvent = {
          id: eventIdOf('ReconciliationPerformed', coid, 'missing', now),
          type: 'ReconciliationPerformed',
          ts: now,
          subject: `order ${coid} (${row.leg ?? 'leg'} of ${row.positionId ?? 'position'})`,
          journal: row.status,
          venue: 'unknown at venue',
          action: `re-placing ${order.qty} with the same client order id`,
        };
        return thenMaybe(record([before]), () =>
          thenMaybe(venue.submit(order), (res) => {
            if (res.status === 'accepted') return undefined;
            return record([
              {
                id: eventIdOf('OrderCanceled', coid, 'replace-refused', now),
                type: 'OrderCanceled',
                ts: now,
                clientOrderId: coid,
                symbol,
                reason: `missing at the venue after a restart and re-placing it was refused: ${res.code} ${res.reason}`,
              },
            ]);
          }),
        );
      }),
    );
  });
}

/** The order a journal row describes, for what is still unfilled. */
function orderOf(row: OrderRow): SubmitOrder {
  return {
    clientOrderId: row.clientOrderId,
    symbol: row.symbol,
    side: row.side,
    type: row.type,
    qty: roundToDecimals(row.qty - row.filledQty, 12),
    reduceOnly: row.reduceOnly,
    ...(row.price !== null ? { price: row.price } : {}),
    ...(row.stopPrice !== null ? { stopPrice: row.stopPrice } : {}),
    ...(row.leverage !== null ? { leverage: row.leverage } : {}),
    ...(row.positionId !== null ? { positionId: row.positionId } : {}),
    ...(row.leg !== null ? { leg: row.leg } : {}),
  };
}
