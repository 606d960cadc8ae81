import { QuantumTraderError } from '../../errors/quantum-trader-error.js';

/** Throws a clear PARAMETER_OUT_OF_RANGE error unless `value` is a finite number > 0. */
export function requirePositive(rule: string, field: string, value: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new QuantumTraderError(
      'PARAMETER_OUT_OF_RANGE',
      `risk rule ${rule}: ${field} must be a number > 0, got ${String(value)}`,
    );
  }
}
