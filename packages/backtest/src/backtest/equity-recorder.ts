import {
  RunCloses,
  TIMEFRAME_MS,
  type AbsorbedRun,
  type Candle,
  type DomainEvent,
  type FundingPayment,
  type MarketData,
  type Portfolio,
  type SymbolId,
  type UnixMillis,
} from '@quantum-trader/core';
import type { SchedulerLike, Subscription } from 'rxjs';

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

  /**
   * Samples after every candle of `market`. On a replay with quiet runs it takes part in them (it never acts on a
   * candle, so it is always quiet): the candles of a run are noted per symbol, and when the run is over
   * (`skipped`) the samples are taken at every close time of the run, in time order, each symbol — and the
   * portfolio — marked at its latest close by then. That is the sample candle-by-candle delivery leaves at each
   * close time, so the curve is the same point for point.
   */
  attach(market: MarketData, scheduler: SchedulerLike): Subscription {
    const tf = TIMEFRAME_MS[market.timeframe];
    const runs: AbsorbedRun[] = [];
    const next = (e: { symbol: SymbolId; candle: Candle }): void => this.onCandle(e.symbol, e.candle.close, scheduler.now());
    return (
      market.subscribeRuns?.({
        next,
        quietUntil: (_symbol, _cols, _from, to) => to,
        absorb: (symbol, cols, from, to) => {
          runs.push({ symbol, candles: cols, from, to });
        },
        skipped: () => {
          this.sampleRuns(runs, tf);
          runs.length = 0;
        },
      }) ?? market.candles$.subscribe(next)
    );
  }

  /** The samples of absorbed runs: one per close time, in time order, every symbol marked at its latest close. */
  private sampleRuns(runs: readonly AbsorbedRun[], tf: number): void {
    const walk = new RunCloses(runs, tf);
    let symbol: SymbolId | undefined;
    let close = 0;
    const mark = (s: SymbolId, c: number): void => {
      this.portfolio.mark(s, c);
      const i = this.index.get(s);
      if (i !== undefined) this.marks[i] = c;
      symbol = s;
      close = c;
    };
    walk.before((s, c) => this.portfolio.mark(s, c)); // the kernel marked the runs' last closes already
    for (let t = walk.next(); t !== Number.POSITIVE_INFINITY; t = walk.next()) {
      walk.passUntil(t, mark);
      this.onCandle(symbol!, close, t);
    }
  }


  onCandle(symbol: SymbolId, close: number, now: UnixMillis): void {
    const i = this.index.get(symbol);
    if (i !== undefined) this.marks[i] = close;
    const e = this.portfolio.equity(); // funding included: the kernel books FundingPaid in the portfolio
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
