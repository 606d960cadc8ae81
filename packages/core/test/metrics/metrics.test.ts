import { describe, expect, it } from 'vitest';
import {
  annualizedReturn,
  calmarRatio,
  dailyEquity,
  dailyReturns,
  DAY_MS,
  diversificationScore,
  exposureTime,
  maxDrawdown,
  performanceMetrics,
  perSymbolStatistics,
  sharpeRatio,
  sortinoRatio,
  totalReturn,
  tradeStatistics,
  tradingTimes,
  type TradeRecord,
} from '../../src/metrics/index.js';

// 2021-01-04 is a Monday (UTC weekday 1).
const MON = Date.UTC(2021, 0, 4);
const H = 3_600_000;

function trade(symbol: string, entryTs: number, hours: number, pnl: number, fees = 1): TradeRecord {
  return {
    symbol,
    side: 'long',
    entryTs,
    exitTs: entryTs + hours * H,
    entryPrice: 100,
    exitPrice: 100 + pnl / 10,
    qty: 10,
    pnl,
    fees,
    exitReason: pnl > 0 ? 'tp3' : 'stop_loss',
  };
}

// Four trades: +30, −10, +20, −20 → net 20, gross profit 50, gross loss 30.
const TRADES: TradeRecord[] = [
  trade('BTC', MON + 9 * H, 2, 30),
  trade('BTC', MON + DAY_MS + 14 * H, 4, -10),
  trade('ETH', MON + 2 * DAY_MS + 9 * H, 1, 20),
  trade('ETH', MON + 2 * DAY_MS + 14 * H, 3, -20),
];

describe('daily returns', () => {
  it('takes the last sample of each UTC day, carries it over empty days, and starts from the first sample', () => {
    const curve = { ts: [MON, MON + 5 * H, MON + 2 * DAY_MS + H], equity: [100, 110, 99] };
    expect(dailyEquity(curve)).toEqual({ start: 100, days: [MON, MON + DAY_MS, MON + 2 * DAY_MS], equity: [110, 110, 99] });
    const r = dailyReturns(curve);
    expect(r[0]).toBeCloseTo(0.1, 12);
    expect(r[1]).toBe(0);
    expect(r[2]).toBeCloseTo(-0.1, 12);
  });
});

describe('risk-adjusted returns', () => {
  // r = [0.01, −0.005, 0.02]: mean 0.008333…, sample sd 0.0125831…, downside dev √(0.005² / 3) = 0.0028868…
  const r = [0.01, -0.005, 0.02];

  it('Sharpe = mean / sample sd × √365', () => {
    expect(sharpeRatio(r)).toBeCloseTo((0.025 / 3 / Math.sqrt(3.1666666666666e-4 / 2)) * Math.sqrt(365), 9);
    expect(sharpeRatio(r)).toBeCloseTo(12.65, 2);
  });

  it('Sortino = mean / downside deviation (all days in the denominator) × √365', () => {
    expect(sortinoRatio(r)).toBeCloseTo((0.025 / 3 / Math.sqrt(0.000025 / 3)) * Math.sqrt(365), 9);
    expect(sortinoRatio(r)).toBeCloseTo(55.15, 2);
  });

  it('subtracts a daily risk-free rate derived from the annual one', () => {
    const rf = 1.05 ** (1 / 365) - 1;
    const excess = r.map((x) => x - rf);
    const m = excess.reduce((a, b) => a + b, 0) / 3;
    const sd = Math.sqrt(excess.reduce((a, b) => a + (b - m) ** 2, 0) / 2);
    expect(sharpeRatio(r, 0.05)).toBeCloseTo((m / sd) * Math.sqrt(365), 9);
  });

  it('is NaN when undefined: one return, no variation, no losing day', () => {
    expect(sharpeRatio([0.01])).toBeNaN();
    expect(sharpeRatio([0.01, 0.01])).toBeNaN();
    expect(sortinoRatio([0.01, 0.02])).toBeNaN();
  });

  it('Calmar = annualised return / max drawdown', () => {
    expect(calmarRatio(0.3, 0.15)).toBeCloseTo(2, 12);
    expect(calmarRatio(0.3, 0)).toBeNaN();
  });
});

