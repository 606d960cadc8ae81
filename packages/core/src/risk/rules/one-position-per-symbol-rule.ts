import type { RiskRule } from '../risk-rule.js';

/**
 * Refuses an intent on a symbol that already has an open position or an entry in flight.
 *
 * @example
 * ```ts
 * const rule = onePositionPerSymbolRule();
 * ```
 */
export function onePositionPerSymbolRule(): RiskRule {
  return {
    name: 'one-position-per-symbol',
    check: (intent, ctx) =>
      ctx.hasExposure(intent.symbol) ? `${intent.symbol} already has an open position or a pending entry` : undefined,
  };
}
