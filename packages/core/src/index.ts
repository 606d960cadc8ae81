// Hand-curated public API of @quantum-trader/core. Anything not exported here is internal.

export type {
  Brand,
  UnixMillis,
  SymbolId,
  StrategyId,
  IntentId,
  ClientOrderId,
  VenueOrderId,
  PositionId,
  PlanId,
  ModelVersion,
} from './model/ids.js';
export {
  symbolId,
  strategyId,
  stableHash,
  intentIdOf,
  clientOrderIdOf,
  positionIdOf,
  eventIdOf,
} from './model/ids.js';
export type { Instrument, ContractType } from './model/instrument.js';
export { decimalsOf, floorToStep, roundToStep, roundOrderToInstrument } from './model/instrument.js';
export type { Candle, CandleColumns, Timeframe } from './model/candle.js';
export { allocCandleColumns, candleColumnsFrom, candleAt, TIMEFRAME_MS } from './model/candle.js';
export type {
  OrderSide,
  PositionSide,
  OrderType,
  OrderStatus,
  SubmitOrder,
  CancelOrder,
  VenueOrder,
  TradeIntent,
  Balance,
  VenuePosition,
} from './model/orders.js';
export type {
  EventBase,
  SignalGenerated,
  IntentCreated,
  OrderDenied,
  OrderSubmitting,
  OrderAccepted,
  OrderRejected,
  OrderFilled,
  OrderCanceled,
  PositionOpened,
  PositionChanged,
  PositionClosed,
  ExitLeg,
  ExitPlanCreated,
  ExitPlanCompleted,
  PortfolioSnapshotTaken,
  ReconciliationPerformed,
  ModelPromoted,
  DomainEvent,
  DomainEventType,
  BrokerEvent,
  JournaledEvent,
} from './model/events.js';

export type { MaybePromise } from './ports/maybe-promise.js';
export { fromMaybe, thenMaybe } from './ports/maybe-promise.js';
export type { Broker, SubmitResult } from './ports/broker.js';
export type { MarketData, CandleEvent } from './ports/market-data.js';
export type { IntentQueue, QueueDelivery } from './ports/intent-queue.js';
export type {
  Journal,
  OrderRow,
  FillRow,
  PositionRow,
  TradeRow,
  ExitPlanRow,
  PortfolioSnapshotRow,
  EventQuery,
  AppendResult,
} from './ports/journal.js';
export type { OrderGateway } from './ports/order-gateway.js';
export type { ExitManager, ExitManagerContext } from './ports/exit-manager.js';

export type { QuantumTraderErrorCode } from './errors/quantum-trader-error.js';
export { QuantumTraderError, isQuantumTraderError } from './errors/quantum-trader-error.js';

// --- sub-area barrels (each curated in its own folder) ---
