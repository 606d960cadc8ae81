import type { DomainEvent, DomainEventType, ExitLeg, JournaledEvent } from '../model/events.js';
import type {
  ClientOrderId,
  IntentId,
  PlanId,
  PositionId,
  StrategyId,
  SymbolId,
  UnixMillis,
  VenueOrderId,
} from '../model/ids.js';
import type { OrderSide, OrderStatus, OrderType, PositionSide } from '../model/orders.js';
import type { MaybePromise } from './maybe-promise.js';

/** Projection of one order, kept up to date from the order events. */
export interface OrderRow {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId | null;
  readonly symbol: SymbolId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly qty: number;
  readonly price: number | null;
  readonly stopPrice: number | null;
  readonly reduceOnly: boolean;
  readonly leverage: number | null;
  readonly status: OrderStatus;
  readonly filledQty: number;
  /** Quantity-weighted average fill price, 0 before the first fill. */
  readonly avgFillPrice: number;
  readonly fees: number;
  readonly intentId: IntentId | null;
  readonly positionId: PositionId | null;
  readonly leg: string | null;
  /** Venue code and reason when rejected / reason when canceled. */
  readonly statusReason: string | null;
  readonly createdAt: UnixMillis;
  readonly updatedAt: UnixMillis;
}

/** Projection of one fill. */
export interface FillRow {
  readonly clientOrderId: ClientOrderId;
  readonly fillSeq: number;
  readonly symbol: SymbolId;
  readonly side: OrderSide;
  readonly qty: number;
  readonly price: number;
  readonly fee: number;
  readonly liquidity: 'maker' | 'taker';
  readonly ts: UnixMillis;
}

/** Projection of one position, open or closed. */
export interface PositionRow {
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly status: 'open' | 'closed';
  /** Current size (0 once closed). */
  readonly qty: number;
  /** Largest size reached. */
  readonly maxQty: number;
  readonly entryPrice: number;
  readonly leverage: number;
  readonly realizedPnl: number;
  readonly fees: number;
  readonly exitPrice: number | null;
  readonly exitReason: string | null;
  readonly strategyId: StrategyId | null;
  readonly intentId: IntentId | null;
  readonly openedAt: UnixMillis;
  readonly closedAt: UnixMillis | null;
}

/** One closed trade (a position from open to flat). */
export interface TradeRow {
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly qty: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly realizedPnl: number;
  readonly fees: number;
  readonly exitReason: string;
  readonly openedAt: UnixMillis;
  readonly closedAt: UnixMillis;
}

/** Projection of one exit plan. */
export interface ExitPlanRow {
  readonly planId: PlanId;
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly profile: string;
  readonly status: 'active' | 'completed';
  readonly entryPrice: number;
  readonly volatility: number;
  readonly legs: readonly ExitLeg[];
  readonly createdAt: UnixMillis;
  readonly completedAt: UnixMillis | null;
  readonly completedReason: string | null;
}

/** One portfolio valuation. */
export interface PortfolioSnapshotRow {
  readonly ts: UnixMillis;
  readonly equity: number;
  readonly balance: number;
  readonly unrealizedPnl: number;
  readonly realizedPnl: number;
  readonly openPositions: number;
  readonly drawdown: number;
}

/** Filter for {@link Journal.events}. */
export interface EventQuery {
  /** Only events with `seq > afterSeq`. */
  readonly afterSeq?: number;
  readonly types?: readonly DomainEventType[];
  readonly limit?: number;
}

/** What {@link Journal.append} did. */
export interface AppendResult {
  /** Events stored now. */
  readonly appended: number;
  /** Events skipped because an event with the same id was already stored (idempotent re-append). */
  readonly duplicates: number;
}

/**
 * The Journal (storage port): an append-only log of {@link DomainEvent}s plus the projections derived from them
 * (orders, fills, positions, trades, exit plans, portfolio snapshots) and a small key-value state store.
 *
 * `append` stores the events *and* updates the projections in one transaction: either all of it is visible
 * afterwards or none of it. An event whose `id` is already stored is skipped, so re-appending after a crash is
 * safe. Implementations: `MemoryJournal` (core, tests and backtests), SQLite and PostgreSQL (`@quantum-trader/sql`).
 *
 * @example
 * ```ts
 * journal.append([{ id: 'OrderSubmitting:qt-1', type: 'OrderSubmitting', ts, order }]);
 * const pending = await journal.orders({ status: ['submitting'] });
 * ```
 */
export interface Journal {
  append(events: readonly DomainEvent[]): MaybePromise<AppendResult>;
  events(query?: EventQuery): MaybePromise<readonly JournaledEvent[]>;
  order(clientOrderId: ClientOrderId): MaybePromise<OrderRow | undefined>;
  orders(filter?: { readonly status?: readonly OrderStatus[]; readonly symbol?: SymbolId }): MaybePromise<readonly OrderRow[]>;
  fills(clientOrderId?: ClientOrderId): MaybePromise<readonly FillRow[]>;
  positions(filter?: { readonly status?: 'open' | 'closed' }): MaybePromise<readonly PositionRow[]>;
  trades(): MaybePromise<readonly TradeRow[]>;
  exitPlans(filter?: { readonly status?: 'active' | 'completed' }): MaybePromise<readonly ExitPlanRow[]>;
  snapshots(): MaybePromise<readonly PortfolioSnapshotRow[]>;
  /** Reads a persisted state value (configuration, portfolio state, learner state …). */
  getState(key: string): MaybePromise<string | undefined>;
  /** Writes a persisted state value. */
  setState(key: string, value: string): MaybePromise<void>;
  close(): MaybePromise<void>;
}
