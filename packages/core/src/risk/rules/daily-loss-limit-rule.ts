import type { RiskRule } from '../risk-rule.js';
import { requirePositive } from './require-positive.js';

const DAY_MS = 86_400_000;

/**
 * Refuses new entries for the rest of the UTC day once realized losses since midnight reach `maxDailyLoss`
 * (in the quote currency).
 *
 * @example
 * ```ts
 * const rule = dailyLossLimitRule(300);
 * ```
 */
export function dailyLossLimitRule(maxDailyLoss: number): RiskRule {
  requirePositive('daily-loss-limit', 'maxDailyLoss', maxDailyLoss);
  return {
    name: 'daily-loss-limit',
    check: (_intent, ctx) => {
      const midnight = Math.floor(ctx.now / DAY_MS) * DAY_MS;
      const pnl = ctx.realizedPnlSince(midnight);
      return pnl <= -maxDailyLoss
        ? `realized loss today is ${(-pnl).toFixed(2)}, at or beyond the daily limit of ${maxDailyLoss}`
        : undefined;
    },
  };
}
