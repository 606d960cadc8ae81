import {
  ArgumentsRequired,
  AuthenticationError,
  BadRequest,
  BadSymbol,
  DDoSProtection,
  InsufficientFunds,
  InvalidNonce,
  InvalidOrder,
  NetworkError,
  OrderNotFound,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt';
import { venueErrorDetailsOf } from './venue-error-details.js';

/**
 * What went wrong at the venue, in terms a caller can act on.
 *
 * Retryable: `rate_limited` (429 / -1003 / -1015), `banned` (418: wait for `Retry-After`), `unavailable` (5xx,
 * -1001, -1008 …), `timeout` (the request may or may not have been carried out), `timestamp` (-1021: resync the
 * clock, then retry), `network`.
 * Final: `insufficient_funds` (-2010 balance, -2019 margin), `invalid_order` (filters, precision, -2022 reduce-only,
 * -4164 notional …), `duplicate_order` (-4116, spot -2010 "Duplicate order sent."), `order_not_found` (-2011,
 * -2013), `auth` (-1022, -2014, -2015), `no_change` (-4046, -4059), `bad_symbol` (-1121), `other`.
 *
 * @example
 * ```ts
 * const kind: VenueErrorKind = classifyVenueError(err).kind;
 * if (kind === 'insufficient_funds') notifyOperator();
 * ```
 */
export type VenueErrorKind =
  | 'rate_limited'
  | 'banned'
  | 'unavailable'
  | 'timeout'
  | 'timestamp'
  | 'network'
  | 'insufficient_funds'
  | 'invalid_order'
  | 'duplicate_order'
  | 'order_not_found'
  | 'auth'
  | 'no_change'
  | 'bad_symbol'
  | 'other';

/**
 * The classification of one venue error.
 *
 * @example
 * ```ts
 * const c: VenueErrorClass = { kind: 'insufficient_funds', retryable: false, code: '-2019', httpStatus: 400 };
 * ```
 */
export interface VenueErrorClass {
  readonly kind: VenueErrorKind;
  readonly retryable: boolean;
  /** The venue's own error code (Binance: `-2019`), when the answer carried one. */
  readonly code?: string;
  /** The HTTP status, when known. */
  readonly httpStatus?: number;
  /** Seconds the venue asked to wait (`Retry-After`), when known. */
  readonly retryAfterSec?: number;
}

const RETRYABLE_KINDS: ReadonlySet<VenueErrorKind> = new Set(['rate_limited', 'banned', 'unavailable', 'timeout', 'timestamp', 'network']);

// Binance error codes, from the spot and USDⓈ-M references. Classified by the code itself, so the answer does not
// depend on which error table ccxt picked (it chooses by URL prefix, and knows none for a non-Binance base URL).
const BINANCE_CODES: Readonly<Record<string, VenueErrorKind>> = {
  '-1000': 'unavailable', // UNKNOWN
  '-1001': 'unavailable', // DISCONNECTED: internal error
  '-1002': 'auth', // UNAUTHORIZED
  '-1003': 'rate_limited', // TOO_MANY_REQUESTS
  '-1004': 'unavailable', // SERVER_BUSY
  '-1006': 'timeout', // UNEXPECTED_RESP: execution status unknown
  '-1007': 'timeout', // TIMEOUT: execution status unknown
  '-1008': 'unavailable', // server overloaded
  '-1015': 'rate_limited', // TOO_MANY_ORDERS
  '-1016': 'unavailable', // SERVICE_SHUTTING_DOWN
  '-1021': 'timestamp', // INVALID_TIMESTAMP
  '-1022': 'auth', // INVALID_SIGNATURE
  '-1013': 'invalid_order', // filter failure
  '-1100': 'invalid_order',
  '-1101': 'invalid_order',
  '-1102': 'invalid_order',
  '-1103': 'invalid_order',
  '-1104': 'invalid_order',
  '-1106': 'invalid_order',
  '-1111': 'invalid_order', // precision
  '-1116': 'invalid_order',
  '-1117': 'invalid_order',
  '-1121': 'bad_symbol',
  '-1125': 'auth', // invalid listenKey
  '-2010': 'insufficient_funds', // NEW_ORDER_REJECTED (spot: balance; "Duplicate order sent." handled by message)
  '-2011': 'order_not_found', // CANCEL_REJECTED / unknown order
  '-2013': 'order_not_found', // NO_SUCH_ORDER
  '-2014': 'auth', // BAD_API_KEY_FMT
  '-2015': 'auth', // REJECTED_MBX_KEY
  '-2018': 'insufficient_funds', // BALANCE_NOT_SUFFICIENT
  '-2019': 'insufficient_funds', // MARGIN_NOT_SUFFICIEN
  '-2020': 'invalid_order', // UNABLE_TO_FILL
  '-2021': 'invalid_order', // ORDER_WOULD_IMMEDIATELY_TRIGGER
  '-2022': 'invalid_order', // REDUCE_ONLY_REJECT
  '-2024': 'insufficient_funds',
  '-2027': 'invalid_order', // MAX_LEVERAGE_RATIO
  '-2028': 'insufficient_funds', // MIN_LEVERAGE_RATIO
  '-4003': 'invalid_order',
  '-4004': 'invalid_order',
  '-4005': 'invalid_order',
  '-4014': 'invalid_order', // price not a multiple of the tick
  '-4023': 'invalid_order', // qty not a multiple of the step
  '-4028': 'invalid_order', // invalid leverage
  '-4046': 'no_change', // no need to change margin type
  '-4059': 'no_change', // no need to change position side
  '-4061': 'invalid_order', // position side mismatch
  '-4116': 'duplicate_order', // DUPLICATED_CLIENT_ORDER_ID
  '-4120': 'invalid_order', // use the algo order endpoints
  '-4131': 'invalid_order', // PERCENT_PRICE
  '-4164': 'invalid_order', // MIN_NOTIONAL
  '-5021': 'invalid_order',
  '-5022': 'invalid_order',
  '-5028': 'timestamp',
};

/**
 * Reads the venue's own error code out of an error's message (ccxt puts the venue's JSON answer there, e.g.
 * `binanceusdm {"code":-2019,"msg":"Margin is insufficient."}`).
 *
 * @example
 * ```ts
 * venueCodeOf(new Error('binance {"code":-2010,"msg":"Account has insufficient balance"}')); // '-2010'
 * ```
 */
export function venueCodeOf(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : String(err);
  const m = /"code"\s*:\s*"?(-?\d+)"?/.exec(message);
  return m?.[1];
}

/**
 * Reads the HTTP status out of a ccxt error message (`binance 429 Too Many Requests …` or
 * `binance GET http://… 503 Service Unavailable …`).
 *
 * @example
 * ```ts
 * httpStatusOf(new Error('binance GET https://api.binance.com/api/v3/account 503 Service Unavailable')); // 503
 * ```
 */
export function httpStatusOf(err: unknown): number | undefined {
  const message = err instanceof Error ? err.message : String(err);
  const direct = /^\S+ (4\d\d|5\d\d) /.exec(message);
  if (direct !== null) return Number(direct[1]);
  const withUrl = /^\S+ (?:GET|POST|PUT|DELETE|PATCH) \S+ (\d{3}) /.exec(message);
  return withUrl === null ? undefined : Number(withUrl[1]);
}

/**
 * Classifies an error from ccxt into retryable or final by the venue's own error code first, then by HTTP status,
 * and only then by ccxt's error class. This matters because ccxt's Binance error tables are chosen by URL prefix:
 * with a base URL that is not Binance's (a stand-in, a proxy) futures codes such as -2019 and -4116 arrive as a
 * plain `ExchangeError`.
 *
 * @example
 * ```ts
 * const c = classifyVenueError(new ExchangeError('binanceusdm {"code":-2019,"msg":"Margin is insufficient."}'));
 * c.kind; // 'insufficient_funds'
 * c.retryable; // false
 * ```
 */
export function classifyVenueError(err: unknown, retryAfterSec?: number): VenueErrorClass {
  const recorded = venueErrorDetailsOf(err);
  const code = recorded?.code ?? venueCodeOf(err);
  const httpStatus = recorded?.httpStatus ?? httpStatusOf(err);
  retryAfterSec = recorded?.retryAfterSec ?? retryAfterSec;
  const extra = {
    ...(code !== undefined ? { code } : {}),
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    ...(retryAfterSec !== undefined ? { retryAfterSec } : {}),
  };
  const make = (kind: VenueErrorKind): VenueErrorClass => ({ kind, retryable: RETRYABLE_KINDS.has(kind), ...extra });
  const message = err instanceof Error ? err.message : String(err);

  if (httpStatus === 418) return make('banned');
  if (httpStatus === 429) return make('rate_limited');
  if (code !== undefined) {
    if (code === '-2010' && /duplicate order/i.test(message)) return make('duplicate_order');
    if (code === '-2015' && httpStatus !== undefined && httpStatus >= 500) return make('unavailable');
    const kind = BINANCE_CODES[code];
    if (kind !== undefined) return make(kind);
  }
  if (httpStatus !== undefined) {
    if (httpStatus === 408 || httpStatus === 504) return make('timeout');
    if (httpStatus >= 500) return make('unavailable');
    if (httpStatus === 401 || httpStatus === 403) return make('auth');
  }
  // no venue code: fall back on ccxt's class (network-level failures never carry one)
  if (err instanceof RequestTimeout) return make('timeout');
  if (err instanceof DDoSProtection || err instanceof RateLimitExceeded) return make('rate_limited');
  if (err instanceof InvalidNonce) return make('timestamp');
  if (err instanceof NetworkError) return make('network');
  if (err instanceof AuthenticationError) return make('auth');
  if (err instanceof InsufficientFunds) return make('insufficient_funds');
  if (err instanceof OrderNotFound) return make('order_not_found');
  if (err instanceof BadSymbol) return make('bad_symbol');
  if (err instanceof InvalidOrder) return make('invalid_order');
  // ccxt's own argument checks (before any request): final, and about the order when raised while placing one
  if (err instanceof BadRequest || err instanceof ArgumentsRequired) return make('invalid_order');
  return make('other');
}
