import { floorToStep, type Instrument } from '../model/instrument.js';
import type { SignalGenerated } from '../model/events.js';
import type { RiskContext } from './risk-rule.js';

/**
 * Decides the quantity of a new position (in base units, floored to the instrument's lot step). Returning 0
 * means "too small to trade" and the intent is denied by the `position-size` check.
 *
 * @example
 * ```ts
 * const sizer: PositionSizer = (signal, instrument) => floorToStep(500 / signal.price, instrument.lotStep);
 * ```
 */
export type PositionSizer = (signal: SignalGenerated, instrument: Instrument, ctx: RiskContext) => number;

/**
 * Sizes every position to the same notional (qty × price), e.g. the user's $1000 per trade, capped at `maxEquityFraction`
 * of the current equity (default 1 = no cap beyond equity × leverage).
 *
 * @example
 * ```ts
 * const sizer = fixedNotionalSizer(1000);
 * ```
 */
export function fixedNotionalSizer(notional: number, leverage = 1, maxEquityFraction = 1): PositionSizer {
  return (signal, instrument, ctx) => {
    const cap = Math.max(0, ctx.equity) * maxEquityFraction * leverage;
    const target = Math.min(notional, cap);
    return floorToStep(target / signal.price, instrument.lotStep);
  };
}
