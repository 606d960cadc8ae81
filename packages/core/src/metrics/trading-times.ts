import type { TradeRecord } from './metric-inputs.js';

/** Best and worst entry times of a set of trades, see {@link tradingTimes}. */
export interface TradingTimes {
  /** UTC hour of day (0–23) whose entries earned the most in total; undefined without trades. */
  readonly bestHour: number | undefined;
  readonly worstHour: number | undefined;
  /** UTC weekday (0 = Sunday … 6 = Saturday) whose entries earned the most in total. */
  readonly bestWeekday: number | undefined;
  readonly worstWeekday: number | undefined;
  /** Net PnL of the trades entered in each UTC hour (24 values) and each weekday (7 values). */
  readonly pnlByHour: readonly number[];
  readonly pnlByWeekday: readonly number[];
}

/**
 * When to trade: trades are grouped by the UTC hour and weekday of their **entry** (the moment a decision is made)
 * and each group's PnL is summed; best = the group with the highest sum, worst = the lowest. Only groups with at
 * least one trade compete; ties go to the earlier hour/day.
 *
 * @example
 * ```ts
 * const { bestHour, worstWeekday } = tradingTimes(trades);
 * ```
 */
export function tradingTimes(trades: readonly TradeRecord[]): TradingTimes {
  const byHour = new Array<number>(24).fill(0);
  const byDay = new Array<number>(7).fill(0);
  const hourSeen = new Array<boolean>(24).fill(false);
  const daySeen = new Array<boolean>(7).fill(false);
  for (const t of trades) {
    const d = new Date(t.entryTs);
    const h = d.getUTCHours();
    const w = d.getUTCDay();
    byHour[h]! += t.pnl;
    byDay[w]! += t.pnl;
    hourSeen[h] = true;
    daySeen[w] = true;
  }
  return {
    bestHour: argBest(byHour, hourSeen, 1),
    worstHour: argBest(byHour, hourSeen, -1),
    bestWeekday: argBest(byDay, daySeen, 1),
    worstWeekday: argBest(byDay, daySeen, -1),
    pnlByHour: byHour,
    pnlByWeekday: byDay,
  };
}

function argBest(values: readonly number[], seen: readonly boolean[], sign: 1 | -1): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < values.length; i++) {
    if (!seen[i]) continue;
    if (best === undefined || sign * values[i]! > sign * values[best]!) best = i;
  }
  return best;
}
