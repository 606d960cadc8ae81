import type { RiskRule } from '../risk-rule.js';
import { requirePositive } from './require-positive.js';

/**
 * Refuses an intent when `maxOpen` positions (open or in flight) already exist.
 *
 * @example
 * ```ts
 * const rule = maxOpenPositionsRule(3);
 * ```
 */
export function maxOpenPositionsRule(maxOpen: number): RiskRule {
  requirePositive('max-open-positions', 'maxOpen', maxOpen);
  return {
    name: 'max-open-positions',
    check: (_intent, ctx) =>
      ctx.openPositions >= maxOpen ? `${ctx.openPositions} positions open, the maximum is ${maxOpen}` : undefined,
  };
}
