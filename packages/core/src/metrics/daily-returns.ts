import { DAY_MS, type EquitySeries } from './metric-inputs.js';

/**
 * End-of-day equity: for every UTC day from the first sample's day to the last sample's day, the last equity
 * sampled before that day ended (carried forward over days without a sample). `start` is the first sample, the
 * value the first day's return is measured against.
 *
 * @example
 * ```ts
 * dailyEquity({ ts: [0, 3_600_000, 90_000_000], equity: [100, 101, 103] });
 * // { start: 100, days: [0, 86_400_000], equity: [101, 103] }
 * ```
 */
export function dailyEquity(curve: EquitySeries): { start: number; days: number[]; equity: number[] } {
  const n = Math.min(curve.ts.length, curve.equity.length);
  if (n === 0) return { start: Number.NaN, days: [], equity: [] };
  const days: number[] = [];
  const equity: number[] = [];
  const firstDay = Math.floor(curve.ts[0]! / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(curve.ts[n - 1]! / DAY_MS) * DAY_MS;
  let i = 0;
  let last = curve.equity[0]!;
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    const end = day + DAY_MS;
    while (i < n && curve.ts[i]! < end) last = curve.equity[i++]!;
    days.push(day);
    equity.push(last);
  }
  return { start: curve.equity[0]!, days, equity };
}

/**
 * Daily returns of an equity curve: `r_d = E_d / E_{d−1} − 1`, where `E_d` is the end-of-day equity of UTC day
 * `d` ({@link dailyEquity}) and `E_{−1}` is the first sample. One return per calendar day, flat days included
 * (a day without trading is a 0 % day, as it is for the account).
 *
 * @example
 * ```ts
 * dailyReturns({ ts: [0, 3_600_000, 90_000_000], equity: [100, 101, 103] }); // [0.01, 0.0198…]
 * ```
 */
export function dailyReturns(curve: EquitySeries): number[] {
  const { start, equity } = dailyEquity(curve);
  const out: number[] = [];
  let prev = start;
  for (const e of equity) {
    out.push(prev === 0 ? 0 : e / prev - 1);
    prev = e;
  }
  return out;
}
