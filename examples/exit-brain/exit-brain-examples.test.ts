import { describe, expect, it } from 'vitest';
import { parseLearnerState } from '@quantum-trader/exit-brain';
import { quickScalp, runCustomProfile } from './custom-profile.js';
import { formatReport, walkForward } from './learned-vs-static.js';

describe('Exit Brain examples on the bundled real data', () => {
  it('the custom profile plugin manages every ETH position at 1x: its legs, breakeven and time stop', async () => {
    // a week without gaps in the data (the time stop acts on the first candle after 6 h)
    const r = await runCustomProfile('2021-03-08', '2021-03-15');
    expect(r.custom.trades).toBeGreaterThan(0);
    expect(r.outcomes.length).toBe(r.custom.trades);
    expect(new Set(r.outcomes.map((o) => o.profile))).toEqual(new Set([quickScalp.name]));
    expect(quickScalp.name).toBe('DYNAMIC_ETHUSDT_1.0x');
    const allowed = new Set(['tp1', 'tp2', 'stop_loss', 'breakeven_stop', 'time_stop', 'stop_fallback']);
    for (const o of r.outcomes) {
      expect(o.exitReasons.every((x) => allowed.has(x))).toBe(true);
      // two legs, half each (to the lot step); the stop never wider than the profile's 1.5 %
      expect(o.takeProfitFractions).toHaveLength(2);
      for (const f of o.takeProfitFractions) expect(f).toBeCloseTo(0.5, 2);
      expect(o.stopLossPct).toBeLessThanOrEqual(0.015);
      expect(o.closedAt - o.openedAt).toBeLessThanOrEqual(6 * 3_600_000 + 10 * 60_000);
    }
  });

  it('the walk-forward learns on the first part and prints static and learned exits side by side', async () => {
    const options = { from: '2021-02-01', split: '2021-02-20', to: '2021-03-05', assets: ['BTC', 'ETH'] };
    const r = await walkForward(options);
    expect(r.train.metrics.trades).toBeGreaterThan(10);
    expect(r.test.map((x) => x.name)).toEqual(['static STANDARD_LADDER', 'learned, frozen', 'learned, online']);
    for (const row of r.test) {
      expect(Number.isFinite(row.metrics.pnl)).toBe(true);
      expect(row.metrics.maxDrawdown).toBeGreaterThanOrEqual(0);
      if (row.shared !== undefined) expect(row.shared.trades).toBeLessThanOrEqual(Math.min(row.metrics.trades, r.test[0]!.metrics.trades));
    }
    expect(parseLearnerState(r.learned).schema).toBe(1);
    const table = formatReport(r, options);
    expect(table).toContain('tested on 2021-02-20 → 2021-03-05');
    expect(table).toMatch(/static STANDARD_LADDER\s+\d+\s+[+-]\d+\.\d\d/);
    expect(table).toMatch(/higher PnL on the test part: (static STANDARD_LADDER|learned, frozen|learned, online)/);
  });
});
