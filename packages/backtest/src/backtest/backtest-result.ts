import {
  QuantumTraderError,
  type Candle,
  type DomainEvent,
  type FundingPayment,
  type SymbolStatistics,
  type Timeframe,
  type TradeRecord,
} from '@quantum-trader/core';
import { renderTable } from '../format/render-table.js';
import type { ReportInput } from '../report/report-input.js';
import { duration, time } from '../format/format-values.js';
import { metricRows, PER_SYMBOL_COLUMNS, perSymbolRow, type BacktestMetrics } from './backtest-metrics.js';

/** One closed trade of a backtest (a position from its entry until it went flat). */
export interface BacktestTrade extends TradeRecord {
  readonly positionId: string;
  readonly leverage: number;
}

/** What was run: the resolved settings a result was produced from. */
export interface BacktestRunInfo {
  readonly symbols: readonly string[];
  readonly timeframe: Timeframe;
  /** Open time of the first traded candle, and the end of the traded range (exclusive). */
  readonly from: number;
  readonly to: number;
  /** `momentum lookbackHours=24 …` */
  readonly strategy: string;
  /** Name and full parameter set of a registered strategy (undefined for a Strategy object). */
  readonly strategyName: string | undefined;
  readonly params: Readonly<Record<string, number>>;
  readonly initialBalance: number;
  readonly quote: string;
}

/**
 * Each symbol's PnL per UTC day (closed trades, funding and the change in the open position's value), the series
 * the diversification score correlates.
 */
export interface DailySymbolPnl {
  /** UTC midnight of each day. */
  readonly days: readonly number[];
  readonly symbols: readonly string[];
  /** `pnl[k][d]`: PnL of `symbols[k]` on `days[d]`. */
  readonly pnl: readonly (readonly number[])[];
}

/** The candles a result was computed on (the traded range), kept for the report's price charts. */
export interface TradedSeries {
  readonly symbol: string;
  readonly candles: readonly Candle[];
}

/**
 * The outcome of {@link backtest}: trades, equity curve, metrics, per-symbol statistics, every journalled event,
 * a terminal summary and the HTML report.
 *
 * @example
 * ```ts
 * const result = await backtest({ data });
 * console.log(result.summary());
 * console.log(result.metrics.sharpe, result.trades.length);
 * await result.report('out/report.html');
 * ```
 */
export class BacktestResult {
  constructor(
    readonly run: BacktestRunInfo,
    readonly trades: readonly BacktestTrade[],
    /** Equity after every candle close (plus the start), including unrealized PnL and funding. */
    readonly equity: { readonly ts: readonly number[]; readonly equity: readonly number[] },
    readonly metrics: BacktestMetrics,
    readonly perSymbol: readonly SymbolStatistics[],
    /** Every event the kernel journalled, in journal order (the golden log). */
    readonly events: readonly DomainEvent[],
    readonly funding: readonly FundingPayment[],
    readonly dailyPnl: DailySymbolPnl,
    private readonly series: readonly TradedSeries[],
  ) {}

  /**
   * A readable summary: what ran, the metrics, and the per-symbol table.
   *
   * @example
   * ```ts
   * console.log(result.summary());
   * ```
   */
  summary(): string {
    const r = this.run;
    const rows = metricRows(this.metrics);
    const half = Math.ceil(rows.length / 2);
    const paired = rows.slice(0, half).map((a, i) => {
      const b = rows[half + i];
      return [a.label, a.value, b?.label ?? '', b?.value ?? ''];
    });
    return [
      `Backtest: ${r.strategy}`,
      `${r.symbols.join(', ')} · ${r.timeframe} · ${time(r.from)} → ${time(r.to)} UTC (${duration(r.to - r.from)}) · start ${r.initialBalance} ${r.quote}`,
      renderTable(['Metric', 'Value', 'Metric', 'Value'], paired, ['left', 'right', 'left', 'right']),
      'Per symbol (times of day and weekdays are UTC, by entry):',
      renderTable([...PER_SYMBOL_COLUMNS], this.perSymbol.map(perSymbolRow), ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left']),
    ].join('\n');
  }

  /**
   * The metrics as plain data (what `quantum-trader backtest --json` prints; NaN becomes null in JSON).
   *
   * @example
   * ```ts
   * JSON.stringify(result.toJSON());
   * ```
   */
  toJSON(): { readonly run: BacktestRunInfo; readonly metrics: BacktestMetrics; readonly perSymbol: readonly SymbolStatistics[] } {
    return { run: this.run, metrics: this.metrics, perSymbol: this.perSymbol };
  }

  /**
   * Writes the self-contained HTML report (equity curve, drawdown, price charts with entries and exits, metric and
   * per-symbol tables) to `path`, through `@quantum-trader/report` (loaded only when called).
   *
   * @example
   * ```ts
   * await result.report('reports/btc-momentum.html');
   * ```
   */
  async report(path: string, options: { readonly title?: string } = {}): Promise<void> {
    // Loaded on demand: the charting library stays out of runs that never draw a report.
    const specifier = '@quantum-trader/report';
    let mod: { writeReport(input: ReportInput, path: string): Promise<void> };
    try {
      mod = (await import(specifier)) as typeof mod;
    } catch (err) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `report(${path}): the HTML report needs the @quantum-trader/report package (${(err as Error).message}); install it next to @quantum-trader/backtest`,
        { cause: err },
      );
    }
    await mod.writeReport(this.reportInput(options.title), path);
  }

  /** The data handed to the report package. @internal */
  reportInput(title?: string): ReportInput {
    const r = this.run;
    return {
      title: title ?? `Backtest — ${r.strategy}`,
      subtitle: `${r.symbols.join(', ')} · ${r.timeframe} · ${time(r.from)} → ${time(r.to)} UTC`,
      equity: { ts: [...this.equity.ts], equity: [...this.equity.equity] },
      metrics: metricRows(this.metrics),
      perSymbol: { columns: [...PER_SYMBOL_COLUMNS], rows: this.perSymbol.map(perSymbolRow) },
      symbols: this.series.map((s) => {
        const n = s.candles.length;
        const cols = { ts: new Array<number>(n), open: new Array<number>(n), high: new Array<number>(n), low: new Array<number>(n), close: new Array<number>(n) };
        for (let i = 0; i < n; i++) {
          const c = s.candles[i]!;
          cols.ts[i] = c.ts;
          cols.open[i] = c.open;
          cols.high[i] = c.high;
          cols.low[i] = c.low;
          cols.close[i] = c.close;
        }
        return {
          symbol: s.symbol,
          candles: cols,
          trades: this.trades
            .filter((t) => t.symbol === s.symbol)
            .map((t) => ({ side: t.side, entryTs: t.entryTs, entryPrice: t.entryPrice, exitTs: t.exitTs, exitPrice: t.exitPrice, pnl: t.pnl, exitReason: t.exitReason })),
        };
      }),
    };
  }
}
