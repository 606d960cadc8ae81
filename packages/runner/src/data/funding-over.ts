import { constantFunding, type Candle, type FundingRate } from '@quantum-trader/core';

/**
 * One constant funding rate on Binance's 8-hour grid over each series' candles: the simulated exchange's
 * `fundingRates` of a paper run or a backtest given `exchange.fundingRate` (internal to the runner).
 */
export function fundingOver(series: readonly { readonly symbol: string; readonly candles: readonly Candle[] }[], rate: number): Record<string, FundingRate[]> {
  const out: Record<string, FundingRate[]> = {};
  for (const s of series) out[s.symbol] = constantFunding(s.candles[0]?.ts ?? 0, s.candles[s.candles.length - 1]?.ts ?? 0, rate);
  return out;
}
