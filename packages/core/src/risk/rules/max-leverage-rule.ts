import type { RiskRule } from '../risk-rule.js';
import { requirePositive } from './require-positive.js';

/**
 * Refuses an intent with leverage above `maxLeverage` (the user's static rule: 10x).
 *
 * @example
 * ```ts
 * const rule = maxLeverageRule(10);
 * ```
 */
export function maxLeverageRule(maxLeverage: number): RiskRule {
  requirePositive('max-leverage', 'maxLeverage', maxLeverage);
  return {
    name: 'max-leverage',
    check: (intent) =>
      intent.leverage > maxLeverage ? `leverage ${intent.leverage}x exceeds the maximum of ${maxLeverage}x` : undefined,
  };
}
