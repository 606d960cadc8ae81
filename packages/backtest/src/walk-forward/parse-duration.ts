import { QuantumTraderError } from '@quantum-trader/core';

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A duration in ms from a number (ms) or a string such as `'14d'`, `'12h'`, `'90m'`, `'2w'`.
 *
 * @example
 * ```ts
 * parseDuration('14d'); // 1_209_600_000
 * ```
 */
export function parseDuration(name: string, value: number | string): number {
  const ms = typeof value === 'number' ? value : parseString(value);
  if (!(Number.isFinite(ms) && ms > 0)) {
    throw new QuantumTraderError(
      'PARAMETER_OUT_OF_RANGE',
      `walk-forward: ${name} must be a positive duration such as "14d", "12h" or a number of ms, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

function parseString(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$/.exec(s);
  return m === null ? Number.NaN : Number(m[1]) * UNITS[m[2]!]!;
}
