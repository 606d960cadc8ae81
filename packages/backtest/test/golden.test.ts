import { describe, expect, it } from 'vitest';
import { backtest, type BacktestOptions } from '../src/index.js';
import { realData } from './helpers.js';

// The golden test: 16 days of real Binance data (BTC, ETH, BNB; 5m, ambiguous candles refined with 1m) through the
// whole engine. The same data and options must give the same event log, trades and metrics, every time.
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'BNB/USDT'];

describe('golden backtest on the repo’s real data', () => {
  it('gives identical events, trades and metrics twice', async () => {
    const options: BacktestOptions = {
      data: realData('5m', SYMBOLS, '2021-04-25', '2021-05-14'),
      refine: realData('1m', SYMBOLS, '2021-04-25', '2021-05-14'),
      from: '2021-04-27',
      to: '2021-05-13',
      slippage: { bps: 2, impactBps: 20 },
    };
    const a = await backtest(options);
    const b = await backtest(options);
    expect(a.trades.length).toBeGreaterThan(20);
    expect(new Set(a.trades.map((t) => t.symbol)).size).toBe(3);
    expect(b.events).toEqual(a.events);
    expect(b.trades).toEqual(a.trades);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.equity).toEqual(a.equity);
    expect(b.summary()).toBe(a.summary());
    // Internally consistent: the equity curve ends where the metrics say, trades sum to realized PnL of closed trades.
    expect(a.metrics.endEquity).toBe(a.equity.equity.at(-1));
    const closedPnl = a.events.filter((e) => e.type === 'PositionClosed').reduce((s, e) => s + (e.type === 'PositionClosed' ? e.realizedPnl : 0), 0);
    expect(a.trades.reduce((s, t) => s + t.pnl, 0)).toBeCloseTo(closedPnl, 6);
    expect(a.metrics.diversificationScore).toBeGreaterThanOrEqual(0);
  });
});
