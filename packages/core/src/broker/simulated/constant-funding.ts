import type { UnixMillis } from '../../model/ids.js';
import type { FundingRate } from './simulated-funding.js';

/** Binance USDⓈ-M perpetuals settle funding every 8 hours, at 00:00, 08:00 and 16:00 UTC. */
const EIGHT_HOURS = 8 * 3_600_000;

/**
 * A funding-rate series at one constant rate on Binance's 8-hour grid (00:00, 08:00, 16:00 UTC) from `from` to `to`
 * inclusive, for the simulated exchange's `fundingRates` when no real series is at hand (paper runs, backtests).
 *
 * @example
 * ```ts
 * const rates = constantFunding(Date.UTC(2021, 0, 1), Date.UTC(2021, 0, 2), 0.0001);
 * rates.length; // 4: 00:00, 08:00, 16:00 and the next 00:00
 * new SimulatedExchange({ instruments, balances, scheduler, fundingRates: { 'BTC/USDT:USDT': rates } });
 * ```
 */
export function constantFunding(from: UnixMillis, to: UnixMillis, rate: number): FundingRate[] {
  const out: FundingRate[] = [];
  for (let t = Math.ceil(from / EIGHT_HOURS) * EIGHT_HOURS; t <= to; t += EIGHT_HOURS) out.push({ ts: t, rate });
  return out;
}
