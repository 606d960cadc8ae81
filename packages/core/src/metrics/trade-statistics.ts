import type { TradeRecord } from './metric-inputs.js';
import { mean, sampleStdDev } from './statistics.js';

/** Statistics of a list of closed trades, see {@link tradeStatistics}. */
export interface TradeStatistics {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  /** `wins / trades` (a win is a trade with PnL > 0 after fees); NaN without trades. */
  readonly winRate: number;
  /** Sum of trade PnL (net of fees). */
  readonly netProfit: number;
  readonly grossProfit: number;
  /** Sum of the losing trades' PnL, as a positive number. */
  readonly grossLoss: number;
  /** `grossProfit / grossLoss`; Infinity with profits and no loss; NaN without trades or with neither. */
  readonly profitFactor: number;
  /** Average PnL per trade (quote currency): what one more trade is expected to earn. NaN without trades. */
  readonly expectancy: number;
  /** Van Tharp's System Quality Number `√n × mean(PnL) / sd(PnL)` (sample sd); NaN for fewer than two trades. */
  readonly sqn: number;
  /** Mean of `exitTs − entryTs` in ms; NaN without trades. */
  readonly averageDurationMs: number;
  /** Fees paid by all trades. */
  readonly fees: number;
  readonly bestTrade: number;
  readonly worstTrade: number;
}

/**
 * Win rate, profit factor, expectancy, SQN, average duration and fees of closed trades.
 *
 * @example
 * ```ts
 * const s = tradeStatistics(trades);
 * console.log(s.winRate, s.profitFactor, s.sqn);
 * ```
 */
export function tradeStatistics(trades: readonly TradeRecord[]): TradeStatistics {
  const n = trades.length;
  let wins = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let fees = 0;
  let duration = 0;
  let best = Number.NaN;
  let worst = Number.NaN;
  const pnl: number[] = [];
  for (const t of trades) {
    pnl.push(t.pnl);
    if (t.pnl > 0) {
      wins++;
      grossProfit += t.pnl;
    } else {
      grossLoss -= t.pnl;
    }
    fees += t.fees;
    duration += t.exitTs - t.entryTs;
    if (!(t.pnl <= best)) best = t.pnl;
    if (!(t.pnl >= worst)) worst = t.pnl;
  }
  const sd = sampleStdDev(pnl);
  return {
    trades: n,
    wins,
    losses: n - wins,
    winRate: n === 0 ? Number.NaN : wins / n,
    netProfit: grossProfit - grossLoss,
    grossProfit,
    grossLoss,
    profitFactor: profitFactorOf(grossProfit, grossLoss),
    expectancy: mean(pnl),
    sqn: sd > 0 ? (Math.sqrt(n) * mean(pnl)) / sd : Number.NaN,
    averageDurationMs: n === 0 ? Number.NaN : duration / n,
    fees,
    bestTrade: best,
    worstTrade: worst,
  };
}

function profitFactorOf(profit: number, loss: number): number {
  if (loss > 0) return profit / loss;
  return profit > 0 ? Number.POSITIVE_INFINITY : Number.NaN;
}
