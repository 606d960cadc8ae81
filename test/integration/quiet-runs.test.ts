import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  binanceInstrument,
  candleColumnsFrom,
  loadCandlesCsv,
  momentumStrategy,
  standardRiskEngine,
  symbolId,
  type Candle,
  type CandleColumns,
  type SymbolId,
} from '@quantum-trader/core';
import { replayKernel } from './support/replay-kernel.js';

// Quiet runs are a shortcut: a replay hands a stretch of candles on which nothing can happen to every consumer at
// once. They must never change a result. Each case below runs the whole kernel on real candles twice — the venue
// attached with `attach()` (runs) and with a plain `candles$` subscription (every candle an event) — and compares
// the journals event for event, the portfolio's equity samples and the kernel's status.

const DATA = new URL('../../packages/runner/data/binance/', import.meta.url);
const load = (file: string, n: number): Candle[] => loadCandlesCsv(fileURLToPath(new URL(file, DATA))).slice(0, n);
const BTC5 = load('binance_BTCUSDT_5m_2020-12-01_2021-07-17.csv', 12_000);
const ETH5 = load('binance_ETHUSDT_5m_2020-12-01_2021-07-17.csv', 12_000);
const BNB5 = load('binance_BNBUSDT_5m_2021-01-01_2021-05-13.csv', 12_000);
const BTC1 = load('binance_BTCUSDT_1m_2021-04-02_2021-05-14.csv', 30_000);

interface Case {
  readonly series: readonly { readonly symbol: SymbolId; readonly candles: readonly Candle[] | CandleColumns }[];
  readonly timeframe: '1m' | '5m';
  readonly leverage?: number;
  readonly profile?: string;
  readonly latencyMs?: number;
  readonly portfolioSyncMs?: number;
  readonly cycleMs?: number;
  /** Advance the scheduler in chunks of this many ms (as the paper runner and backtest() do) instead of at once. */
  readonly chunkMs?: number;
}

function run(c: Case, quietRuns: boolean) {
  const instruments = c.series.map((s) => binanceInstrument(s.symbol));
  const { scheduler, market, exchange, journal, connect, kernel: kernelOf } = replayKernel({
    series: c.series,
    timeframe: c.timeframe,
    instruments,
    exchange: { slippageBps: 2, ...(c.latencyMs !== undefined ? { latencyMs: c.latencyMs } : {}) },
    kernel: {
      strategies: [momentumStrategy({ timeframe: c.timeframe })],
      risk: standardRiskEngine({ maxNotionalPerTrade: 1000, maxLeverage: 10, leverage: c.leverage ?? 2, maxOpenPositions: 2, cooldownMinutes: 30, dailyLossLimit: 500 }, instruments),
      ...(c.portfolioSyncMs !== undefined ? { portfolioSyncMs: c.portfolioSyncMs } : {}),
      ...(c.cycleMs !== undefined ? { cycleMs: c.cycleMs } : {}),
    },
    ...(c.profile === undefined ? {} : { exits: { profile: c.profile } }),
    quietRuns,
  });
  const delivered = vi.spyOn(exchange, 'onCandle');
  connect();
  const kernel = kernelOf();
  // every equity sample the portfolio takes (time, equity), journalled as a snapshot or not
  const samples = vi.spyOn(kernel.portfolio, 'sample');
  void kernel.start();
  market.start();
  const end = market.endTime + 60_000;
  if (c.chunkMs === undefined) scheduler.runAll(end);
  else for (let t = scheduler.now(); t < end; ) scheduler.runUntil((t = Math.min(end, t + c.chunkMs)));
  kernel.stop();
  if (kernel.error !== undefined) throw kernel.error;
  const { eventsJournalled, eventsRecorded, closedTrades, equity, maxDrawdown, lastCycle, lastPortfolioSync } = kernel.status();
  return {
    events: journal.events(),
    curve: [samples.mock.calls.map(([ts]) => ts), samples.mock.results.map((r) => r.value as number)],
    status: { eventsJournalled, eventsRecorded, closedTrades, equity, maxDrawdown, lastCycle, lastPortfolioSync },
    delivered: delivered.mock.calls.length,
  };
}

