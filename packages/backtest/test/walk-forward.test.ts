import { describe, expect, it } from 'vitest';
import { backtest, parseDuration, walkForward, type BacktestOptions } from '../src/index.js';
import { realData } from './helpers.js';

const DAY = 86_400_000;
const options: BacktestOptions = { data: realData('5m', ['BTC/USDT'], '2021-04-27', '2021-05-09'), strategy: 'momentum' };
const grid = { lookbackHours: [6, 24] };

describe('walkForward', () => {
  it('chooses parameters in sample and reports only what they did out of sample', async () => {
    const wf = await walkForward(options, { grid, train: '4d', test: '2d', threads: 0, sortBy: 'totalReturn' });
    const start = Date.UTC(2021, 3, 27);
    expect(wf.folds.map((f) => [f.train.from, f.train.to, f.test.from, f.test.to])).toEqual(
      [0, 1, 2, 3].map((k) => [start + 2 * k * DAY, start + (2 * k + 4) * DAY, start + (2 * k + 4) * DAY, start + (2 * k + 6) * DAY]),
    );
    // Fold 1: the chosen parameters are the in-sample winner …
    const f1 = wf.folds[0]!;
    const inSample = await Promise.all(
      grid.lookbackHours.map((h) => backtest({ ...options, from: f1.train.from, to: f1.train.to, strategy: { name: 'momentum', params: { lookbackHours: h } } })),
    );
    const best = inSample[0]!.metrics.totalReturn >= inSample[1]!.metrics.totalReturn ? 6 : 24;
    expect(f1.params).toEqual({ lookbackHours: best });
    // … and the fold reports their test-window run, nothing else.
    const oos = await backtest({ ...options, from: f1.test.from, to: f1.test.to, strategy: { name: 'momentum', params: { lookbackHours: best } } });
    expect(f1.metrics).toEqual(oos.metrics);

    const { equity, trades, metrics } = wf.outOfSample;
    expect(equity.equity[0]).toBe(10_000);
    expect(equity.ts[0]).toBe(wf.folds[0]!.test.from);
    expect(equity.ts.every((t, i) => i === 0 || t > equity.ts[i - 1]!)).toBe(true);
    expect(equity.ts.every((t) => wf.folds.some((f) => t >= f.test.from && t <= f.test.to))).toBe(true);
    expect(trades.every((t) => wf.folds.some((f) => t.entryTs >= f.test.from && t.exitTs <= f.test.to))).toBe(true);
    expect(metrics.trades).toBe(wf.folds.reduce((n, f) => n + f.metrics.trades, 0));
    // Compounded: the stitched return is the product of the folds' returns.
    const chained = wf.folds.reduce((g, f) => g * (f.metrics.endEquity / f.metrics.startEquity), 1) - 1;
    expect(metrics.totalReturn).toBeCloseTo(chained, 9);
    expect(wf.summary()).toMatch(/every number below is out of sample/);
  }, 60_000);

  it('refuses windows that do not fit, or overlapping test windows', async () => {
    await expect(walkForward(options, { grid, train: '10d', test: '5d', threads: 0 })).rejects.toThrow(/do not fit into the data range 2021-04-27 00:00 → 2021-05-09 00:00/);
    await expect(walkForward(options, { grid, train: '4d', test: '2d', roll: '1d', threads: 0 })).rejects.toThrow(/roll \(1d\) must be at least the test window/);
    expect(() => parseDuration('train', 'two weeks')).toThrow(/train must be a positive duration/);
    expect(parseDuration('x', '12h')).toBe(12 * 3_600_000);
  });
});
