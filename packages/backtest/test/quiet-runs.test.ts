import { describe, expect, it } from 'vitest';
import { backtest, type BacktestOptions } from '../src/index.js';
import { realData } from './helpers.js';

// backtest() hands quiet stretches of candles to the engine at once (quiet runs, on by default). Nothing a user
// sees may change: events, trades, metrics, the equity curve and the summary are compared with every candle
// delivered as an event (`quietRuns: false`).
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'BNB/USDT'];

async function expectSame(options: BacktestOptions): Promise<void> {
  const runs = await backtest(options);
  const single = await backtest({ ...options, quietRuns: false });
  expect(runs.trades.length).toBeGreaterThan(5);
  expect(runs.events).toEqual(single.events);
  expect(runs.trades).toEqual(single.trades);
  expect(runs.equity).toEqual(single.equity);
  expect(runs.metrics).toEqual(single.metrics);
  expect(runs.summary()).toBe(single.summary());
}

describe('backtest() with quiet runs', () => {
  it('three symbols on one balance, ambiguous candles refined with 1m, volume slippage: same result', async () => {
    await expectSame({
      data: realData('5m', SYMBOLS, '2021-04-02', '2021-05-14'),
      refine: realData('1m', SYMBOLS, '2021-04-02', '2021-05-14'),
      from: '2021-04-04',
      to: '2021-05-13',
      slippage: { bps: 2, impactBps: 20 },
      allowGaps: true, // real data: an exchange outage on 2021-04-20 is in the range
    });
  });

  it('spot with order latency, and perpetuals paying funding every 8 h: same result', async () => {
    const data = realData('5m', ['ETH/USDT'], '2021-02-01', '2021-04-01');
    await expectSame({ data, marketType: 'spot', latencyMs: 2_000, allowGaps: true });
    const fundingRates = { 'ETH/USDT': Array.from({ length: 180 }, (_, i) => ({ ts: Date.UTC(2021, 1, 1) + i * 8 * 3_600_000, rate: 0.0001 * ((i % 7) - 3) })) };
    await expectSame({ data, fundingRates, risk: { leverage: 3 }, allowGaps: true });
  });
});
