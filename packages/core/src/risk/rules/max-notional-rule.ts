import type { RiskRule } from '../risk-rule.js';
import { requirePositive } from './require-positive.js';

/**
 * Refuses an intent whose notional (qty × reference price) exceeds `maxNotional` (the user's static rule: $1000).
 *
 * @example
 * ```ts
 * const rule = maxNotionalRule(1000);
 * ```
 */
export function maxNotionalRule(maxNotional: number): RiskRule {
  requirePositive('max-notional', 'maxNotional', maxNotional);
  return {
    name: 'max-notional',
    check: (intent) => {
      const notional = intent.qty * intent.refPrice;
      return notional > maxNotional * (1 + 1e-9)
        ? `notional ${notional.toFixed(2)} exceeds the maximum of ${maxNotional} per trade`
        : undefined;
    },
  };
}
