import { isQuantumTraderError, type QuantumTraderErrorCode } from '@quantum-trader/core';
import { CommanderError } from 'commander';
import { redactSecrets } from './redact-secrets.js';

/** Exit code for bad input (config, flags, data): the user can fix it. */
export const EXIT_BAD_INPUT = 2;
/** Exit code for an unexpected failure. */
export const EXIT_FAILURE = 1;

const BAD_INPUT: ReadonlySet<QuantumTraderErrorCode> = new Set<QuantumTraderErrorCode>([
  'CONFIG_INVALID',
  'DATA_FILE_MISSING',
  'DATA_INVALID',
  'UNKNOWN_SYMBOL',
  'UNKNOWN_STRATEGY',
  'PARAMETER_OUT_OF_RANGE',
]);

/**
 * The exit code for an error: 2 for bad input a person can fix (config, flags, data files), 1 for anything else.
 *
 * @example
 * ```ts
 * import { QuantumTraderError } from '@quantum-trader/core';
 * import { exitCodeOf } from '@quantum-trader/runner';
 *
 * exitCodeOf(new QuantumTraderError('CONFIG_INVALID', 'bad')); // 2
 * exitCodeOf(new Error('boom')); // 1
 * ```
 */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  if (isQuantumTraderError(err) && BAD_INPUT.has(err.code)) return EXIT_BAD_INPUT;
  return EXIT_FAILURE;
}

/**
 * Formats an error for the terminal as `error: <message>` (every line of a multi-line message kept, no stack trace),
 * with secrets from the environment redacted. This is the only way the CLI prints errors.
 *
 * @example
 * ```ts
 * import { formatError } from '@quantum-trader/runner';
 *
 * formatError(new Error('connection refused')); // 'error: connection refused'
 * ```
 */
export function formatError(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const message = err instanceof Error ? err.message : String(err);
  return redactSecrets(`error: ${message}`, env);
}
