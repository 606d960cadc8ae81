/**
 * Everything a report is drawn from: the equity curve, the formatted metric rows, the per-symbol table and, per
 * symbol, its candles and closed trades. Timestamps are epoch milliseconds (UTC); the drawdown is computed from
 * `equity`, so callers never pass it.
 *
 * @example
 * ```ts
 * const input: ReportInput = {
 *   title: 'Backtest — momentum',
 *   equity: { ts: [0, 60_000], equity: [10_000, 10_050] },
 *   metrics: [{ label: 'Net profit', value: '50.00' }],
 *   perSymbol: { columns: ['Symbol', 'Trades'], rows: [['BTC/USDT:USDT', 1]] },
 *   symbols: [],
 * };
 * ```
 */
export interface ReportInput {
  readonly title: string;
  readonly subtitle?: string;
  readonly equity: { readonly ts: number[]; readonly equity: number[] };
  readonly metrics: { readonly label: string; readonly value: string }[];
  readonly perSymbol: { readonly columns: string[]; readonly rows: (string | number)[][] };
  readonly symbols: {
    readonly symbol: string;
    readonly candles: { ts: number[]; open: number[]; high: number[]; low: number[]; close: number[] };
    readonly trades: {
      side: 'long' | 'short';
      entryTs: number;
      entryPrice: number;
      exitTs: number;
      exitPrice: number;
      pnl: number;
      exitReason: string;
    }[];
  }[];
}
