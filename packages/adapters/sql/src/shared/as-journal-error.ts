import { isQuantumTraderError, QuantumTraderError } from '@quantum-trader/core';

/**
 * Passes a `QuantumTraderError` through; wraps anything else (a driver error) as `JOURNAL_FAILED` saying what failed.
 */
export function asJournalError(err: unknown, what: string): QuantumTraderError {
  if (isQuantumTraderError(err)) return err;
  return new QuantumTraderError('JOURNAL_FAILED', `${what}: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}
