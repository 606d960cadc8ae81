import type {
  ClientOrderId,
  IntentId,
  ModelVersion,
  PlanId,
  PositionId,
  StrategyId,
  SymbolId,
  UnixMillis,
  VenueOrderId,
} from './ids.js';
import type { OrderSide, OrderType, PositionSide, SubmitOrder, TradeIntent } from './orders.js';

/** Fields every event carries: a deterministic `id`, its `type` and its event time `ts`. */
export interface EventBase<T extends string> {
  readonly id: string;
  readonly type: T;
  readonly ts: UnixMillis;
}

/** A strategy saw a setup. */
export interface SignalGenerated extends EventBase<'SignalGenerated'> {
  readonly strategyId: StrategyId;
  readonly symbol: SymbolId;
  readonly direction: PositionSide;
  /** Open time of the candle the signal was computed on. */
  readonly candleTs: UnixMillis;
  /** Last close the signal saw. */
  readonly price: number;
  /** Strategy-specific strength, e.g. the 24 h momentum as a fraction. */
  readonly strength: number;
  /** Volatility measure at signal time (fraction), if the strategy computed one. */
  readonly volatility?: number;
  readonly reason: string;
}

/** Risk approved a signal: a trade intent is published on the intent queue. */
export interface IntentCreated extends EventBase<'IntentCreated'> {
  readonly intent: TradeIntent;
}

/** Risk refused a signal; `rule` names the rule and `reason` says why in words. */
export interface OrderDenied extends EventBase<'OrderDenied'> {
  readonly intentId: IntentId;
  readonly strategyId: StrategyId;
  readonly symbol: SymbolId;
  readonly side: OrderSide;
  readonly rule: string;
  readonly reason: string;
}

/** Journalled *before* an order is sent, so a crash between this and the venue's answer is recoverable. */
export interface OrderSubmitting extends EventBase<'OrderSubmitting'> {
  readonly order: SubmitOrder;
}

/** The venue accepted the order. */
export interface OrderAccepted extends EventBase<'OrderAccepted'> {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly symbol: SymbolId;
}

/** The venue rejected the order; `code` is the venue's code (e.g. `-2010`, `MIN_NOTIONAL`). */
export interface OrderRejected extends EventBase<'OrderRejected'> {
  readonly clientOrderId: ClientOrderId;
  readonly symbol: SymbolId;
  readonly code: string;
  readonly reason: string;
}

/** (Part of) an order filled. */
export interface OrderFilled extends EventBase<'OrderFilled'> {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly symbol: SymbolId;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  /** Sequence number of this fill within the order, from 1. */
  readonly fillSeq: number;
  readonly qty: number;
  readonly price: number;
  /** Fee paid, in `feeCurrency` (the quote currency). */
  readonly fee: number;
  readonly feeCurrency: string;
  readonly liquidity: 'maker' | 'taker';
  /** Quantity of the order still open after this fill. */
  readonly remainingQty: number;
  readonly reduceOnly: boolean;
  /** True when this fill is a forced liquidation. */
  readonly liquidation?: boolean;
}

/** The order was canceled (by us, by the venue, or because a reduce-only order had nothing left to reduce). */
export interface OrderCanceled extends EventBase<'OrderCanceled'> {
  readonly clientOrderId: ClientOrderId;
  readonly symbol: SymbolId;
  readonly reason: string;
}

/** A position opened. */
export interface PositionOpened extends EventBase<'PositionOpened'> {
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly qty: number;
  readonly entryPrice: number;
  readonly leverage: number;
  readonly strategyId?: StrategyId;
  readonly intentId?: IntentId;
}

/** A position's size changed (partial close or add) without going flat. */
export interface PositionChanged extends EventBase<'PositionChanged'> {
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly qty: number;
  readonly entryPrice: number;
  /** Realized PnL of the position so far, net of fees. */
  readonly realizedPnl: number;
}

