import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { momentumStrategy, standardRiskEngine, symbolId, type Candle, type Instrument } from '@quantum-trader/core';
import { instrument as testInstrument, T0 } from './support/test-market.js';
import { replayKernel } from './support/replay-kernel.js';

// Quiet runs against candle-by-candle delivery on random markets: random walks with gaps, one or two symbols,
// random cycle and sync periods, latency, exit profiles, chunked advancing. Whatever the setup, the journal, the
// equity samples and the status must be the same.

const MINUTE = 60_000;
const OTHER: Instrument = { ...testInstrument, symbol: symbolId('OTHER/USDT:USDT'), base: 'OTHER' };

/** A random walk of one-minute candles from 100, with some candles left out (gaps). */
function walk(seed: number, n: number, gapEvery: number): Candle[] {
  let x = seed;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out: Candle[] = [];
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = Math.max(1, Math.round(open * (1 + (rnd() - 0.5) * 0.02) * 100) / 100);
    const high = Math.round(Math.max(open, close) * (1 + rnd() * 0.006) * 100) / 100;
    const low = Math.round(Math.min(open, close) * (1 - rnd() * 0.006) * 100) / 100;
    price = close;
    if (gapEvery > 0 && i % gapEvery === gapEvery - 1) continue;
    out.push({ ts: T0 + i * MINUTE, open, high, low, close, volume: 1_000 });
  }
  return out;
}

const setups = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  symbols: fc.constantFrom(1, 2),
  gapEvery: fc.constantFrom(0, 0, 17, 97),
  cycleMs: fc.constantFrom(60_000, 60_000, 150_000, 300_000),
  portfolioSyncMs: fc.constantFrom(30_000, 60_000, 3_600_000),
  latencyMs: fc.constantFrom(0, 0, 90_000),
  profile: fc.constantFrom(undefined, 'TRAILING_AFTER_TP2', 'TIME_STOP_24H', 'BREAKEVEN_AFTER_TP1'),
  chunkMs: fc.constantFrom(undefined, 3_600_000, 86_400_000),
});

type Setup = typeof setups extends fc.Arbitrary<infer T> ? T : never;

function run(s: Setup, quietRuns: boolean) {
  const instruments = s.symbols === 1 ? [testInstrument] : [testInstrument, OTHER];
  const series = instruments.map((i, k) => ({ symbol: i.symbol, candles: walk(s.seed + k, 4_000, s.gapEvery * (k + 1)) }));
  const { scheduler, market, journal, connect, kernel: kernelOf } = replayKernel({
    series,
    timeframe: '1m',
    instruments,
    exchange: { slippageBps: 2, ...(s.latencyMs > 0 ? { latencyMs: s.latencyMs } : {}) },
    kernel: {
      // a one-hour momentum over random walks: plenty of signals and exits
      strategies: [momentumStrategy({ timeframe: '1m', lookbackHours: 1, longThreshold: 0.01, shortThreshold: -0.01 })],
      risk: standardRiskEngine({ maxNotionalPerTrade: 1000, maxLeverage: 10, leverage: 2, maxOpenPositions: 2, cooldownMinutes: 3, dailyLossLimit: 5_000 }, instruments),
      cycleMs: s.cycleMs,
      portfolioSyncMs: s.portfolioSyncMs,
    },
    ...(s.profile === undefined ? {} : { exits: { profile: s.profile } }),
    quietRuns,
  });
  connect();
  const kernel = kernelOf();
  // every equity sample the portfolio takes (time, equity), journalled as a snapshot or not
  const samples = vi.spyOn(kernel.portfolio, 'sample');
  void kernel.start();
  market.start();
  const end = market.endTime + 600_000;
  if (s.chunkMs === undefined) scheduler.runAll(end);
  else for (let t = scheduler.now(); t < end; ) scheduler.runUntil((t = Math.min(end, t + s.chunkMs)));
  kernel.stop();
  if (kernel.error !== undefined) throw kernel.error;
  const { eventsJournalled, closedTrades, equity, maxDrawdown, lastCycle, lastPortfolioSync } = kernel.status();
  return {
    events: journal.events(),
    curve: [samples.mock.calls.map(([ts]) => ts), samples.mock.results.map((r) => r.value as number)],
    status: { eventsJournalled, closedTrades, equity, maxDrawdown, lastCycle, lastPortfolioSync },
  };
}

describe('quiet runs on random markets', () => {
  it('journal exactly what candle-by-candle delivery journals', () => {
    let trades = 0;
    fc.assert(
      fc.property(setups, (s) => {
        const runs = run(s, true);
        const single = run(s, false);
        trades += runs.status.closedTrades;
        expect(runs.events).toEqual(single.events);
        expect(runs.curve).toEqual(single.curve);
        expect(runs.status).toEqual(single.status);
      }),
      { numRuns: 24, seed: 20261125 },
    );
    expect(trades).toBeGreaterThan(24 * 5); // the markets did trade
  });
});
