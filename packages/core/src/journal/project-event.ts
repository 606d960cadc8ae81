import type { DomainEvent } from '../model/events.js';
import type { OrderStatus } from '../model/orders.js';
import { journalEventError } from './journal-error.js';
import type { ProjectionWrite } from './projection-write.js';

/** Statuses from which an order may still move forward; terminal statuses never change again. */
const ORDER_LIVE: readonly OrderStatus[] = ['submitting', 'open', 'partially_filled'];
const ORDER_UNFILLED: readonly OrderStatus[] = ['submitting', 'open'];
const ORDER_SUBMITTING: readonly OrderStatus[] = ['submitting'];
const NO_WRITES: readonly ProjectionWrite[] = [];
// The guarded status changes that do not depend on the event, made once (every write is read-only to its journal).
const BECOMES_OPEN = Object.freeze({ statusIn: ORDER_SUBMITTING, set: Object.freeze({ status: 'open' as const }) });
const BECOMES_FILLED = Object.freeze({ statusIn: ORDER_LIVE, set: Object.freeze({ status: 'filled' as const }) });
const BECOMES_PARTIALLY_FILLED = Object.freeze({ statusIn: ORDER_LIVE, set: Object.freeze({ status: 'partially_filled' as const }) });

/**
 * Maps one {@link DomainEvent} to the projection writes it causes — the one projection every journal
 * implementation shares. Pure: it reads nothing but the event, so SQL can apply the result without a read.
 * It also validates the event and throws `JOURNAL_FAILED` (naming the event id and field) for anything a
 * projection cannot store, e.g. a non-finite quantity. Events of types with no projection yield no writes.
 *
 * - `OrderSubmitting` inserts the order (`submitting`); `OrderAccepted` / `OrderRejected` / `OrderCanceled` patch it;
 * - `OrderFilled` increments the order's filled quantity, notional and fees and inserts the fill;
 * - `PositionOpened` inserts, `PositionChanged` patches, `PositionClosed` closes the position and inserts the trade;
 * - `ExitPlanCreated` inserts, `ExitPlanCompleted` patches the plan; `PortfolioSnapshotTaken` inserts a snapshot.
 *
 * Status changes are guarded: a late `OrderAccepted` never turns a filled order back into `open`.
 *
 * @param seq the journal sequence number the event gets; stored on rows the event creates, to order them.
 * @example
 * ```ts
 * const writes = projectEvent(
 *   { id: 'OrderCanceled:qt-1', type: 'OrderCanceled', ts, clientOrderId: coid, symbol, reason: 'user' },
 *   12,
 * );
 * // [{ op: 'patch', table: 'orders', key: coid, set: { updatedAt: ts },
 * //    guarded: { statusIn: ['submitting', 'open', 'partially_filled'],
 * //               set: { status: 'canceled', statusReason: 'user' } } }]
 * ```
 */
