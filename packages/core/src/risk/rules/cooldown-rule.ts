import type { RiskRule } from '../risk-rule.js';
import { requirePositive } from './require-positive.js';

/**
 * Refuses a new entry on a symbol until `cooldownMs` have passed since its last position closed.
 *
 * @example
 * ```ts
 * const rule = cooldownRule(60 * 60_000); // one hour
 * ```
 */
export function cooldownRule(cooldownMs: number): RiskRule {
  requirePositive('cooldown', 'cooldownMs', cooldownMs);
  return {
    name: 'cooldown',
    check: (intent, ctx) => {
      const last = ctx.lastClosedAt(intent.symbol);
      if (last === undefined) return undefined;
      const left = last + cooldownMs - ctx.now;
      return left > 0
        ? `${intent.symbol} is cooling down for ${Math.ceil(left / 60_000)} more minute(s) after its last close`
        : undefined;
    },
  };
}
