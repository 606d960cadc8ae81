import { QuantumTraderError } from '@quantum-trader/core';

// Internal (not re-exported): boundary checks shared by standardLadder and ExitBrain's options.

/** Throws `PARAMETER_OUT_OF_RANGE` naming the field, the value and what was expected. */
export function outOfRange(where: string, field: string, value: unknown, expected: string): QuantumTraderError {
  const shown = Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
  return new QuantumTraderError('PARAMETER_OUT_OF_RANGE', `${where}: ${field} must be ${expected}, got ${shown}`);
}

/** `0 < stopLossPct < 1`. */
export function assertStopLossPct(where: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0 || value >= 1) {
    throw outOfRange(where, 'stopLossPct', value, 'a fraction > 0 and < 1 (0.02 = 2 %)');
  }
}

/** Every fraction finite and > 0, at least one, summing to 1 (within 1e-9). */
export function assertFractions(where: string, field: string, fractions: readonly number[]): void {
  if (fractions.length === 0 || fractions.some((f) => !Number.isFinite(f) || f <= 0)) {
    throw outOfRange(where, field, fractions, 'a non-empty list of fractions, each > 0, summing to 1');
  }
  const sum = fractions.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) {
    throw outOfRange(where, field, fractions, `fractions summing to 1 (they sum to ${sum})`);
  }
}

/** Every take-profit distance finite, > 0 and < 1 (a short's target must stay above zero). */
export function assertTakeProfitPcts(where: string, levels: readonly number[], legs: number): void {
  if (levels.length !== legs || levels.some((p) => !Number.isFinite(p) || p <= 0 || p >= 1)) {
    throw outOfRange(where, 'takeProfitPcts', levels, `${legs} fractions, each > 0 and < 1 (one per ladder leg)`);
  }
}

/** A finite number > 0. */
export function assertPositive(where: string, field: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw outOfRange(where, field, value, 'a finite number > 0');
}

/** A finite number ≥ 0. */
export function assertNonNegative(where: string, field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw outOfRange(where, field, value, 'a finite number >= 0');
}
