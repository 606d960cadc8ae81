/**
 * One closed trade as the metrics read it: entry and exit times and prices, size, and the realized PnL net of
 * every fee (quote currency). A position closed in several legs (a TP ladder) is one trade with its
 * quantity-weighted average exit price.
 *
 * @example
 * ```ts
 * const t: TradeRecord = { symbol: 'BTC/USDT:USDT', side: 'long', entryTs: 0, exitTs: 3_600_000,
 *   entryPrice: 100, exitPrice: 102, qty: 10, pnl: 19.2, fees: 0.8, exitReason: 'tp3' };
 * ```
 */
export interface TradeRecord {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  /** When the position opened (Unix ms, UTC). */
  readonly entryTs: number;
  /** When the position went flat (Unix ms, UTC). */
  readonly exitTs: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Largest size the position reached (base units). */
  readonly qty: number;
  /** Realized PnL net of all fees, in the quote currency. */
  readonly pnl: number;
  /** Fees paid by the trade (entry and exit), in the quote currency. */
  readonly fees: number;
  /** The leg that closed the position: `tp3`, `stop_loss`, `liquidation`, … */
  readonly exitReason: string;
}

/**
 * An equity curve: `equity[i]` is the account value (balance + unrealized PnL) at time `ts[i]` (Unix ms, ascending).
 * Plain arrays or typed arrays.
 *
 * @example
 * ```ts
 * const curve: EquitySeries = { ts: [0, 86_400_000], equity: [10_000, 10_100] };
 * ```
 */
export interface EquitySeries {
  readonly ts: ArrayLike<number>;
  readonly equity: ArrayLike<number>;
}

/** Milliseconds in one UTC day. */
export const DAY_MS = 86_400_000;