function expectSameWithRuns(c: Case): void {
  const runs = run(c, true);
  const single = run(c, false);
  const candles = c.series.reduce((n, s) => n + (Array.isArray(s.candles) ? s.candles.length : (s.candles as CandleColumns).length), 0);
  expect(single.delivered).toBe(candles);
  expect(runs.status.closedTrades).toBeGreaterThan(5);
  expect(runs.events).toEqual(single.events);
  expect(runs.curve[0]!.length).toBeGreaterThan(10); // the portfolio was sampled (and the spy saw it)
  expect(runs.curve).toEqual(single.curve);
  expect(runs.status).toEqual(single.status);
  // …and the runs did happen: most candles never became an event
  expect(runs.delivered).toBeLessThan(candles * 0.6);
}

const BTC = symbolId('BTC/USDT:USDT');
const ETH = symbolId('ETH/USDT:USDT');
const BNB = symbolId('BNB/USDT:USDT');

describe('quiet runs change nothing', () => {
  it('three perpetuals on one balance, 5m, the standard ladder at the venue', () => {
    expectSameWithRuns({
      timeframe: '5m',
      series: [
        { symbol: BTC, candles: candleColumnsFrom(BTC5) },
        { symbol: ETH, candles: ETH5 },
        { symbol: BNB, candles: candleColumnsFrom(BNB5) },
      ],
    });
  });

  it('one minute candles with an hourly portfolio sync, advanced in one-day chunks', () => {
    expectSameWithRuns({
      timeframe: '1m',
      series: [{ symbol: BTC, candles: candleColumnsFrom(BTC1) }],
      portfolioSyncMs: 3_600_000,
      chunkMs: 86_400_000,
    });
  });

  it('one minute candles with the sync as often as the cycle (60 s) and twice as often (30 s, the default)', () => {
    for (const portfolioSyncMs of [60_000, undefined]) {
      expectSameWithRuns({
        timeframe: '1m',
        series: [{ symbol: ETH, candles: candleColumnsFrom(load('binance_ETHUSDT_1m_2021-04-02_2021-05-14.csv', 15_000)) }],
        ...(portfolioSyncMs === undefined ? {} : { portfolioSyncMs }),
      });
    }
  });

  it('a 5-minute cycle over 1m candles of two symbols, one full of gaps', () => {
    // ETH trades 7 minutes out of every 13: its last candle before a gap is often one no cycle tick has seen yet
    const eth = load('binance_ETHUSDT_1m_2021-04-02_2021-05-14.csv', 20_000).filter((_, i) => i % 13 < 7);
    expectSameWithRuns({
      timeframe: '1m',
      series: [
        { symbol: BTC, candles: candleColumnsFrom(BTC1.slice(0, 20_000)) },
        { symbol: ETH, candles: eth },
      ],
      cycleMs: 300_000,
      portfolioSyncMs: 3_600_000,
    });
  });

  it('spot: exit legs emulated locally', () => {
    expectSameWithRuns({ timeframe: '5m', series: [{ symbol: symbolId('ETH/USDT'), candles: candleColumnsFrom(ETH5) }], leverage: 1 });
  });

  it('a trailing stop after TP2, and order latency', () => {
    expectSameWithRuns({ timeframe: '5m', series: [{ symbol: ETH, candles: candleColumnsFrom(ETH5) }], profile: 'TRAILING_AFTER_TP2', latencyMs: 1_500 });
  });

  it('a 24 h time stop', () => {
    expectSameWithRuns({ timeframe: '5m', series: [{ symbol: BTC, candles: candleColumnsFrom(BTC5) }], profile: 'TIME_STOP_24H' });
  });
});
