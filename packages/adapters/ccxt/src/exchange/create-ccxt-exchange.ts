import { QuantumTraderError } from '@quantum-trader/core';
import { pro, type Exchange } from 'ccxt';
import type { ExchangeCredentials } from '../credentials/exchange-credentials.js';
import { pointExchangeAt } from './point-exchange-at.js';

/**
 * Which environment of the venue to trade on. `testnet` and `demo` use play money; `mainnet` trades real funds and
 * must be confirmed with `allowMainnet: true`.
 *
 * @example
 * ```ts
 * const mode: VenueMode = process.env.QT_GO_LIVE === 'yes' ? 'mainnet' : 'testnet';
 * ```
 */
export type VenueMode = 'mainnet' | 'testnet' | 'demo';

/**
 * Settings of {@link createCcxtExchange}.
 *
 * @example
 * ```ts
 * const options: CcxtExchangeOptions = {
 *   exchangeId: 'binanceusdm',
 *   mode: 'testnet',
 *   credentials: loadCredentials(),
 *   baseUrl: 'http://127.0.0.1:8080',
 * };
 * ```
 */
export interface CcxtExchangeOptions {
  /** A ccxt exchange id: `binance` (spot), `binanceusdm` (USDⓈ-M perpetuals) or any other ccxt id. */
  readonly exchangeId: string;
  readonly mode: VenueMode;
  /** The explicit decision to trade real funds; required with `mode: 'mainnet'`. */
  readonly allowMainnet?: boolean;
  /** Send every request to this server instead of the venue's (a local stand-in, a proxy). */
  readonly baseUrl?: string;
  /** WebSocket origin when it differs from `baseUrl` with `http` → `ws`. */
  readonly wsBaseUrl?: string;
  /** Needed for orders, balances and positions; public market data works without. */
  readonly credentials?: ExchangeCredentials;
  /** Per-request timeout (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** ccxt's request limiter: `true` (default: the venue's documented rate), `false`, or milliseconds per unit cost. */
  readonly rateLimit?: boolean | number;
  /** Binance `recvWindow` for signed requests (default 5 000 ms). */
  readonly recvWindowMs?: number;
  /** Extra ccxt options, merged last. */
  readonly options?: Readonly<Record<string, unknown>>;
}

const BINANCE_MARKET_TYPES: Readonly<Record<string, readonly string[]>> = {
  binance: ['spot'],
  binanceusdm: ['linear'],
  binancecoinm: ['inverse'],
};

type ExchangeClass = new (config: Record<string, unknown>) => Exchange;

/**
 * Creates a ccxt (pro) exchange for a venue and mode: sandbox/demo URLs switched on, a base-URL override applied,
 * credentials set, and — for Binance — market loading kept to one request per market type. The returned exchange
 * speaks REST and WebSockets (`watchOHLCV`, `watchOrders` …), including over plain `ws://` to a local server.
 *
 * @throws QuantumTraderError `CONFIG_INVALID` for an unknown exchange id, a mode the exchange lacks, or `mainnet`
 * without `allowMainnet`.
 * @example
 * ```ts
 * const exchange = await createCcxtExchange({ exchangeId: 'binanceusdm', mode: 'demo', credentials: loadCredentials() });
 * const broker = new CcxtBroker({ exchange, symbols: [symbolId('BTC/USDT:USDT')] });
 * ```
 */
export async function createCcxtExchange(options: CcxtExchangeOptions): Promise<Exchange> {
  const id = options.exchangeId;
  const classes = pro as unknown as Record<string, ExchangeClass | undefined>;
  const Ctor = Object.hasOwn(classes, id) ? classes[id] : undefined;
  if (Ctor === undefined) {
    throw new QuantumTraderError('CONFIG_INVALID', `exchange "${id}" is not a ccxt exchange with WebSocket support; use an id such as binance or binanceusdm`);
  }
  if (options.mode === 'mainnet' && options.allowMainnet !== true) {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      `exchange ${id}: mode "mainnet" trades real funds and needs the explicit decision allowMainnet: true (see docs/exchanges.md); use mode "testnet" or "demo" until then`,
    );
  }
  const isBinance = id in BINANCE_MARKET_TYPES;
  const ccxtOptions: Record<string, unknown> = {
    ...(isBinance
      ? {
          fetchCurrencies: false,
          fetchMargins: false,
          fetchMarkets: { types: [...BINANCE_MARKET_TYPES[id]!] },
          warnOnFetchOpenOrdersWithoutSymbol: false,
          disableFuturesSandboxWarning: true,
          // the snapshot is fetched into a future nobody awaits unless watchPositions is used
          watchPositions: { fetchPositionsSnapshot: false, awaitPositionsSnapshot: false },
          recvWindow: options.recvWindowMs ?? 5_000,
        }
      : {}),
    ...(options.options ?? {}),
  };
  const config: Record<string, unknown> = {
    enableRateLimit: options.rateLimit !== false,
    timeout: options.timeoutMs ?? 10_000,
    options: ccxtOptions,
  };
  if (typeof options.rateLimit === 'number') config.rateLimit = options.rateLimit;
  const exchange = new Ctor(config);
  if (options.credentials !== undefined) {
    const { apiKey, secret } = options.credentials.reveal();
    exchange.apiKey = apiKey;
    exchange.secret = secret;
  }
  applyMode(exchange, id, options.mode);
  if (options.baseUrl !== undefined) pointExchangeAt(exchange, options.baseUrl, options.wsBaseUrl);
  // ccxt.pro opens plain ws:// URLs only through an http agent it loads on request
  await exchange.loadHttpProxyAgent();
  return exchange;
}

function applyMode(exchange: Exchange, id: string, mode: VenueMode): void {
  const urls = exchange.urls as Record<string, unknown>;
  if (mode === 'testnet') {
    if (urls.test === undefined) {
      throw new QuantumTraderError('CONFIG_INVALID', `exchange ${id} has no testnet in ccxt; use mode "demo" (if it has one) or a baseUrl`);
    }
    exchange.setSandboxMode(true);
  } else if (mode === 'demo') {
    const withDemo = exchange as Exchange & { enableDemoTrading?: (on: boolean) => void };
    if (urls.demo === undefined || typeof withDemo.enableDemoTrading !== 'function') {
      throw new QuantumTraderError('CONFIG_INVALID', `exchange ${id} has no demo-trading environment in ccxt; use mode "testnet"`);
    }
    withDemo.enableDemoTrading(true);
  }
}
