/**
 * What the HTML report is drawn from — the interface agreed with `@quantum-trader/report`
 * (`writeReport(input, path)`); the report computes the drawdown from the equity curve itself.
 *
 * @internal
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
