import { DAY_MS, type EquitySeries } from './metric-inputs.js';

/**
 * Total return of an equity curve: `E_last / E_first − 1`. NaN for an empty curve.
 *
 * @example
 * ```ts
 * totalReturn({ ts: [0, 1], equity: [10_000, 11_000] }); // 0.1
 * ```
 */
export function totalReturn(curve: EquitySeries): number {
  const n = Math.min(curve.ts.length, curve.equity.length);
  if (n === 0 || curve.equity[0] === 0) return Number.NaN;
  return curve.equity[n - 1]! / curve.equity[0]! - 1;
}

/**
 * Annualised (compound) return: `(E_last / E_first)^(365 days / (t_last − t_first)) − 1`. Calendar time, since
 * crypto trades every day. NaN for a curve shorter than one day, where the power would only amplify noise.
 *
 * @example
 * ```ts
 * annualizedReturn({ ts: [0, 365 * 86_400_000], equity: [100, 121] }); // 0.21
 * annualizedReturn({ ts: [0, 730 * 86_400_000], equity: [100, 121] }); // 0.1
 * ```
 */
export function annualizedReturn(curve: EquitySeries): number {
  const n = Math.min(curve.ts.length, curve.equity.length);
  if (n < 2) return Number.NaN;
  const span = curve.ts[n - 1]! - curve.ts[0]!;
  const growth = curve.equity[n - 1]! / curve.equity[0]!;
  if (!(span >= DAY_MS) || !(growth >= 0)) return Number.NaN;
  return growth ** ((365 * DAY_MS) / span) - 1;
}
