import { QuantumTraderError, type CandleColumns, type PositionSide } from '@quantum-trader/core';

/**
 * The exit rule simulated trades follow: the STANDARD_LADDER idea of the Exit Brain (take profits closing 30 %,
 * 30 % and 40 % at levels chosen from volatility, one stop loss on all that remains), with the simulated
 * exchange's fill rules and fees. The CLM does not import the Exit Brain (the two packages stay independent), so
 * the default levels are repeated here; pass `takeProfits` to use another source.
 *
 * @example
 * ```ts
 * const barrier: LadderBarrier = { ...DEFAULT_LADDER_BARRIER, stopLossPct: 0.025 };
 * ```
 */
export interface LadderBarrier {
  /** Stop distance from the entry as a fraction (default 0.02). */
  readonly stopLossPct: number;
  /** Share of the position each take profit closes (default 0.3, 0.3, 0.4). */
  readonly fractions: readonly number[];
  /** Take-profit distances for a 24 h realized volatility (default: {@link standardLadderTakeProfits}). */
  readonly takeProfits: (volatility: number) => readonly number[];
  /** Fee of market fills (entry, stop) as a fraction of notional (default 0.0004, Binance USDⓈ-M taker). */
  readonly takerFee: number;
  /** Fee of take-profit limit fills (default 0.0002, maker). */
  readonly makerFee: number;
  /** Adverse slippage of market-like fills as a fraction (default 0.0002 = the runner's 2 bps). */
  readonly slippage: number;
  /** A trade still open after this many candles is closed at that candle's close (default 14 days of 5 m). */
  readonly maxHoldCandles: number;
}

/**
 * Take-profit levels of the Exit Brain's STANDARD_LADDER for a 24 h realized volatility: below 2 % → +1.95 %,
 * +3.25 %, +5.20 %; above 5 % → +3 %, +5 %, +8 %; linearly interpolated in between; NaN → the low levels.
 *
 * @example
 * ```ts
 * standardLadderTakeProfits(0.035); // [0.02475, 0.04125, 0.066]
 * ```
 */
export function standardLadderTakeProfits(volatility: number): readonly number[] {
  const lo = [0.0195, 0.0325, 0.052];
  const hi = [0.03, 0.05, 0.08];
  if (!(volatility > 0.02)) return lo;
  if (volatility >= 0.05) return hi;
  const t = (volatility - 0.02) / 0.03;
  return lo.map((l, i) => Number((l + (hi[i]! - l) * t).toFixed(10)));
}

/**
 * The default barrier: the STANDARD_LADDER with the runner's default stop (2 %), fees of Binance USDⓈ-M futures and
 * 2 bps slippage.
 *
 * @example
 * ```ts
 * simulateLadderTrade(cols, i, 'long', 0.03, DEFAULT_LADDER_BARRIER);
 * ```
 */
export const DEFAULT_LADDER_BARRIER: LadderBarrier = Object.freeze({
  stopLossPct: 0.02,
  fractions: Object.freeze([0.3, 0.3, 0.4]),
  takeProfits: standardLadderTakeProfits,
  takerFee: 0.0004,
  makerFee: 0.0002,
  slippage: 0.0002,
  maxHoldCandles: 14 * 288,
});

/**
 * The outcome of one simulated trade.
 *
 * @example
 * ```ts
 * const t: SimulatedTrade | undefined = simulateLadderTrade(cols, i, 'long', vol, DEFAULT_LADDER_BARRIER);
 * const win = t !== undefined && t.ret > 0;
 * ```
 */
export interface SimulatedTrade {
  /** Net return on the entry notional, after fees and slippage (0.012 = +1.2 %). */
  readonly ret: number;
  /** Index of the candle in which the position went flat. */
  readonly exitIndex: number;
  /** `sl`, `tp<n>` (the last take profit) or `timeout`. */
  readonly exitReason: string;
}

/**
 * Simulates the trade a signal on candle `i` leads to, with the barrier rule:
 * 1. the market entry fills at the open of candle `i + 1`, slipped adversely, taker fee;
 * 2. the exit orders work from candle `i + 2` on (they are placed once the entry has filled);
 * 3. inside a candle the price goes open → adverse extreme → favourable extreme (the simulated exchange's
 *    `conservative` path), so a candle that touches both the stop and a take profit exits at the stop;
 * 4. a take profit fills at its level (maker fee), or at the open when the candle gaps through it; the stop fills
 *    at its level, or at a worse open on a gap, slipped adversely (taker fee), and closes all that remains;
 * 5. after `maxHoldCandles` the remainder is closed at the close (taker).
 * Returns `undefined` when the candles end before the trade does (no label yet).
 *
 * @example
 * ```ts
 * const t = simulateLadderTrade(cols, 500, 'long', 0.018, DEFAULT_LADDER_BARRIER);
 * if (t !== undefined) console.log(t.ret > 0 ? 'win' : 'loss', t.exitReason);
 * ```
 */
export function simulateLadderTrade(
  cols: CandleColumns,
  i: number,
  direction: PositionSide,
  volatility: number,
  barrier: LadderBarrier,
): SimulatedTrade | undefined {
  const n = cols.length;
  if (i + 2 >= n) return undefined;
  const tps = barrier.takeProfits(volatility);
  const fr = barrier.fractions;
  if (tps.length !== fr.length) {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      `ladder barrier: ${tps.length} take-profit levels for ${fr.length} fractions; give one level per fraction`,
    );
  }
  const s = direction === 'long' ? 1 : -1;
  const slip = barrier.slippage;
  const entry = cols.open[i + 1]! * (1 + s * slip);
  const stop = entry * (1 - s * barrier.stopLossPct);
  let remaining = 1;
  let pnl = -barrier.takerFee; // entry fee on the whole notional, as a fraction of it
  let next = 0; // next take profit to fill
  const last = Math.min(n - 1, i + 1 + barrier.maxHoldCandles);
  for (let j = i + 2; j <= last; j++) {
    const open = cols.open[j]!;
    const adverse = s === 1 ? cols.low[j]! : cols.high[j]!;
    const favourable = s === 1 ? cols.high[j]! : cols.low[j]!;
    // Adverse first: the stop.
    if (s * (adverse - stop) <= 0) {
      const px = (s * (open - stop) <= 0 ? open : stop) * (1 - s * slip);
      pnl += remaining * ((s * (px - entry)) / entry - (barrier.takerFee * px) / entry);
      return { ret: pnl, exitIndex: j, exitReason: 'sl' };
    }
    while (next < tps.length) {
      const level = entry * (1 + s * tps[next]!);
      if (s * (favourable - level) < 0) break;
      const px = s * (open - level) >= 0 ? open : level;
      const q = next === tps.length - 1 ? remaining : fr[next]!;
      pnl += q * ((s * (px - entry)) / entry - (barrier.makerFee * px) / entry);
      remaining -= q;
      next++;
      if (next === tps.length) return { ret: pnl, exitIndex: j, exitReason: `tp${next}` };
    }
  }
  if (last < i + 1 + barrier.maxHoldCandles) return undefined;
  const px = cols.close[last]! * (1 - s * slip);
  pnl += remaining * ((s * (px - entry)) / entry - (barrier.takerFee * px) / entry);
  return { ret: pnl, exitIndex: last, exitReason: 'timeout' };
}
