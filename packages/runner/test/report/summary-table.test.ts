import { symbolId } from '@quantum-trader/core';
import { describe, expect, it } from 'vitest';
import type { PaperRunSummary } from '../../src/paper/paper-types.js';
import { formatMoney, renderSummaryTable } from '../../src/report/summary-table.js';

const summary: PaperRunSummary = {
  from: Date.UTC(2021, 0, 1),
  to: Date.UTC(2021, 1, 1),
  trades: 12,
  wins: 7,
  losses: 5,
  winRate: 7 / 12,
  realizedPnl: 123.456,
  unrealizedPnl: -4.5,
  funding: 0,
  initialBalance: 10_000,
  finalEquity: 10_118.96,
  maxDrawdown: 0.0321,
  openPositions: 1,
  ordersDenied: 3,
  events: 456,
  dbPath: '/tmp/paper.sqlite',
  perSymbol: [
    { symbol: symbolId('BTC/USDT:USDT'), trades: 8, winRate: 0.625, realizedPnl: 150 },
    { symbol: symbolId('ETH/USDT:USDT'), trades: 4, winRate: 0.5, realizedPnl: -26.54 },
    { symbol: symbolId('BNB/USDT:USDT'), trades: 0, winRate: Number.NaN, realizedPnl: 0 },
  ],
};

describe('renderSummaryTable', () => {
  it('renders the run and the per-symbol tables', () => {
    expect(renderSummaryTable(summary)).toMatchInlineSnapshot(`
      "┌───────────────────────┬─────────────────────────────────────┐
      │ Paper run             │                              Result │
      ├───────────────────────┼─────────────────────────────────────┤
      │ Period (UTC)          │ 2021-01-01 00:00 → 2021-02-01 00:00 │
      │ Trades (closed)       │                  12 (7 won, 5 lost) │
      │ Win rate              │                             58.33 % │
      │ Realized PnL          │                             +123.46 │
      │ Unrealized PnL        │                               -4.50 │
      │ Final equity          │                 10,118.96 (+1.19 %) │
      │ Max drawdown          │                              3.21 % │
      │ Open positions        │                                   1 │
      │ Orders denied by risk │                                   3 │
      │ Events journalled     │                                 456 │
      └───────────────────────┴─────────────────────────────────────┘
      ┌───────────────┬────────┬──────────┬──────────────┐
      │ Symbol        │ Trades │ Win rate │ Realized PnL │
      ├───────────────┼────────┼──────────┼──────────────┤
      │ BTC/USDT:USDT │      8 │  62.50 % │      +150.00 │
      │ ETH/USDT:USDT │      4 │  50.00 % │       -26.54 │
      │ BNB/USDT:USDT │      0 │      n/a │         0.00 │
      └───────────────┴────────┴──────────┴──────────────┘"
    `);
  });

  it('shows the funding between unrealized PnL and final equity when some was paid or received', () => {
    const lines = renderSummaryTable({ ...summary, funding: -12.34 }).split('\n');
    const at = (label: string) => lines.findIndex((l) => l.startsWith(`│ ${label}`));
    expect(lines[at('Funding')]).toMatch(/│ Funding\s+│\s+-12\.34 │/);
    expect(at('Funding')).toBe(at('Unrealized PnL') + 1);
    expect(at('Final equity')).toBe(at('Funding') + 1);
  });

  it('shows n/a for the win rate of a run without trades, and no colour codes unless asked', () => {
    const text = renderSummaryTable({ ...summary, trades: 0, wins: 0, losses: 0, winRate: Number.NaN, perSymbol: [] });
    expect(text).toMatch(/│ Win rate\s+│\s+n\/a │/);
    expect(text).not.toContain('\u001b[');
  });
});

describe('formatMoney', () => {
  it.each([
    [0, '0.00'],
    [-0.001, '0.00'],
    [1234567.891, '1,234,567.89'],
    [-5.5, '-5.50'],
    [Number.NaN, 'n/a'],
  ])('formats %s as %s', (x, text) => {
    expect(formatMoney(x)).toBe(text);
  });
});