export function projectEvent(event: DomainEvent, seq: number): readonly ProjectionWrite[] {
  validateEvent(event);
  const ts = event.ts;
  switch (event.type) {
    case 'OrderSubmitting': {
      const o = event.order;
      return [
        {
          op: 'insert',
          table: 'orders',
          row: {
            clientOrderId: o.clientOrderId,
            venueOrderId: null,
            symbol: o.symbol,
            side: o.side,
            type: o.type,
            qty: o.qty,
            price: o.price ?? null,
            stopPrice: o.stopPrice ?? null,
            reduceOnly: o.reduceOnly === true,
            leverage: o.leverage ?? null,
            status: 'submitting',
            filledQty: 0,
            filledNotional: 0,
            fees: 0,
            intentId: o.intentId ?? null,
            positionId: o.positionId ?? null,
            leg: o.leg ?? null,
            statusReason: null,
            createdAt: ts,
            updatedAt: ts,
            seq,
          },
        },
      ];
    }
    case 'OrderAccepted':
      return [
        {
          op: 'patch',
          table: 'orders',
          key: event.clientOrderId,
          set: { venueOrderId: event.venueOrderId, updatedAt: ts },
          guarded: BECOMES_OPEN,
        },
      ];
    case 'OrderRejected':
      return [
        {
          op: 'patch',
          table: 'orders',
          key: event.clientOrderId,
          set: { updatedAt: ts },
          guarded: {
            statusIn: ORDER_UNFILLED,
            set: { status: 'rejected', statusReason: `${event.code}: ${event.reason}` },
          },
        },
      ];
    case 'OrderCanceled':
      return [
        {
          op: 'patch',
          table: 'orders',
          key: event.clientOrderId,
          set: { updatedAt: ts },
          guarded: { statusIn: ORDER_LIVE, set: { status: 'canceled', statusReason: event.reason } },
        },
      ];
    case 'OrderFilled':
      return [
        {
          op: 'patch',
          table: 'orders',
          key: event.clientOrderId,
          set: { venueOrderId: event.venueOrderId, updatedAt: ts },
          inc: { filledQty: event.qty, filledNotional: event.qty * event.price, fees: event.fee },
          guarded: event.remainingQty > 0 ? BECOMES_PARTIALLY_FILLED : BECOMES_FILLED,
        },
        {
          op: 'insert',
          table: 'fills',
          row: {
            clientOrderId: event.clientOrderId,
            fillSeq: event.fillSeq,
            symbol: event.symbol,
            side: event.side,
            qty: event.qty,
            price: event.price,
            fee: event.fee,
            liquidity: event.liquidity,
            ts,
            seq,
          },
        },
      ];
    case 'PositionOpened':
      return [
        {
          op: 'insert',
          table: 'positions',
          row: {
            positionId: event.positionId,
            symbol: event.symbol,
            side: event.side,
            status: 'open',
            qty: event.qty,
            maxQty: event.qty,
            entryPrice: event.entryPrice,
            leverage: event.leverage,
            realizedPnl: 0,
            fees: 0,
            exitPrice: null,
            exitReason: null,
            strategyId: event.strategyId ?? null,
            intentId: event.intentId ?? null,
            openedAt: ts,
            closedAt: null,
            seq,
          },
        },
      ];
    case 'PositionChanged':
      return [
        {
          op: 'patch',
          table: 'positions',
          key: event.positionId,
          set: { qty: event.qty, entryPrice: event.entryPrice, realizedPnl: event.realizedPnl },
          max: { maxQty: event.qty },
        },
      ];
    case 'PositionClosed':
      return [
        {
          op: 'patch',
          table: 'positions',
          key: event.positionId,
          set: {
            status: 'closed',
            qty: 0,
            maxQty: event.qty,
            entryPrice: event.entryPrice,
            exitPrice: event.exitPrice,
            exitReason: event.exitReason,
            realizedPnl: event.realizedPnl,
            fees: event.fees,
            closedAt: ts,
          },
        },
        {
          op: 'insert',
          table: 'trades',
          row: {
            positionId: event.positionId,
            symbol: event.symbol,
            side: event.side,
            qty: event.qty,
            entryPrice: event.entryPrice,
            exitPrice: event.exitPrice,
            realizedPnl: event.realizedPnl,
            fees: event.fees,
            exitReason: event.exitReason,
            openedAt: event.openedAt,
            closedAt: ts,
            seq,
          },
        },
      ];
    case 'ExitPlanCreated':
      return [
        {
          op: 'insert',
          table: 'exitPlans',
          row: {
            planId: event.planId,
            positionId: event.positionId,
            symbol: event.symbol,
            side: event.side,
            profile: event.profile,
            status: 'active',
            entryPrice: event.entryPrice,
            volatility: event.volatility,
            legs: event.legs,
            createdAt: ts,
            completedAt: null,
            completedReason: null,
            seq,
          },
        },
      ];
    case 'ExitPlanCompleted':
      return [
        {
          op: 'patch',
          table: 'exitPlans',
          key: event.planId,
          set: { status: 'completed', completedAt: ts, completedReason: event.reason },
        },
      ];
    case 'PortfolioSnapshotTaken':
      return [
        {
          op: 'insert',
          table: 'snapshots',
          row: {
            ts,
            equity: event.equity,
            balance: event.balance,
            unrealizedPnl: event.unrealizedPnl,
            realizedPnl: event.realizedPnl,
            openPositions: event.openPositions,
            drawdown: event.drawdown,
            seq,
          },
        },
      ];
    case 'FundingPaid':
      return NO_WRITES; // in the event log only: the portfolio sums it on restore
    default:
      return NO_WRITES;
  }
}

/**
 * Checks that an event can be journalled: its envelope (id, type, ts) and the fields its projection stores. Throws
 * `JOURNAL_FAILED` naming the event id and the field, as {@link projectEvent} does (which calls it). A journal that
 * checks an append without building rows calls this and {@link ProjectionKeys}.
 *
 * @example
 * ```ts
 * validateEvent({ id: 'OrderCanceled:qt-1', type: 'OrderCanceled', ts: Number.NaN, clientOrderId: coid, symbol, reason: 'user' });
 * // throws: journal refused event "OrderCanceled:qt-1" (OrderCanceled): field "ts" must be a finite number, got NaN; …
 * ```
 */