describe('returns', () => {
  it('total return is last / first − 1, annualised over calendar days', () => {
    expect(totalReturn({ ts: [0, 1], equity: [10_000, 11_000] })).toBeCloseTo(0.1, 12);
    expect(annualizedReturn({ ts: [0, 365 * DAY_MS], equity: [100, 121] })).toBeCloseTo(0.21, 12);
    expect(annualizedReturn({ ts: [0, 730 * DAY_MS], equity: [100, 121] })).toBeCloseTo(0.1, 12);
    expect(annualizedReturn({ ts: [0, H], equity: [100, 121] })).toBeNaN();
  });
});

describe('max drawdown', () => {
  it('finds the deepest fall from a running peak and the longest time under water', () => {
    // 100 → 120 (peak at 1) → 90 (−25 %) → 110 → 125 (recovered at 4) → 115 → 118 (end, still under since 4)
    const dd = maxDrawdown({ ts: [0, 1, 2, 3, 4, 5, 9], equity: [100, 120, 90, 110, 125, 115, 118] });
    expect(dd.depth).toBeCloseTo(0.25, 12);
    expect(dd.amount).toBe(30);
    expect(dd.peakTs).toBe(1);
    expect(dd.troughTs).toBe(2);
    expect(dd.durationMs).toBe(5); // 4 → 9, longer than 1 → 4
  });

  it('is zero for a curve that only rises', () => {
    expect(maxDrawdown({ ts: [0, 1, 2], equity: [1, 2, 3] })).toMatchObject({ depth: 0, durationMs: 0 });
  });
});

describe('trade statistics', () => {
  it('win rate, profit factor, expectancy, SQN, duration and fees of four trades', () => {
    const s = tradeStatistics(TRADES);
    expect(s).toMatchObject({ trades: 4, wins: 2, losses: 2, netProfit: 20, grossProfit: 50, grossLoss: 30, fees: 4 });
    expect(s.winRate).toBe(0.5);
    expect(s.profitFactor).toBeCloseTo(50 / 30, 12);
    expect(s.expectancy).toBe(5);
    // pnl 30, −10, 20, −20: mean 5, deviations 25, −15, 15, −25 → ss 1700, sd √(1700/3)
    expect(s.sqn).toBeCloseTo((2 * 5) / Math.sqrt(1700 / 3), 12);
    expect(s.averageDurationMs).toBe(2.5 * H);
    expect(s.bestTrade).toBe(30);
    expect(s.worstTrade).toBe(-20);
  });

  it('profit factor is Infinity without a loss and NaN without trades', () => {
    expect(tradeStatistics([trade('X', 0, 1, 5)]).profitFactor).toBe(Number.POSITIVE_INFINITY);
    const none = tradeStatistics([]);
    expect(none.profitFactor).toBeNaN();
    expect(none.winRate).toBeNaN();
    expect(none.sqn).toBeNaN();
  });
});

describe('exposure time', () => {
  it('is the union of open intervals over the period, overlaps counted once, clipped to the period', () => {
    expect(exposureTime([{ entryTs: 0, exitTs: 10 }, { entryTs: 5, exitTs: 20 }, { entryTs: 60, exitTs: 70 }], 0, 100)).toBeCloseTo(0.3, 12);
    expect(exposureTime([{ entryTs: -50, exitTs: 10 }, { entryTs: 95, exitTs: 150 }], 0, 100)).toBeCloseTo(0.15, 12);
  });
});

describe('per symbol and trading times', () => {
  it('groups by entry hour and weekday (UTC) and picks the best and worst by summed PnL', () => {
    const t = tradingTimes(TRADES);
    // 09:00: +30 + 20 = 50; 14:00: −10 − 20 = −30
    expect(t.bestHour).toBe(9);
    expect(t.worstHour).toBe(14);
    // Monday +30, Tuesday −10, Wednesday 0
    expect(t.bestWeekday).toBe(1);
    expect(t.worstWeekday).toBe(2);
    expect(t.pnlByWeekday[3]).toBe(0);
  });

  it('reports trades, win rate, average profit, realized drawdown and times per symbol', () => {
    const rows = perSymbolStatistics([...TRADES, trade('BTC', MON + 3 * DAY_MS + 9 * H, 1, -15)], ['ETH', 'BTC', 'BNB']);
    expect(rows.map((r) => r.symbol)).toEqual(['ETH', 'BTC', 'BNB']);
    const btc = rows[1]!;
    expect(btc).toMatchObject({ trades: 3, netProfit: 5, bestHour: 9, worstHour: 14, bestWeekday: 1, worstWeekday: 4 });
    expect(btc.winRate).toBeCloseTo(1 / 3, 12);
    expect(btc.averageProfit).toBeCloseTo(5 / 3, 12);
    // Thursday −15 is the worst weekday; cumulative 30 → 20 → 5: peak 30, trough 5
    expect(btc.maxDrawdown).toBe(25);
    expect(rows[0]!).toMatchObject({ trades: 2, netProfit: 0, maxDrawdown: 20 });
    expect(rows[2]!.trades).toBe(0);
    expect(rows[2]!.bestHour).toBeUndefined();
  });
});

