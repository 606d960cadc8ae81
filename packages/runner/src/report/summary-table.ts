import Table from 'cli-table3';
import type { PaperRunSummary } from '../paper/paper-types.js';

/** Options of {@link renderSummaryTable}. */
export interface SummaryTableOptions {
  /** Colour the headers (only for a terminal). Default false. */
  readonly color?: boolean;
}

/**
 * Renders the result of a paper run as two terminal tables: the run (trades, win rate, realized and unrealized PnL,
 * final equity, max drawdown, open positions, orders denied, events journalled) and one line per symbol.
 *
 * @example
 * ```ts
 * import { renderSummaryTable } from '@quantum-trader/runner';
 *
 * process.stdout.write(renderSummaryTable(summary) + '\n');
 * ```
 */
export function renderSummaryTable(summary: PaperRunSummary, options: SummaryTableOptions = {}): string {
  const style = { compact: true, ...(options.color === true ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] }) };
  const run = new Table({ head: ['Paper run', 'Result'], style, colAligns: ['left', 'right'] });
  const returnPct = summary.initialBalance > 0 ? summary.finalEquity / summary.initialBalance - 1 : Number.NaN;
  run.push(
    ['Period (UTC)', `${formatDate(summary.from)} → ${formatDate(summary.to)}`],
    ['Trades (closed)', `${summary.trades} (${summary.wins} won, ${summary.losses} lost)`],
    ['Win rate', formatPercent(summary.winRate)],
    ['Realized PnL', formatSignedMoney(summary.realizedPnl)],
    ['Unrealized PnL', formatSignedMoney(summary.unrealizedPnl)],
    // funding only when some was paid or received (perpetuals with exchange.fundingRate)
    ...(summary.funding !== 0 ? [['Funding', formatSignedMoney(summary.funding)]] : []),
    ['Final equity', `${formatMoney(summary.finalEquity)} (${formatSignedPercent(returnPct)})`],
    ['Max drawdown', formatPercent(summary.maxDrawdown)],
    ['Open positions', String(summary.openPositions)],
    ['Orders denied by risk', String(summary.ordersDenied)],
    ['Events journalled', String(summary.events)],
  );

  const perSymbol = new Table({
    head: ['Symbol', 'Trades', 'Win rate', 'Realized PnL'],
    style,
    colAligns: ['left', 'right', 'right', 'right'],
  });
  for (const s of summary.perSymbol) {
    perSymbol.push([s.symbol, String(s.trades), formatPercent(s.winRate), formatSignedMoney(s.realizedPnl)]);
  }
  return `${run.toString()}\n${perSymbol.toString()}`;
}

/**
 * Money with two decimals and thousands separators: `10,234.50`.
 *
 * @example
 * ```ts
 * import { formatMoney } from '@quantum-trader/runner';
 *
 * formatMoney(10234.5); // '10,234.50'
 * ```
 */
export function formatMoney(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  // -0.004 rounds to "-0.00"; show it as 0.00
  const rounded = Math.round(x * 100) / 100;
  return (rounded === 0 ? 0 : rounded).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function formatSignedMoney(x: number): string {
  const text = formatMoney(x);
  return Number.isFinite(x) && Math.round(x * 100) > 0 ? `+${text}` : text;
}

function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(2)} %` : 'n/a';
}

function formatSignedPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  const text = formatPercent(fraction);
  return fraction > 0 && text !== '0.00 %' ? `+${text}` : text === '-0.00 %' ? '0.00 %' : text;
}

function formatDate(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts).toISOString().slice(0, 16).replace('T', ' ') : 'n/a';
}
