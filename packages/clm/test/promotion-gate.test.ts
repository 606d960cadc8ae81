import { describe, expect, it } from 'vitest';
import {
  auc,
  backtestSignals,
  breakEvenThreshold,
  classificationMetrics,
  decidePromotion,
  evaluateOnHoldout,
  walkForwardSplit,
  type Dataset,
  type ValidationMetrics,
} from '../src/index.js';

const T0 = Date.UTC(2021, 3, 1);
const M = 300_000;

/** Rows: [symbol index, decided at (steps), exit at (steps), return]. */
function rows(spec: readonly (readonly [number, number, number, number])[]): Dataset {
  const n = spec.length;
  return {
    spec: { timeframe: '5m', names: ['ret_1'] },
    rows: n,
    features: new Float32Array(n),
    labels: Uint8Array.from(spec, (r) => (r[3] > 0 ? 1 : 0)),
    returns: Float32Array.from(spec, (r) => r[3]),
    ts: Float64Array.from(spec, (r) => T0 + r[1] * M),
    exitTs: Float64Array.from(spec, (r) => T0 + r[2] * M),
    direction: new Int8Array(n).fill(1),
    symbolIndex: Uint16Array.from(spec, (r) => r[0]),
    symbols: ['BTC/USDT', 'ETH/USDT'],
    labelSource: 'simulated',
  };
}

const metrics = (m: Partial<ValidationMetrics>): ValidationMetrics => ({
  rows: 1000, accuracy: 0.7, auc: 0.55, logLoss: 0.6, brier: 0.2, positiveRate: 0.3, pnl: 100, trades: 50, winRate: 0.35,
  maxDrawdown: 50, baselinePnl: -200, baselineTrades: 90, baselineWinRate: 0.28, ...m,
});

describe('metrics', () => {
  it('computes AUC by ranks with ties, and log-loss / accuracy / Brier', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    const m = classificationMetrics([0.9, 0.2, 0.6, 0.4], [1, 0, 0, 1]);
    expect(m.accuracy).toBe(0.5);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.4)) / 4, 12);
    expect(m.brier).toBeCloseTo((0.01 + 0.04 + 0.36 + 0.36) / 4, 12);
  });

  it('backtests accepted signals one position per symbol, in time order', () => {
    const d = rows([
      [0, 0, 10, 0.02], // taken
      [0, 5, 12, -0.01], // BTC busy until 10: skipped
      [1, 6, 9, -0.02], // ETH free: taken
      [0, 10, 20, 0.01], // BTC free again at 10: taken
      [1, 11, 15, 0.03], // rejected by the filter
    ]);
    const r = backtestSignals(d, [1, 1, 1, 1, 0], 1000);
    expect(r).toMatchObject({ trades: 3, wins: 2, pnl: expect.closeTo(10, 4) as number, maxDrawdown: expect.closeTo(20, 4) as number });
  });

  it('takes the break-even probability of the training rows as the default threshold', () => {
    // wins average +3 %, losses −2 %: worth taking when p·3 > (1 − p)·2, i.e. p > 0.4
    expect(breakEvenThreshold(rows([[0, 0, 1, 0.03], [0, 1, 2, -0.02], [0, 2, 3, -0.02]]))).toBeCloseTo(0.4, 6);
  });
});

describe('the walk-forward split', () => {
  it('validates on the newest rows and purges training rows whose trade overlaps the holdout', () => {
    const d = rows([
      [0, 0, 3, 0.01],
      [0, 1, 9, 0.01], // still open at 6, when the holdout starts: purged
      [1, 2, 5, -0.01],
      [1, 3, 4, 0.01],
      [0, 6, 8, 0.01],
      [1, 7, 9, -0.01],
    ]);
    const s = walkForwardSplit(d, 1 / 3);
    expect(s.holdoutStart).toBe(T0 + 6 * M);
    expect([...s.holdout.ts]).toEqual([T0 + 6 * M, T0 + 7 * M]);
    expect([...s.train.ts]).toEqual([T0, T0 + 2 * M, T0 + 3 * M]);
    expect(s.purged).toBe(1);
  });
});

describe('the promotion gate', () => {
  it('refuses a challenger worse than the champion on the metric, with the numbers in the reason', () => {
    const d = decidePromotion(metrics({ auc: 0.53 }), { version: 'v6', metrics: metrics({ auc: 0.56 }) }, { metric: 'auc' });
    expect(d).toEqual({ promote: false, summary: 'worse than v6', reason: "worse than v6: auc 0.5300 ≤ v6's 0.5600" });
  });

  it('refuses a challenger with a better metric but a worse backtested PnL of its signals', () => {
    const d = decidePromotion(metrics({ auc: 0.6, pnl: 40 }), { version: 'v6', metrics: metrics({ auc: 0.56, pnl: 90 }) });
    expect(d.promote).toBe(false);
    expect(d.reason).toBe("worse than v6: backtested PnL 40.00 < v6's 90.00");
  });

  it('promotes a challenger better on both, and respects lower-is-better metrics', () => {
    expect(decidePromotion(metrics({ auc: 0.6, pnl: 120 }), { version: 'v6', metrics: metrics({ auc: 0.56, pnl: 90 }) }).summary).toBe('beats v6');
    expect(decidePromotion(metrics({ logLoss: 0.59 }), { version: 'v2', metrics: metrics({ logLoss: 0.6, pnl: 0 }) }, { metric: 'logLoss' }).promote).toBe(true);
    expect(decidePromotion(metrics({ logLoss: 0.61 }), { version: 'v2', metrics: metrics({ logLoss: 0.6, pnl: 0 }) }, { metric: 'logLoss' }).promote).toBe(false);
  });

  it('without a champion, demands skill and a PnL at least that of taking every signal', () => {
    expect(decidePromotion(metrics({}), undefined)).toMatchObject({ promote: true, summary: 'beats momentum alone' });
    expect(decidePromotion(metrics({ auc: 0.49 }), undefined).reason).toBe('worse than momentum alone: auc 0.4900 shows no skill (no-skill level 0.5000)');
    expect(decidePromotion(metrics({ pnl: -250 }), undefined).reason).toBe('worse than momentum alone: backtested PnL -250.00 < -200.00 taking every signal');
  });

  it('evaluates holdout probabilities against the threshold and the take-everything baseline', () => {
    const d = rows([[0, 0, 1, 0.02], [0, 1, 2, -0.01], [1, 2, 3, -0.02], [1, 3, 4, 0.01]]);
    const m = evaluateOnHoldout([0.9, 0.2, 0.3, 0.7], 0.5, d, 100);
    expect(m).toMatchObject({ auc: 1, accuracy: 1, trades: 2, pnl: expect.closeTo(3, 4) as number, baselineTrades: 4, baselinePnl: expect.closeTo(0, 4) as number });
  });
});
