import type { Exchange } from 'ccxt';

/** What a venue said alongside an error: the HTTP status, its own error code and `Retry-After`. */
export interface VenueErrorDetails {
  readonly httpStatus?: number;
  readonly code?: string;
  readonly retryAfterSec?: number;
}

const details = new WeakMap<object, VenueErrorDetails>();
const INSTRUMENTED = Symbol.for('quantum-trader.ccxt.errorDetails');

/**
 * The details recorded for an error thrown by an exchange that went through {@link recordVenueErrorDetails}.
 *
 * @example
 * ```ts
 * venueErrorDetailsOf(err)?.code; // '-2010'
 * ```
 */
export function venueErrorDetailsOf(err: unknown): VenueErrorDetails | undefined {
  return typeof err === 'object' && err !== null ? details.get(err) : undefined;
}

/**
 * Makes a ccxt exchange remember, for every error it throws on an HTTP answer, the venue's status, error code and
 * `Retry-After` — ccxt's own messages sometimes keep only the venue's text (Binance -2010 becomes
 * `InsufficientFunds: binance Account has insufficient balance…`). Idempotent.
 *
 * @example
 * ```ts
 * recordVenueErrorDetails(exchange);
 * ```
 */
export function recordVenueErrorDetails(exchange: Exchange): void {
  const ex = exchange as unknown as Record<PropertyKey, unknown> & {
    handleErrors: (...args: unknown[]) => unknown;
    handleHttpStatusCode: (...args: unknown[]) => unknown;
  };
  if (ex[INSTRUMENTED] === true) return;
  ex[INSTRUMENTED] = true;
  const handleErrors = ex.handleErrors.bind(exchange);
  ex.handleErrors = (status: unknown, reason: unknown, url: unknown, method: unknown, headers: unknown, body: unknown, response: unknown, ...rest: unknown[]) => {
    try {
      return handleErrors(status, reason, url, method, headers, body, response, ...rest);
    } catch (err) {
      remember(err, status, headers, response);
      throw err;
    }
  };
  const handleHttpStatusCode = ex.handleHttpStatusCode.bind(exchange);
  ex.handleHttpStatusCode = (status: unknown, ...rest: unknown[]) => {
    try {
      return handleHttpStatusCode(status, ...rest);
    } catch (err) {
      remember(err, status, undefined, undefined);
      throw err;
    }
  };
}

function remember(err: unknown, status: unknown, headers: unknown, response: unknown): void {
  if (typeof err !== 'object' || err === null) return;
  const h = (headers ?? {}) as Record<string, unknown>;
  const retry = Number(h['Retry-After'] ?? h['retry-after']);
  const code = typeof response === 'object' && response !== null ? (response as Record<string, unknown>).code : undefined;
  details.set(err, {
    ...(typeof status === 'number' ? { httpStatus: status } : {}),
    ...(typeof code === 'number' || typeof code === 'string' ? { code: String(code) } : {}),
    ...(Number.isFinite(retry) && (h['Retry-After'] ?? h['retry-after']) !== undefined ? { retryAfterSec: retry } : {}),
  });
}