describe('diversification score', () => {
  it('is 0 for identical series, 1 for uncorrelated or opposite ones', () => {
    expect(diversificationScore([[0.01, -0.02, 0.03], [0.01, -0.02, 0.03]]).score).toBeCloseTo(0, 12);
    expect(diversificationScore([[1, -1, 1, -1], [1, 1, -1, -1]]).score).toBe(1);
    expect(diversificationScore([[1, 2, 3], [3, 2, 1]])).toMatchObject({ score: 1, averageCorrelation: -1 });
  });

  it('averages the pairwise correlations of three symbols', () => {
    // a and b: ρ = 1; c runs the other way: ρ(a, c) = ρ(b, c) = −13/14
    const d = diversificationScore([[1, 2, 4], [2, 4, 8], [4, 2, 1]]);
    expect(d.matrix[0]![1]).toBeCloseTo(1, 12);
    const a = [1, 2, 4];
    const c = [4, 2, 1];
    const ma = 7 / 3;
    const mc = 7 / 3;
    const cov = a.reduce((s, x, i) => s + (x - ma) * (c[i]! - mc), 0);
    const va = a.reduce((s, x) => s + (x - ma) ** 2, 0);
    const vc = c.reduce((s, x) => s + (x - mc) ** 2, 0);
    const rac = cov / Math.sqrt(va * vc); // −13/14
    expect(rac).toBeCloseTo(-13 / 14, 12);
    expect(d.averageCorrelation).toBeCloseTo((1 + 2 * rac) / 3, 12); // −0.2857…
    expect(d.score).toBe(1); // 1 − ρ̄ = 1.2857…, clamped to 1
  });

  it('scores partly correlated symbols between 0 and 1', () => {
    const a = [1, -1, 1, -1];
    const b = [1, -1, -1, 1];
    const c = [1, -1, 0, 0];
    const d = diversificationScore([a, c]);
    // a·c: mean 0 both; cov = 1 + 1 = 2, |a|² = 4, |c|² = 2 → ρ = 2 / √8 = 0.7071…
    expect(d.averageCorrelation).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(d.score).toBeCloseTo(1 - 1 / Math.SQRT2, 12);
    expect(diversificationScore([a, b]).averageCorrelation).toBeCloseTo(0, 12);
  });

  it('is NaN with one symbol or a series that never moves', () => {
    expect(diversificationScore([[1, 2, 3]]).score).toBeNaN();
    expect(diversificationScore([[1, 2, 3], [0, 0, 0]]).score).toBeNaN();
  });
});

describe('performanceMetrics', () => {
  it('puts every metric together for one run', () => {
    const equity = { ts: [MON, MON + 10 * H, MON + DAY_MS + 20 * H, MON + 2 * DAY_MS + 20 * H], equity: [1000, 1030, 1020, 1020] };
    const m = performanceMetrics({ trades: TRADES, equity, from: MON, to: MON + 3 * DAY_MS });
    expect(m).toMatchObject({ startEquity: 1000, endEquity: 1020, netProfit: 20, trades: 4, winRate: 0.5, expectancy: 5, feesPaid: 4 });
    expect(m.totalReturn).toBeCloseTo(0.02, 12);
    expect(m.maxDrawdown).toBeCloseTo(10 / 1030, 12);
    // daily returns 0.03, −0.0097087…, 0 → Sharpe by hand
    const r = [0.03, 1020 / 1030 - 1, 0];
    const mean = (r[0]! + r[1]! + r[2]!) / 3;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(365), 9);
    // exposure: 2 h + 4 h + 1 h + 3 h = 10 h of 72 h
    expect(m.exposureTime).toBeCloseTo(10 / 72, 12);
    expect(m.averageTradeDurationMs).toBe(2.5 * H);
    expect(m.diversificationScore).toBeNaN();
  });
});
