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
export { decimalsOf, floorToStep, multipleOfStep, roundToDecimals, roundToStep, roundOrderToInstrument } from './model/instrument.js';
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
export { isLiveOrderStatus } from './model/orders.js';
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
  FundingPaid,
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
export type { MarketData, CandleEvent, CandleRunConsumer } from './ports/market-data.js';
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
export type { SignalScorer, SignalScore } from './ports/signal-scorer.js';
export type { EventBus, BusMessage } from './ports/event-bus.js';
export { MemoryEventBus } from './bus/memory/memory-event-bus.js';

export type { QuantumTraderErrorCode } from './errors/quantum-trader-error.js';
export { QuantumTraderError, isQuantumTraderError } from './errors/quantum-trader-error.js';

// --- sub-area barrels (each curated in its own folder) ---
export * from './indicators/index.js';
export * from './broker/index.js';
export * from './journal/index.js';
export * from './data/index.js';

export { ReplayScheduler } from './time/replay-scheduler.js';
export type { ReplaySeries, CandleReplayOptions } from './market-data/replay/candle-replay.js';
export { CandleReplay } from './market-data/replay/candle-replay.js';
export { RunCloses, type AbsorbedRun } from './market-data/replay/run-closes.js';

export type { Strategy, StrategyDecision } from './strategy/strategy.js';
export type { MomentumParams } from './strategy/momentum-strategy.js';
export { momentumStrategy } from './strategy/momentum-strategy.js';

export type { RiskRule, RiskContext } from './risk/risk-rule.js';
export type { PositionSizer } from './risk/position-sizer.js';
export { fixedNotionalSizer } from './risk/position-sizer.js';
export type { RiskEngineOptions } from './risk/risk-engine.js';
export { RiskEngine } from './risk/risk-engine.js';
export { riskCheck } from './risk/risk-check.js';
export type { RiskLimits } from './risk/standard-risk-engine.js';
export { standardRiskEngine } from './risk/standard-risk-engine.js';
export { maxNotionalRule } from './risk/rules/max-notional-rule.js';
export { maxLeverageRule } from './risk/rules/max-leverage-rule.js';
export { onePositionPerSymbolRule } from './risk/rules/one-position-per-symbol-rule.js';
export { maxOpenPositionsRule } from './risk/rules/max-open-positions-rule.js';
export { cooldownRule } from './risk/rules/cooldown-rule.js';
export { dailyLossLimitRule } from './risk/rules/daily-loss-limit-rule.js';

export type { PortfolioPosition, PortfolioStats } from './portfolio/portfolio.js';
export { Portfolio } from './portfolio/portfolio.js';
export type { ExecutionEngineOptions } from './execution/execution-engine.js';
export { ExecutionEngine } from './execution/execution-engine.js';
export { MemoryIntentQueue } from './queue/memory/memory-intent-queue.js';

export type { KernelLogger, ServiceName } from './engine/kernel-logger.js';
export { silentLogger } from './engine/kernel-logger.js';
export { cycle } from './engine/cycle.js';
export type { TradingKernelOptions, KernelStatus } from './engine/trading-kernel.js';
export { TradingKernel } from './engine/trading-kernel.js';
export * from './metrics/index.js';
