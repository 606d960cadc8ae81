import type { BrokerEvent, DomainEvent, FundingPaid, OrderSubmitting } from '../model/events.js';
import { eventIdOf, type ClientOrderId, type SymbolId } from '../model/ids.js';
import { isLiveOrderStatus, type FundingPayment } from '../model/orders.js';
import type { OrderRow } from '../ports/journal.js';
import type { KernelLogger, ServiceName } from './kernel-logger.js';

// Internal pieces of the kernel's event handling (not re-exported).

/**
 * A fill of an order the engine never sent — a forced liquidation — is journalled together with an
 * `OrderSubmitting` that records it as the venue's own reduce-only market order, so the journal's order
 * projection (and every reader of it) knows where the fill came from.
 *
 * @internal
 */
export function withVenueOrigin(e: BrokerEvent, execution: { status(coid: ClientOrderId): unknown }): readonly DomainEvent[] {
  if (e.type !== 'OrderFilled' || execution.status(e.clientOrderId) !== undefined) return [e];
  const origin: OrderSubmitting = {
    id: eventIdOf('OrderSubmitting', e.clientOrderId),
    type: 'OrderSubmitting',
    ts: e.ts,
    order: {
      clientOrderId: e.clientOrderId,
      symbol: e.symbol,
      side: e.side,
      type: 'market',
      qty: e.qty + e.remainingQty,
      reduceOnly: true,
      leg: e.liquidation === true ? 'liquidation' : 'venue',
    },
  };
  return [origin, e];
}

/** The journal's record of a funding payment. @internal */
export function fundingPaidOf(p: FundingPayment): FundingPaid {
  return {
    id: eventIdOf('FundingPaid', p.symbol, p.ts),
    type: 'FundingPaid',
    ts: p.ts,
    symbol: p.symbol,
    rate: p.rate,
    markPrice: p.markPrice,
    positionQty: p.positionQty,
    amount: p.amount,
  };
}

/**
 * Entries in flight: a symbol is pending from its entry order's `OrderSubmitting` until that order is filled,
 * rejected or canceled — the cycle does not evaluate it meanwhile, and the risk rules count it as exposure.
 *
 * @internal
 */
export class EntryTracker {
  readonly pending = new Set<SymbolId>();
  /** Entry orders that may still fill, reject or be canceled (finished ones are dropped). */
  private readonly orders = new Map<ClientOrderId, SymbolId>();

  /** After a restart: the journal's entry orders (their later events clear what is pending). */
  restore(orders: readonly OrderRow[]): void {
    for (const o of orders) if (o.leg === 'entry' && isLiveOrderStatus(o.status)) this.orders.set(o.clientOrderId, o.symbol);
  }

  track(e: DomainEvent): void {
    switch (e.type) {
      case 'OrderSubmitting':
        if (e.order.leg === 'entry') this.orders.set(e.order.clientOrderId, e.order.symbol);
        return;
      case 'OrderRejected':
      case 'OrderCanceled': {
        const s = this.orders.get(e.clientOrderId);
        if (s !== undefined) {
          this.pending.delete(s);
          this.orders.delete(e.clientOrderId);
        }
        return;
      }
      case 'OrderFilled': {
        const s = this.orders.get(e.clientOrderId);
        if (s !== undefined && e.remainingQty <= 0) {
          this.pending.delete(s);
          this.orders.delete(e.clientOrderId);
        }
        return;
      }
      default:
        return;
    }
  }
}

/** The kernel's log line for an event, by service (fills, rejections, closed positions, new exit plans). @internal */
export function logEvent(log: Record<ServiceName, KernelLogger>, e: DomainEvent): void {
  switch (e.type) {
    case 'OrderFilled':
      log.execution.info({ ts: e.ts, coid: e.clientOrderId, qty: e.qty, price: e.price }, `${e.side} ${e.symbol} filled`);
      return;
    case 'OrderRejected':
      log.execution.warn({ ts: e.ts, coid: e.clientOrderId, code: e.code }, `order rejected: ${e.reason}`);
      return;
    case 'PositionClosed':
      log.portfolio.info({ ts: e.ts, symbol: e.symbol, pnl: e.realizedPnl, reason: e.exitReason }, `position closed`);
      return;
    case 'ExitPlanCreated':
      log.exits.info({ ts: e.ts, symbol: e.symbol, profile: e.profile, legs: e.legs.length }, 'exit plan created');
      return;
    default:
      return;
  }
}
