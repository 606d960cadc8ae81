/** Every code a {@link QuantumTraderError} can carry. */
export type QuantumTraderErrorCode =
  | 'CONFIG_INVALID'
  | 'DATA_FILE_MISSING'
  | 'DATA_INVALID'
  | 'UNKNOWN_SYMBOL'
  | 'UNKNOWN_STRATEGY'
  | 'PARAMETER_OUT_OF_RANGE'
  | 'JOURNAL_FAILED'
  | 'BROKER_FAILED'
  | 'QUEUE_FAILED'
  | 'MODEL_INVALID'
  | 'RECONCILIATION_FAILED'
  | 'INVARIANT_VIOLATED';

/**
 * The one error family for real failures (expected trading outcomes are events instead). `code` is a literal a
 * program can switch on; `message` says what is wrong and what to do; `cause` keeps the original error.
 *
 * @example
 * ```ts
 * throw new QuantumTraderError('DATA_INVALID', 'data/btc.csv line 12: high 10 < low 11', { cause: err });
 * ```
 */
export class QuantumTraderError extends Error {
  override readonly name = 'QuantumTraderError';
  readonly code: QuantumTraderErrorCode;

  constructor(code: QuantumTraderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * True if `err` is a {@link QuantumTraderError}, optionally of the given code.
 *
 * @example
 * ```ts
 * if (isQuantumTraderError(err, 'CONFIG_INVALID')) process.exitCode = 2;
 * ```
 */
export function isQuantumTraderError(err: unknown, code?: QuantumTraderErrorCode): err is QuantumTraderError {
  return err instanceof QuantumTraderError && (code === undefined || err.code === code);
}