export function validateEvent(event: DomainEvent): void {
  checkEnvelope(event);
  switch (event.type) {
    case 'OrderSubmitting': {
      const o = event.order;
      if (typeof o !== 'object' || o === null) throw journalEventError(event, 'order', 'is missing');
      text(event, 'order.clientOrderId', o.clientOrderId);
      text(event, 'order.symbol', o.symbol);
      positive(event, 'order.qty', o.qty);
      optionalFinite(event, 'order.price', o.price);
      optionalFinite(event, 'order.stopPrice', o.stopPrice);
      optionalFinite(event, 'order.leverage', o.leverage);
      return;
    }
    case 'OrderAccepted':
      text(event, 'clientOrderId', event.clientOrderId);
      text(event, 'venueOrderId', event.venueOrderId);
      return;
    case 'OrderRejected':
      text(event, 'clientOrderId', event.clientOrderId);
      return;
    case 'OrderCanceled':
      text(event, 'clientOrderId', event.clientOrderId);
      return;
    case 'OrderFilled': {
      text(event, 'clientOrderId', event.clientOrderId);
      text(event, 'venueOrderId', event.venueOrderId);
      if (!Number.isInteger(event.fillSeq) || event.fillSeq < 1) {
        throw journalEventError(event, 'fillSeq', `must be an integer ≥ 1, got ${String(event.fillSeq)}`);
      }
      positive(event, 'qty', event.qty);
      positive(event, 'price', event.price);
      finite(event, 'fee', event.fee);
      if (!(Number.isFinite(event.remainingQty) && event.remainingQty >= 0)) {
        throw journalEventError(event, 'remainingQty', `must be a finite number ≥ 0, got ${String(event.remainingQty)}`);
      }
      return;
    }
    case 'PositionOpened':
      text(event, 'positionId', event.positionId);
      positive(event, 'qty', event.qty);
      finite(event, 'entryPrice', event.entryPrice);
      finite(event, 'leverage', event.leverage);
      return;
    case 'PositionChanged':
      text(event, 'positionId', event.positionId);
      nonNegative(event, 'qty', event.qty);
      finite(event, 'entryPrice', event.entryPrice);
      finite(event, 'realizedPnl', event.realizedPnl);
      return;
    case 'PositionClosed':
      text(event, 'positionId', event.positionId);
      nonNegative(event, 'qty', event.qty);
      finite(event, 'entryPrice', event.entryPrice);
      finite(event, 'exitPrice', event.exitPrice);
      finite(event, 'openedAt', event.openedAt);
      finite(event, 'realizedPnl', event.realizedPnl);
      finite(event, 'fees', event.fees);
      return;
    case 'ExitPlanCreated':
      text(event, 'planId', event.planId);
      text(event, 'positionId', event.positionId);
      finite(event, 'entryPrice', event.entryPrice);
      finite(event, 'volatility', event.volatility);
      if (!Array.isArray(event.legs)) throw journalEventError(event, 'legs', 'must be an array');
      return;
    case 'ExitPlanCompleted':
      text(event, 'planId', event.planId);
      return;
    case 'PortfolioSnapshotTaken':
      finite(event, 'equity', event.equity);
      finite(event, 'balance', event.balance);
      finite(event, 'unrealizedPnl', event.unrealizedPnl);
      finite(event, 'realizedPnl', event.realizedPnl);
      finite(event, 'openPositions', event.openPositions);
      finite(event, 'drawdown', event.drawdown);
      return;
    case 'FundingPaid':
      text(event, 'symbol', event.symbol);
      finite(event, 'rate', event.rate);
      finite(event, 'markPrice', event.markPrice);
      finite(event, 'positionQty', event.positionQty);
      finite(event, 'amount', event.amount);
      return;
    default:
      return;
  }
}

function checkEnvelope(event: DomainEvent): void {
  if (typeof event !== 'object' || event === null) {
    throw journalEventError({ id: String(event), type: 'unknown' }, 'event', 'is not an object');
  }
  text(event, 'id', event.id);
  text(event, 'type', event.type);
  finite(event, 'ts', event.ts);
}

function text(event: DomainEvent, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw journalEventError(event, field, `must be a non-empty string, got ${JSON.stringify(value) ?? 'undefined'}`);
  }
}

function finite(event: DomainEvent, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw journalEventError(event, field, `must be a finite number, got ${String(value)}`);
  }
}

function positive(event: DomainEvent, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw journalEventError(event, field, `must be a finite number > 0, got ${String(value)}`);
  }
}

function nonNegative(event: DomainEvent, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw journalEventError(event, field, `must be a finite number ≥ 0, got ${String(value)}`);
  }
}

function optionalFinite(event: DomainEvent, field: string, value: unknown): void {
  if (value !== undefined && value !== null) finite(event, field, value);
}
