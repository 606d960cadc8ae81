import { silentLogger, type KernelLogger } from '@quantum-trader/core';
import type { Exchange } from 'ccxt';
import { CcxtVenueError } from '../errors/ccxt-venue-error.js';
import { classifyVenueError, type VenueErrorClass } from '../errors/classify-venue-error.js';
import { recordVenueErrorDetails } from '../errors/venue-error-details.js';

/**
 * How a failed venue call is retried: exponential back-off from `baseDelayMs` up to `maxDelayMs`, at most
 * `maxAttempts` tries; a venue's `Retry-After` is always honoured.
 *
 * @example
 * ```ts
 * const policy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 20_000 };
 * ```
 */
export interface RetryPolicy {
  /** Tries in all, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Wait before the second try (default 500 ms); doubles each time. */
  readonly baseDelayMs?: number;
  /** Longest wait between tries (default 30 000 ms). */
  readonly maxDelayMs?: number;
}

/**
 * Waits `ms` milliseconds (injectable so that tests need not wait).
 *
 * @example
 * ```ts
 * const noWait: Sleep = async () => {};
 * ```
 */
export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs venue calls with retries of retryable failures (classified by the venue's own code, see
 * {@link classifyVenueError}) and a back-off shared by every call through it: after a 429 or 418 no call goes out
 * before the wait is over. A `-1021` (timestamp outside `recvWindow`) resynchronises ccxt's clock with the venue's
 * and tries again at once. Final failures and exhausted retries throw {@link CcxtVenueError} with a redacted message.
 *
 * @example
 * ```ts
 * const caller = new VenueCaller(exchange, { maxAttempts: 4 }, logger, (s) => creds.redact(s));
 * const balance = await caller.call('fetchBalance', () => exchange.fetchBalance());
 * ```
 */
export class VenueCaller {
  private notBefore = 0;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly exchange: Exchange,
    policy: RetryPolicy = {},
    private readonly logger: KernelLogger = silentLogger,
    private readonly redact: (text: string) => string = (t) => t,
    private readonly sleep: Sleep = realSleep,
  ) {
    recordVenueErrorDetails(exchange);
    this.maxAttempts = Math.max(1, policy.maxAttempts ?? 5);
    this.baseDelayMs = policy.baseDelayMs ?? 500;
    this.maxDelayMs = policy.maxDelayMs ?? 30_000;
  }

  /**
   * Calls `fn`, retrying retryable failures.
   *
   * @param what - names the call in logs and errors, e.g. `createOrder qt-1f… BTC/USDT:USDT`.
   * @param beforeRetry - runs before each retry; a value it returns is returned instead of retrying (used to look an
   *   order up after a timeout, when the venue may have carried out the request).
   * @example
   * ```ts
   * const order = await caller.call(`fetchOrder ${coid}`, () => exchange.fetchOrder(undefined, symbol, { clientOrderId: coid }));
   * ```
   */
  async call<T>(what: string, fn: () => Promise<T>, beforeRetry?: (cls: VenueErrorClass) => Promise<T | undefined>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const wait = this.notBefore - Date.now();
      if (wait > 0) await this.sleep(wait);
      try {
        return await fn();
      } catch (err) {
        const cls = classifyVenueError(err, this.retryAfterSec());
        if (!cls.retryable || attempt >= this.maxAttempts) throw this.failure(what, err, cls, attempt);
        if (cls.kind === 'timestamp') {
          await this.resyncClock(what);
          continue;
        }
        let delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
        if (cls.retryAfterSec !== undefined) delay = Math.max(delay, cls.retryAfterSec * 1000);
        if (cls.kind === 'rate_limited' || cls.kind === 'banned') this.notBefore = Math.max(this.notBefore, Date.now() + delay);
        this.logger.warn(
          { call: this.redact(what), kind: cls.kind, code: cls.code, httpStatus: cls.httpStatus, attempt, delayMs: delay, error: this.redact(err instanceof Error ? err.message : String(err)) },
          `venue call failed (${cls.kind}); retrying in ${delay} ms`,
        );
        await this.sleep(delay);
        if (beforeRetry !== undefined) {
          const found = await beforeRetry(cls);
          if (found !== undefined) return found;
        }
      }
    }
  }

  /**
   * Milliseconds until calls may go out again (0 when not backing off after a 429/418).
   *
   * @example
   * ```ts
   * if (caller.backoffRemainingMs() > 0) logger.info({}, 'venue asked us to slow down');
   * ```
   */
  backoffRemainingMs(): number {
    return Math.max(0, this.notBefore - Date.now());
  }

  /**
   * Turns an error into a {@link CcxtVenueError} without retrying.
   *
   * @example
   * ```ts
   * throw caller.failure('cancelOrder', err, classifyVenueError(err), 1);
   * ```
   */
  failure(what: string, err: unknown, cls: VenueErrorClass, attempts: number): CcxtVenueError {
    const original = err instanceof Error ? err.message : String(err);
    const after = attempts > 1 ? ` after ${attempts} tries` : '';
    const hint = HINTS[cls.kind];
    const message = this.redact(`${what} failed${after}: ${original}${hint === '' ? '' : ` — ${hint}`}`);
    // the cause keeps the original's class name and message, redacted, but not the original object
    const cause = new Error(this.redact(original));
    cause.name = err instanceof Error ? err.constructor.name : 'Error';
    return new CcxtVenueError(message, cls, { cause });
  }

  private retryAfterSec(): number | undefined {
    const headers = (this.exchange as { last_response_headers?: Record<string, unknown> }).last_response_headers;
    const raw = headers?.['Retry-After'] ?? headers?.['retry-after'];
    const n = Number(raw);
    return raw !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
  }

  private async resyncClock(what: string): Promise<void> {
    try {
      const diff = await this.exchange.loadTimeDifference();
      this.logger.warn({ call: this.redact(what), timeDifferenceMs: diff }, 'venue rejected the request timestamp; clock resynchronised with the venue');
    } catch (err) {
      this.logger.warn({ call: this.redact(what), error: this.redact(String((err as Error).message)) }, 'clock resynchronisation failed');
    }
  }
}

const HINTS: Readonly<Record<string, string>> = {
  auth: 'check the API key, its permissions and IP whitelist, and that the secret belongs to it',
  banned: 'the venue banned this IP for too many requests; wait until the ban ends',
  rate_limited: 'too many requests; lower the polling rate',
  unavailable: 'the venue is unavailable; try again later',
  timeout: 'no answer in time; the request may or may not have been carried out',
  network: 'the venue could not be reached; check the network and the base URL',
  timestamp: "the venue rejected the request's timestamp; check the machine's clock",
  insufficient_funds: '',
  invalid_order: '',
  duplicate_order: '',
  order_not_found: '',
  no_change: '',
  bad_symbol: 'the venue does not list this symbol',
  other: '',
};
