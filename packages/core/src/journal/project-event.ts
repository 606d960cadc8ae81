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
 * checks an append without building rows (the `MemoryJournal`) calls this and checks the row keys itself.
 *
 * @example
 * ```ts
 * validateEvent({ id: 'OrderCanceled:qt-1', type: 'OrderCanceled', ts: Number.NaN, clientOrderId: coid, symbol, reason: 'user' });
 * // throws: journal refused event "OrderCanceled:qt-1" (OrderCanceled): field "ts" must be a finite number, got NaN; …
 * ```
 */
export function validateEvent(event: DomainEvent): void {
  // Each check is a small predicate on the value (inlined by the JIT: a number is checked where it is read, not boxed
  // to be passed on) and, only when it fails, the error built by refusal() from the field's path.
  if (typeof event !== 'object' || event === null) {
    throw journalEventError({ id: String(event), type: 'unknown' }, 'event', 'is not an object');
  }
  if (!text(event.id)) throw refusal(event, 'id', TEXT);
  if (!text(event.type)) throw refusal(event, 'type', TEXT);
  if (!Number.isFinite(event.ts)) throw refusal(event, 'ts', FINITE);
  switch (event.type) {
    case 'OrderSubmitting': {
      const o = event.order;
      if (typeof o !== 'object' || o === null) throw journalEventError(event, 'order', 'is missing');
      if (!text(o.clientOrderId)) throw refusal(event, 'order.clientOrderId', TEXT);
      if (!text(o.symbol)) throw refusal(event, 'order.symbol', TEXT);
      if (!positive(o.qty)) throw refusal(event, 'order.qty', POSITIVE);
      if (!optionalFinite(o.price)) throw refusal(event, 'order.price', FINITE);
      if (!optionalFinite(o.stopPrice)) throw refusal(event, 'order.stopPrice', FINITE);
      if (!optionalFinite(o.leverage)) throw refusal(event, 'order.leverage', FINITE);
      return;
    }
    case 'OrderAccepted':
      if (!text(event.clientOrderId)) throw refusal(event, 'clientOrderId', TEXT);
      if (!text(event.venueOrderId)) throw refusal(event, 'venueOrderId', TEXT);
      return;
    case 'OrderRejected':
    case 'OrderCanceled':
      if (!text(event.clientOrderId)) throw refusal(event, 'clientOrderId', TEXT);
      return;
    case 'OrderFilled':
      if (!text(event.clientOrderId)) throw refusal(event, 'clientOrderId', TEXT);
      if (!text(event.venueOrderId)) throw refusal(event, 'venueOrderId', TEXT);
      if (!(Number.isInteger(event.fillSeq) && event.fillSeq >= 1)) throw refusal(event, 'fillSeq', SEQ);
      if (!positive(event.qty)) throw refusal(event, 'qty', POSITIVE);
      if (!positive(event.price)) throw refusal(event, 'price', POSITIVE);
      if (!Number.isFinite(event.fee)) throw refusal(event, 'fee', FINITE);
      if (!nonNegative(event.remainingQty)) throw refusal(event, 'remainingQty', NON_NEGATIVE);
      return;
    case 'PositionOpened':
      if (!text(event.positionId)) throw refusal(event, 'positionId', TEXT);
      if (!positive(event.qty)) throw refusal(event, 'qty', POSITIVE);
      if (!Number.isFinite(event.entryPrice)) throw refusal(event, 'entryPrice', FINITE);
      if (!Number.isFinite(event.leverage)) throw refusal(event, 'leverage', FINITE);
      return;
    case 'PositionChanged':
      if (!text(event.positionId)) throw refusal(event, 'positionId', TEXT);
      if (!nonNegative(event.qty)) throw refusal(event, 'qty', NON_NEGATIVE);
      if (!Number.isFinite(event.entryPrice)) throw refusal(event, 'entryPrice', FINITE);
      if (!Number.isFinite(event.realizedPnl)) throw refusal(event, 'realizedPnl', FINITE);
      return;
    case 'PositionClosed':
      if (!text(event.positionId)) throw refusal(event, 'positionId', TEXT);
      if (!nonNegative(event.qty)) throw refusal(event, 'qty', NON_NEGATIVE);
      if (!Number.isFinite(event.entryPrice)) throw refusal(event, 'entryPrice', FINITE);
      if (!Number.isFinite(event.exitPrice)) throw refusal(event, 'exitPrice', FINITE);
      if (!Number.isFinite(event.openedAt)) throw refusal(event, 'openedAt', FINITE);
      if (!Number.isFinite(event.realizedPnl)) throw refusal(event, 'realizedPnl', FINITE);
      if (!Number.isFinite(event.fees)) throw refusal(event, 'fees', FINITE);
      return;
    case 'ExitPlanCreated':
      if (!text(event.planId)) throw refusal(event, 'planId', TEXT);
      if (!text(event.positionId)) throw refusal(event, 'positionId', TEXT);
      if (!Number.isFinite(event.entryPrice)) throw refusal(event, 'entryPrice', FINITE);
      if (!Number.isFinite(event.volatility)) throw refusal(event, 'volatility', FINITE);
      if (!Array.isArray(event.legs)) throw journalEventError(event, 'legs', 'must be an array');
      return;
    case 'ExitPlanCompleted':
      if (!text(event.planId)) throw refusal(event, 'planId', TEXT);
      return;
    case 'PortfolioSnapshotTaken':
      if (!Number.isFinite(event.equity)) throw refusal(event, 'equity', FINITE);
      if (!Number.isFinite(event.balance)) throw refusal(event, 'balance', FINITE);
      if (!Number.isFinite(event.unrealizedPnl)) throw refusal(event, 'unrealizedPnl', FINITE);
      if (!Number.isFinite(event.realizedPnl)) throw refusal(event, 'realizedPnl', FINITE);
      if (!Number.isFinite(event.openPositions)) throw refusal(event, 'openPositions', FINITE);
      if (!Number.isFinite(event.drawdown)) throw refusal(event, 'drawdown', FINITE);
      return;
    case 'FundingPaid':
      if (!text(event.symbol)) throw refusal(event, 'symbol', TEXT);
      if (!Number.isFinite(event.rate)) throw refusal(event, 'rate', FINITE);
      if (!Number.isFinite(event.markPrice)) throw refusal(event, 'markPrice', FINITE);
      if (!Number.isFinite(event.positionQty)) throw refusal(event, 'positionQty', FINITE);
      if (!Number.isFinite(event.amount)) throw refusal(event, 'amount', FINITE);
      return;
    default:
      return;
  }
}

/** What a field must be, as {@link refusal} words it (after "must be "). */
const TEXT = 'a non-empty string';
const FINITE = 'a finite number';
const POSITIVE = 'a finite number > 0';
const NON_NEGATIVE = 'a finite number ≥ 0';
const SEQ = 'an integer ≥ 1';

/** The error for the field at `path` (dot-separated, read from `event`) that is not `expected`, naming its value. */
function refusal(event: DomainEvent, path: string, expected: string): Error {
  let value: unknown = event;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
  const shown = expected === TEXT ? (JSON.stringify(value) ?? 'undefined') : String(value);
  return journalEventError(event, path, `must be ${expected}, got ${shown}`);
}

function text(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function positive(value: unknown): boolean {
  return Number.isFinite(value) && (value as number) > 0;
}

function nonNegative(value: unknown): boolean {
  return Number.isFinite(value) && (value as number) >= 0;
}

function optionalFinite(value: unknown): boolean {
  return value === undefined || value === null || Number.isFinite(value);
}
