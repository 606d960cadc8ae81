import type { Candle, DomainEvent } from '@quantum-trader/core';
import { describe, expect, it } from 'vitest';
import { backtest, type BacktestOptions, type BacktestSeries } from '../src/index.js';
import { realData } from './helpers.js';

// No look-ahead: change every candle from time T on (prices perturbed, or replaced by other candles); every event
// stamped before T must stay exactly the same. Runs the whole engine (kernel, Exit Brain, refinement with 1m data).
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];
const T = Date.UTC(2021, 4, 1, 12, 0);

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function perturb(series: readonly BacktestSeries[], seed: number): BacktestSeries[] {
  const r = rng(seed);
  return series.map((s) => ({
    symbol: s.symbol,
    candles: s.candles.map((c): Candle => {
      if (c.ts < T) return c;
      const f = 0.9 + 0.2 * r();
      return { ts: c.ts, open: c.open * f, high: c.high * f * (1 + 0.01 * r()), low: c.low * f * (1 - 0.01 * r()), close: c.close * f, volume: c.volume * (0.5 + r()) };
    }),
  }));
}

/** Candles from T on take the prices of the candles `by` steps later: the future is another future. */
function shift(series: readonly BacktestSeries[], by: number): BacktestSeries[] {
  return series.map((s) => ({
    symbol: s.symbol,
    candles: s.candles.map((c, i) => {
      const later = s.candles[Math.min(s.candles.length - 1, i + by)]!;
      return c.ts < T ? c : { ...later, ts: c.ts };
    }),
  }));
}

const before = (events: readonly DomainEvent[]) => events.filter((e) => e.ts < T);

describe('no look-ahead in the full engine', () => {
  it('events before T do not change when the candles after T do', async () => {
    const data = realData('5m', SYMBOLS, '2021-04-26', '2021-05-04');
    const fine = realData('1m', SYMBOLS, '2021-04-26', '2021-05-04');
    const base: BacktestOptions = { data, refine: fine, from: '2021-04-27', to: '2021-05-04', slippage: { bps: 2, impactBps: 20 }, latencyMs: 0 };
    const original = await backtest(base);
    const perturbed = await backtest({ ...base, data: perturb(data, 1), refine: perturb(fine, 2) });
    const shifted = await backtest({ ...base, data: shift(data, 37), refine: shift(fine, 185) });

    const kept = before(original.events);
    expect(kept.filter((e) => e.type === 'PositionClosed').length).toBeGreaterThan(5);
    expect(before(perturbed.events)).toEqual(kept);
    expect(before(shifted.events)).toEqual(kept);
    // The equity curve up to T is the same too …
    const upTo = (r: typeof original) => r.equity.equity.slice(0, r.equity.ts.findIndex((t) => t >= T));
    expect(upTo(perturbed)).toEqual(upTo(original));
    // … and the change is real: after T the runs differ.
    expect(perturbed.events.length === original.events.length && perturbed.events.every((e, i) => e.id === original.events[i]!.id)).toBe(false);
  });
});
