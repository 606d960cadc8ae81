// Curated public API of the broker area (re-exported by core's index).

export { SimulatedExchange } from './simulated/simulated-exchange.js';
export type { SimulatedExchangeOptions } from './simulated/simulated-exchange.js';
export type { IntrabarMode } from './simulated/intrabar-path.js';
export type {
  SimulatedExchangeState,
  SimulatedOrderState,
  SimulatedPositionState,
} from './simulated/simulated-exchange-state.js';
export type { CandleRefinement } from './simulated/candle-refiner.js';
export type { FundingRate, FundingPayment } from './simulated/simulated-funding.js';
export { constantFunding } from './simulated/constant-funding.js';
export { binanceInstrument } from './binance-instrument.js';
