// Hand-curated public API of @quantum-trader/ccxt. Anything not exported here is internal.

export { CcxtBroker } from './broker/ccxt-broker.js';
export type { CcxtBrokerOptions } from './broker/ccxt-broker.js';
export { instrumentOfMarket, venueOrderOf } from './broker/ccxt-order-mapping.js';
export type { SentOrder } from './broker/ccxt-order-mapping.js';

export { CcxtMarketData } from './market-data/ccxt-market-data.js';
export type { CcxtMarketDataOptions, TickerEvent } from './market-data/ccxt-market-data.js';

export { createCcxtExchange } from './exchange/create-ccxt-exchange.js';
export type { CcxtExchangeOptions, VenueMode } from './exchange/create-ccxt-exchange.js';
export { pointExchangeAt } from './exchange/point-exchange-at.js';

export { ExchangeCredentials, loadCredentials } from './credentials/exchange-credentials.js';
export type { CredentialsSource } from './credentials/exchange-credentials.js';
export { redact } from './credentials/redact.js';

export { classifyVenueError, venueCodeOf, httpStatusOf } from './errors/classify-venue-error.js';
export type { VenueErrorClass, VenueErrorKind } from './errors/classify-venue-error.js';
export { CcxtVenueError } from './errors/ccxt-venue-error.js';
export { VenueCaller } from './retry/venue-caller.js';
export type { RetryPolicy, Sleep } from './retry/venue-caller.js';

export type { ReconcileInput, ReconciliationReport } from './reconcile/reconciliation-report.js';

export { downloadData } from './download/download-data.js';
export type { DownloadDataOptions, DownloadProgress, DownloadReport, CandleGap } from './download/download-data.js';
