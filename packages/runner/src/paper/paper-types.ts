import type { ClmStatus } from '@quantum-trader/clm';
import type { Candle, SymbolId, UnixMillis } from '@quantum-trader/core';

/** Candles of one symbol loaded from a file, validated and sorted. */
export interface SymbolData {
  readonly symbol: SymbolId;
  /** Where the candles came from (file path), for messages. */
  readonly source: string;
  readonly candles: readonly Candle[];
}

/** Progress of a paper run, reported in virtual time. */
export interface PaperProgress {
  readonly now: UnixMillis;
  readonly from: UnixMillis;
  readonly to: UnixMillis;
  /** 0..1 */
  readonly fraction: number;
  readonly closedTrades: number;
  readonly equity: number;
}

/** Per-symbol line of the summary. */
export interface SymbolSummary {
  readonly symbol: SymbolId;
  readonly trades: number;
  readonly winRate: number;
  readonly realizedPnl: number;
}

/** What a finished paper run reports. */
export interface PaperRunSummary {
  readonly from: UnixMillis;
  readonly to: UnixMillis;
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  /** 0..1, NaN when there are no trades. */
  readonly winRate: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  /** Net funding booked on perpetual positions (negative = paid); 0 without `exchange.fundingRate`. */
  readonly funding: number;
  readonly initialBalance: number;
  readonly finalEquity: number;
  /** Largest peak-to-trough equity fall as a fraction of the peak (0.12 = 12 %). */
  readonly maxDrawdown: number;
  readonly openPositions: number;
  readonly ordersDenied: number;
  readonly events: number;
  readonly dbPath: string;
  readonly perSymbol: readonly SymbolSummary[];
  /** The CLM's status at the end of the run (only when `clm.enabled`). */
  readonly clm?: ClmStatus;
}
