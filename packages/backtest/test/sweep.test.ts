import { describe, expect, it } from 'vitest';
import { backtest, backtestSweep, expandGrid, type BacktestOptions, type SweepProgress } from '../src/index.js';
import { realData } from './helpers.js';

const options: BacktestOptions = {
  data: realData('5m', ['BTC/USDT', 'ETH/USDT'], '2021-04-26', '2021-04-30'),
  from: '2021-04-27',
  strategy: 'momentum',
};
const grid = { lookbackHours: [12, 24], longThreshold: [0.005, 0.01] };

describe('backtestSweep', () => {
  it('expands a grid in a fixed order, the last key varying fastest', () => {
    expect(expandGrid(grid)).toEqual([
      { lookbackHours: 12, longThreshold: 0.005 },
      { lookbackHours: 12, longThreshold: 0.01 },
      { lookbackHours: 24, longThreshold: 0.005 },
      { lookbackHours: 24, longThreshold: 0.01 },
    ]);
  });

  it('gives the same table whatever the number of threads (in-process, 1 and 2 workers)', async () => {
    const progress: SweepProgress[] = [];
    const inProcess = await backtestSweep(options, { grid, threads: 0, sortBy: 'totalReturn', onProgress: (p) => progress.push(p) });
    const one = await backtestSweep(options, { grid, threads: 1, sortBy: 'totalReturn' });
    const two = await backtestSweep(options, { grid, threads: 2, sortBy: 'totalReturn' });
    expect(one.rows).toEqual(inProcess.rows);
    expect(two.rows).toEqual(inProcess.rows);
    expect(two.table()).toBe(inProcess.table());

    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    const returns = inProcess.rows.map((r) => r.metrics.totalReturn);
    expect(returns).toEqual([...returns].sort((a, b) => b - a));
    expect(inProcess.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(inProcess.best).toBe(inProcess.rows[0]);
    // Each row is exactly the backtest of its combination.
    const top = inProcess.rows[0]!;
    const direct = await backtest({ ...options, strategy: { name: 'momentum', params: top.params as Record<string, number> } });
    expect(direct.metrics).toEqual(top.metrics);
    expect(inProcess.table()).toMatch(/│ # │ lookbackHours │ longThreshold │ totalReturn ▼ │/);
  }, 120_000);

  it('ranks drawdown ascending and can set option paths from the grid', async () => {
    const r = await backtestSweep(options, { grid: { 'exits.stopLossPct': [0.01, 0.03] }, threads: 0, sortBy: 'maxDrawdown' });
    expect(r.order).toBe('asc');
    expect(r.rows[0]!.metrics.maxDrawdown).toBeLessThanOrEqual(r.rows[1]!.metrics.maxDrawdown);
    expect(r.rows.map((x) => x.params['exits.stopLossPct']).sort()).toEqual([0.01, 0.03]);
  });
});
