import { describe, expect, it } from 'vitest';
import { proveOnRealData } from './prove-on-real-data.js';

describe('examples/clm: the CLM proof on real data (a short window)', () => {
  it('trains on the first weeks, then trades the next days with and without the model filter', async () => {
    const lines: string[] = [];
    const { trained, sessions } = await proveOnRealData({ split: '2021-01-10', end: '2021-01-14', log: (l) => lines.push(l) });
    expect(trained.map((t) => [t.trainer, t.retrain.status, t.retrain.version])).toEqual([
      ['gbdt', 'completed', 'v1'],
      ['logistic', 'completed', 'v1'],
    ]);
    expect(lines.filter((l) => l.includes('[CLM] retraining completed: version=v1 '))).toHaveLength(2);
    expect(sessions.map((s) => s.label)).toEqual(['momentum alone', 'momentum + gbdt v1', 'momentum + logistic v1']);
    expect(sessions[0]!.trades).toBeGreaterThan(0);
    expect(sessions[0]!.deniedByModel).toBe(0);
    for (const s of sessions.slice(1)) {
      expect(s.deniedByModel).toBeGreaterThan(0);
      expect(Number.isFinite(s.equity)).toBe(true);
    }
  }, 120_000);
});