/** A position went flat: one closed trade. */
export interface PositionClosed extends EventBase<'PositionClosed'> {
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly entryPrice: number;
  /** Quantity-weighted average exit price. */
  readonly exitPrice: number;
  /** Largest size the position reached. */
  readonly qty: number;
  readonly openedAt: UnixMillis;
  /** Realized PnL net of all fees (entry and exit). */
  readonly realizedPnl: number;
  readonly fees: number;
  /** The leg that closed the position: `tp3`, `sl`, `liquidation`, … */
  readonly exitReason: string;
}

/** One leg of an exit plan. */
export interface ExitLeg {
  readonly leg: string;
  readonly kind: 'take_profit' | 'stop_loss';
  readonly clientOrderId: ClientOrderId;
  readonly price: number;
  readonly qty: number;
  /** Fraction of the position this leg closes (stop loss: 1 = all that remains). */
  readonly fraction: number;
}

/** The Exit Brain created a plan for a new position. */
export interface ExitPlanCreated extends EventBase<'ExitPlanCreated'> {
  readonly planId: PlanId;
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  /** Profile name, e.g. `STANDARD_LADDER` or `DYNAMIC_ETHUSDT_1.0x`. */
  readonly profile: string;
  readonly entryPrice: number;
  readonly volatility: number;
  readonly legs: readonly ExitLeg[];
}

/** A plan ended: its position is flat and every remaining leg is canceled. */
export interface ExitPlanCompleted extends EventBase<'ExitPlanCompleted'> {
  readonly planId: PlanId;
  readonly positionId: PositionId;
  readonly reason: string;
}

/** Periodic portfolio valuation (the Portfolio Intelligence sync). */
export interface PortfolioSnapshotTaken extends EventBase<'PortfolioSnapshotTaken'> {
  readonly equity: number;
  readonly balance: number;
  readonly unrealizedPnl: number;
  readonly realizedPnl: number;
  readonly openPositions: number;
  readonly drawdown: number;
}

/**
 * A funding payment on a perpetual position, settled by the venue at a funding time (`ts`): `amount` in the quote
 * currency, negative when paid, `−positionQty × markPrice × rate` with `positionQty` signed (> 0 long). It moves the
 * balance, not a trade's PnL.
 */
export interface FundingPaid extends EventBase<'FundingPaid'> {
  readonly symbol: SymbolId;
  readonly rate: number;
  readonly markPrice: number;
  readonly positionQty: number;
  readonly amount: number;
}

/** A difference between the journal and the venue found at start-up, and what was done about it. */
export interface ReconciliationPerformed extends EventBase<'ReconciliationPerformed'> {
  readonly subject: string;
  readonly journal: string;
  readonly venue: string;
  readonly action: string;
}

/** A new model became the champion (CLM). */
export interface ModelPromoted extends EventBase<'ModelPromoted'> {
  readonly version: ModelVersion;
  readonly metric: string;
  readonly value: number;
}

/**
 * Every event the journal stores. A discriminated union on `type`.
 *
 * @example
 * ```ts
 * function describe(e: DomainEvent): string {
 *   return e.type === 'OrderFilled' ? `${e.qty} @ ${e.price}` : e.type;
 * }
 * ```
 */
export type DomainEvent =
  | SignalGenerated
  | IntentCreated
  | OrderDenied
  | OrderSubmitting
  | OrderAccepted
  | OrderRejected
  | OrderFilled
  | OrderCanceled
  | PositionOpened
  | PositionChanged
  | PositionClosed
  | ExitPlanCreated
  | ExitPlanCompleted
  | PortfolioSnapshotTaken
  | FundingPaid
  | ReconciliationPerformed
  | ModelPromoted;

/** The `type` of any {@link DomainEvent}. */
export type DomainEventType = DomainEvent['type'];

/** Events a broker reports about orders. */
export type BrokerEvent = OrderAccepted | OrderRejected | OrderFilled | OrderCanceled;

/** An event as stored: with the journal's sequence number (1, 2, 3 … in append order). */
export interface JournaledEvent {
  readonly seq: number;
  readonly event: DomainEvent;
}
