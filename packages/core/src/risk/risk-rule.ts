import type { SymbolId, UnixMillis } from '../model/ids.js';
import type { TradeIntent } from '../model/orders.js';

/**
 * What a risk rule may look at: a read-only view of the portfolio and of what is in flight.
 */
export interface RiskContext {
  readonly now: UnixMillis;
  /** Equity (balance + unrealized PnL) in the quote currency. */
  readonly equity: number;
  /** Number of open positions plus entries in flight. */
  readonly openPositions: number;
  /** True if the symbol has an open position or an entry in flight. */
  hasExposure(symbol: SymbolId): boolean;
  /** When the last position of the symbol closed, if ever. */
  lastClosedAt(symbol: SymbolId): UnixMillis | undefined;
  /** Realized PnL (net of fees) of positions closed since `since`. */
  realizedPnlSince(since: UnixMillis): number;
}

/**
 * A risk rule plugin: returns `undefined` to let the intent pass, or a sentence saying why it is refused (which
 * becomes an `OrderDenied` event naming the rule).
 *
 * @example
 * ```ts
 * const noWeekends: RiskRule = {
 *   name: 'no-weekends',
 *   check: (intent) => (new Date(intent.ts).getUTCDay() % 6 === 0 ? 'no trading at weekends' : undefined),
 * };
 * ```
 */
export interface RiskRule {
  readonly name: string;
  check(intent: TradeIntent, ctx: RiskContext): string | undefined;
}
