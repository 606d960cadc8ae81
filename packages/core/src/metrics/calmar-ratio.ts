/**
 * Calmar ratio: annualised return divided by the maximum drawdown depth (both fractions). NaN without a drawdown.
 *
 * @example
 * ```ts
 * calmarRatio(0.3, 0.15); // 2
 * ```
 */
export function calmarRatio(annualizedReturn: number, maxDrawdownDepth: number): number {
  if (!(maxDrawdownDepth > 0)) return Number.NaN;
  return annualizedReturn / maxDrawdownDepth;
}
