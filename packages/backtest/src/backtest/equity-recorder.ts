import type { Candle, DomainEvent, FundingPayment, Portfolio, SymbolId, UnixMillis } from '@quantum-trader/core';

/**
 * Samples the account after every candle close (once per close time, after the venue matched the candle and the
 * kernel marked the portfolio): total equity including funding, and each symbol's cumulative PnL (closed trades,
 * funding and the open position marked at the last close) for the per-symbol daily returns.
 *
 * @internal
 */
export class EquityRecorder {
  readonly ts: number[] = [];
  readonly equity: number[] = [];
  /** Per symbol, one value per sample in {@link ts}. */
  readonly symbolPnl: number[][];
  fundingTotal = 0;
  private readonly index = new Map<SymbolId, number>();
  private readonly closed: Float64Array;
  private readonly funding: Float64Array;
  private readonly marks: Float64Array;

  constructor(
    private readonly symbols: readonly SymbolId[],
    private readonly portfolio: Portfolio,
    start: UnixMillis,
    initialBalance: number,
  ) {
    symbols.forEach((s, i) => this.index.set(s, i));
    this.closed = new Float64Array(symbols.length);
    this.funding = new Float64Array(symbols.length);
    this.marks = new Float64Array(symbols.length).fill(Number.NaN);
    this.symbolPnl = symbols.map(() => [0]);
    this.ts.push(start);
    this.equity.push(initialBalance);
  }

  onEvent(e: DomainEvent): void {
    if (e.type !== 'PositionClosed') return;
    const i = this.index.get(e.symbol);
    if (i !== undefined) this.closed[i] = this.closed[i]! + e.realizedPnl;
  }

  onFunding(p: FundingPayment): void {
    this.fundingTotal += p.amount;
    const i = this.index.get(p.symbol);
    if (i !== undefined) this.funding[i] = this.funding[i]! + p.amount;
  }

  onCandle(symbol: SymbolId, candle: Candle, now: UnixMillis): void {
    const i = this.index.get(symbol);
    if (i !== undefined) this.marks[i] = candle.close;
    const e = this.portfolio.equity() + this.fundingTotal;
    const n = this.ts.length;
    const same = this.ts[n - 1] === now;
    if (same) this.equity[n - 1] = e;
    else {
      this.ts.push(now);
      this.equity.push(e);
    }
    for (let k = 0; k < this.symbols.length; k++) {
      const v = this.symbolValue(k);
      const row = this.symbolPnl[k]!;
      if (same) row[row.length - 1] = v;
      else row.push(v);
    }
  }

  private symbolValue(k: number): number {
    let v = this.closed[k]! + this.funding[k]!;
    const p = this.portfolio.position(this.symbols[k]!);
    if (p !== undefined) {
      const mark = Number.isNaN(this.marks[k]!) ? p.entryPrice : this.marks[k]!;
      v += p.realizedPnl + (p.side === 'long' ? mark - p.entryPrice : p.entryPrice - mark) * p.qty;
    }
    return v;
  }
}
