import { QuantumTraderError } from '../errors/quantum-trader-error.js';

/**
 * Throws `PARAMETER_OUT_OF_RANGE` unless `value` is an integer ≥ 1 (internal; not re-exported).
 *
 * @example
 * ```ts
 * assertPeriod('SimpleMovingAverage', 'period', 20);
 * ```
 */
export function assertPeriod(indicator: string, parameter: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new QuantumTraderError(
      'PARAMETER_OUT_OF_RANGE',
      `${indicator}: ${parameter} must be an integer >= 1, got ${String(value)}`,
    );
  }
}

/**
 * Throws `PARAMETER_OUT_OF_RANGE` unless `value` is a finite number > 0 (internal; not re-exported).
 *
 * @example
 * ```ts
 * assertPositive('BollingerBands', 'k', 2);
 * ```
 */
export function assertPositive(indicator: string, parameter: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new QuantumTraderError(
      'PARAMETER_OUT_OF_RANGE',
      `${indicator}: ${parameter} must be a finite number > 0, got ${String(value)}`,
    );
  }
}

/**
 * Throws `DATA_INVALID` unless every column has the same length (internal; not re-exported).
 *
 * @example
 * ```ts
 * assertSameLength('atr()', ['high', 'low', 'close'], [3, 3, 2]); // throws: got 3, 3, 2
 * ```
 */
export function assertSameLength(indicator: string, names: readonly string[], lengths: readonly number[]): void {
  const first = lengths[0];
  for (let i = 1; i < lengths.length; i++) {
    if (lengths[i] !== first) {
      throw new QuantumTraderError(
        'DATA_INVALID',
        `${indicator}: ${names.join(', ')} must have the same length, got ${lengths.join(', ')}`,
      );
    }
  }
}
