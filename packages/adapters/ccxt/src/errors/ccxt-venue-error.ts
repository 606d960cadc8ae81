import { QuantumTraderError } from '@quantum-trader/core';
import type { VenueErrorClass, VenueErrorKind } from './classify-venue-error.js';

/**
 * A venue call that failed for good (a final error, or a retryable one after every retry): a
 * `QuantumTraderError` with code `BROKER_FAILED` that also says whether trying again later can help, which kind of
 * failure it was and the venue's own code. Its message and `cause` never contain the API key or secret.
 *
 * @example
 * ```ts
 * try {
 *   await broker.balances();
 * } catch (err) {
 *   if (err instanceof CcxtVenueError && err.retryable) scheduleRetry();
 * }
 * ```
 */
export class CcxtVenueError extends QuantumTraderError {
  /** True when the same call may succeed later (rate limit, outage, timeout). */
  readonly retryable: boolean;
  readonly kind: VenueErrorKind;
  /** The venue's error code (Binance: `-2015`), when it sent one. */
  readonly venueCode: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(message: string, cls: VenueErrorClass, options?: { cause?: unknown }) {
    super('BROKER_FAILED', message, options);
    this.retryable = cls.retryable;
    this.kind = cls.kind;
    this.venueCode = cls.code;
    this.httpStatus = cls.httpStatus;
  }
}
