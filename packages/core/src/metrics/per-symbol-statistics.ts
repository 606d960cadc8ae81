import type { TradeRecord } from './metric-inputs.js';
import { tradeStatistics } from './trade-statistics.js';
import { tradingTimes } from './trading-times.js';

/** One symbol's line of the per-symbol table, see {@link perSymbolStatistics}. */
export interface SymbolStatistics {
  readonly symbol: string;
  readonly trades: number;
  /** 0..1; NaN without trades. */
  readonly winRate: number;
  /** Net PnL of the symbol's trades (quote currency). */
  readonly netProfit: number;
  /** Average PnL per trade (quote currency); NaN without trades. */
  readonly averageProfit: number;
  /**
   * Largest peak-to-trough fall of the symbol's cumulative realized PnL (starting at 0, in trade-close order), in
   * the quote currency.
   */
  readonly maxDrawdown: number;
  readonly fees: number;
  /** UTC hour / weekday of entry with the best and worst summed PnL (see `tradingTimes`). */
  readonly bestHour: number | undefined;
  readonly worstHour: number | undefined;
  readonly bestWeekday: number | undefined;
  readonly worstWeekday: number | undefined;
}

/**
 * Per-symbol statistics: trades, win rate, net and average profit, max drawdown of the symbol's realized PnL,
 * fees, and the best and worst UTC hour and weekday to enter. `symbols` fixes the order (and lists symbols without
 * trades); by default the order of first appearance.
 *
 * @example
 * ```ts
 * for (const s of perSymbolStatistics(trades)) console.log(s.symbol, s.trades, s.winRate, s.bestHour);
 * ```
 */
export function perSymbolStatistics(
  trades: readonly TradeRecord[],
  symbols?: readonly string[],
): SymbolStatistics[] {
  const order = symbols !== undefined ? [...symbols] : [];
  const groups = new Map<string, TradeRecord[]>();
  for (const s of order) groups.set(s, []);
  for (const t of trades) {
    let g = groups.get(t.symbol);
    if (g === undefined) {
      g = [];
      groups.set(t.symbol, g);
      order.push(t.symbol);
    }
    g.push(t);
  }
  return order.map((symbol) => {
    const list = groups.get(symbol)!;
    const stats = tradeStatistics(list);
    const times = tradingTimes(list);
    return {
      symbol,
      trades: stats.trades,
      winRate: stats.winRate,
      netProfit: stats.netProfit,
      averageProfit: stats.expectancy,
      maxDrawdown: realizedDrawdown(list),
      fees: stats.fees,
      bestHour: times.bestHour,
      worstHour: times.worstHour,
      bestWeekday: times.bestWeekday,
      worstWeekday: times.worstWeekday,
    };
  });
}

function realizedDrawdown(trades: readonly TradeRecord[]): number {
  const sorted = [...trades].sort((a, b) => a.exitTs - b.exitTs);
  let cum = 0;
  let peak = 0;
  let worst = 0;
  for (const t of sorted) {
    cum += t.pnl;
    if (cum > peak) peak = cum;
    if (peak - cum > worst) worst = peak - cum;
  }
  return worst;
}
