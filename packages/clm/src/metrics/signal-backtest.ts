import type { Dataset } from '../dataset/dataset.js';

/**
 * The result of trading a dataset's signals one position per symbol at a time.
 *
 * @example
 * ```ts
 * const r: SignalBacktest = backtestSignals(holdout, accept, 1000);
 * console.log(r.pnl, r.winRate, r.maxDrawdown);
 * ```
 */
export interface SignalBacktest {
  readonly trades: number;
  readonly wins: number;
  readonly winRate: number;
  /** Sum of the trades' net returns times the notional per trade. */
  readonly pnl: number;
  /** Largest fall of cumulative PnL from a previous peak (same unit as `pnl`, ≥ 0). */
  readonly maxDrawdown: number;
}

/**
 * Backtests the signals a filter would have taken: rows in time order; a row is traded when `accept[row]` is true
 * and its symbol has no position open (a taken trade blocks its symbol until its exit time), for `notional` each —
 * the kernel's one-position-per-symbol rule. Pass an all-true mask for "momentum alone".
 *
 * @example
 * ```ts
 * const all = backtestSignals(holdout, new Uint8Array(holdout.rows).fill(1), 1000);
 * const filtered = backtestSignals(holdout, probabilities.map((p) => (p >= threshold ? 1 : 0)), 1000);
 * ```
 */
export function backtestSignals(d: Dataset, accept: ArrayLike<number | boolean>, notional: number): SignalBacktest {
  const busyUntil = new Float64Array(d.symbols.length).fill(Number.NEGATIVE_INFINITY);
  let trades = 0;
  let wins = 0;
  let pnl = 0;
  let peak = 0;
  let maxDd = 0;
  for (let r = 0; r < d.rows; r++) {
    if (!accept[r]) continue;
    const s = d.symbolIndex[r]!;
    if (d.ts[r]! < busyUntil[s]!) continue;
    busyUntil[s] = d.exitTs[r]!;
    const ret = d.returns[r]!;
    trades++;
    if (ret > 0) wins++;
    pnl += ret * notional;
    if (pnl > peak) peak = pnl;
    if (peak - pnl > maxDd) maxDd = peak - pnl;
  }
  return { trades, wins, winRate: trades === 0 ? Number.NaN : wins / trades, pnl, maxDrawdown: maxDd };
}
