import { describe, expect, it } from 'vitest';
import { backtest } from '../src/index.js';
import { candles, FAST, M5, SYM, SYM2, T0, testInstrument, type Row } from './helpers.js';

// Entry at 100 with 10 units ($1000). Low-volatility ladder: TP1 101.95 (3), TP2 103.25 (3), TP3 105.20 (4); SL 98.
const UP: Row[] = [
  [98, 98, 98, 98],
  [98, 100, 98, 100], // +2.04 % → LONG when it closes
  [100, 100.5, 99.5, 100], // entry at this open
];
const ENTRY_FEE = 10 * 100 * 0.0004;
const base = {
  instruments: [testInstrument()],
  strategy: FAST,
  slippage: { bps: 0 },
  risk: { cooldownMinutes: 24 * 60 },
} as const;

describe('backtest() on hand-written candles', () => {
  it('runs the kernel: TP1 then stop, one trade whose PnL, fees and equity agree', async () => {
    const rows: Row[] = [...UP, [100, 102, 99.5, 101.5], [101, 101.2, 97.5, 97.8], [97.8, 98, 97.5, 97.9]];
    const r = await backtest({ ...base, data: [{ symbol: SYM, candles: candles(rows) }] });
    const pnl = 3 * 1.95 + 7 * -2 - ENTRY_FEE - 3 * 101.95 * 0.0002 - 7 * 98 * 0.0004;
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ symbol: SYM, side: 'long', entryPrice: 100, exitReason: 'stop_loss', qty: 10, entryTs: T0 + 3 * M5, exitTs: T0 + 5 * M5 });
    expect(r.trades[0]!.pnl).toBeCloseTo(pnl, 6);
    expect(r.trades[0]!.fees).toBeCloseTo(ENTRY_FEE + 3 * 101.95 * 0.0002 + 7 * 98 * 0.0004, 6);
    // one sample at the start and one after every candle close
    expect(r.equity.ts).toEqual([T0, ...rows.map((_, i) => T0 + (i + 1) * M5)]);
    expect(r.equity.equity.at(-1)).toBeCloseTo(10_000 + pnl, 6);
    expect(r.metrics).toMatchObject({ trades: 1, winRate: 0, openPositions: 0, startEquity: 10_000 });
    expect(r.metrics.netProfit).toBeCloseTo(pnl, 6);
    expect(r.metrics.feesPaid).toBeCloseTo(r.trades[0]!.fees, 9);
    expect(r.perSymbol).toMatchObject([{ symbol: SYM, trades: 1, winRate: 0 }]);
    expect(r.events.filter((e) => e.type === 'PositionClosed')).toHaveLength(1);
  });

  it('marks open positions to market in the equity curve and counts them as exposure', async () => {
    const rows: Row[] = [...UP, [100, 101, 99.5, 101], [101, 101.5, 100.5, 101]];
    const r = await backtest({ ...base, data: [{ symbol: SYM, candles: candles(rows) }] });
    expect(r.trades).toHaveLength(0);
    expect(r.metrics.openPositions).toBe(1);
    expect(r.equity.equity.at(-1)).toBeCloseTo(10_000 - ENTRY_FEE + 10 * 1, 6);
    // open from the entry fill (close of candle 2) to the last sample (close of candle 4): 2 of 5 candles
    expect(r.metrics.exposureTime).toBeCloseTo(2 / 5, 9);
  });

  it('trades several symbols on one shared balance, with the risk limits applied across them', async () => {
    const rows: Row[] = [...UP, [100, 101, 99.5, 100.5], [100.5, 101, 100, 100.5]];
    const r = await backtest({
      ...base,
      instruments: [testInstrument(SYM), testInstrument(SYM2)],
      risk: { ...base.risk, maxOpenPositions: 1 },
      data: [
        { symbol: SYM, candles: candles(rows) },
        { symbol: SYM2, candles: candles(rows) },
      ],
    });
    const opened = r.events.filter((e) => e.type === 'PositionOpened').map((e) => e.symbol);
    expect(opened).toEqual([SYM]);
    const denied = r.events.find((e) => e.type === 'OrderDenied');
    expect(denied).toMatchObject({ symbol: SYM2, rule: 'max-open-positions' });
    expect(r.metrics.ordersDenied).toBe(1);
    expect(r.perSymbol.map((s) => s.symbol)).toEqual([SYM, SYM2]);
  });

  it('books funding payments into equity (not into trade PnL)', async () => {
    const rows: Row[] = [...UP, [100, 101, 99.5, 100], [100, 101, 99.5, 100]];
    const r = await backtest({
      ...base,
      data: [{ symbol: SYM, candles: candles(rows) }],
      fundingRates: { [SYM]: [{ ts: T0 + 4 * M5, rate: 0.001 }] },
    });
    // long 10 at candle 4's open 100: pays 10 × 100 × 0.001 = 1
    expect(r.funding).toEqual([expect.objectContaining({ symbol: SYM, amount: -1, positionQty: 10 })]);
    expect(r.metrics.funding).toBeCloseTo(-1, 12);
    expect(r.equity.equity.at(-1)).toBeCloseTo(10_000 - ENTRY_FEE - 1, 6);
  });

  it('applies latency, fees and slippage overrides through the same venue', async () => {
    const rows: Row[] = [...UP, [101, 102, 100.5, 101.5], [101.5, 101.6, 101, 101.2]];
    const r = await backtest({ ...base, data: [{ symbol: SYM, candles: candles(rows) }], latencyMs: 1, fees: { taker: 0.001 }, slippage: { bps: 10 } });
    const fill = r.events.find((e) => e.type === 'OrderFilled');
    // latency: the entry waits for candle 3 (open 101), slipped 10 bps → 101.11, taker fee 0.1 %
    expect(fill).toMatchObject({ price: 101.11, ts: T0 + 4 * M5 });
    expect(fill?.type === 'OrderFilled' ? fill.fee : 0).toBeCloseTo(10 * 101.11 * 0.001, 9);
  });

  it('prints a summary table and serialises its metrics', async () => {
    const rows: Row[] = [...UP, [100, 102, 99.5, 101.5], [101, 101.2, 97.5, 97.8]];
    const r = await backtest({ ...base, data: [{ symbol: SYM, candles: candles(rows) }] });
    const text = r.summary();
    expect(text).toContain('Backtest: momentum lookbackHours=0.08333333333333333');
    expect(text).toMatch(/Sharpe \(daily, √365\)/);
    expect(text).toMatch(/│ TEST\/USDT:USDT │\s+1 │/);
    const json = JSON.parse(JSON.stringify(r.toJSON())) as { metrics: Record<string, unknown> };
    expect(json.metrics['trades']).toBe(1);
    expect(json.metrics['sharpe']).toBeNull(); // NaN: a single day
  });

  it('hands the report the equity, formatted metrics, per-symbol table, candles and trades', async () => {
    const rows: Row[] = [...UP, [100, 102, 99.5, 101.5], [101, 101.2, 97.5, 97.8]];
    const r = await backtest({ ...base, data: [{ symbol: SYM, candles: candles(rows) }] });
    const input = r.reportInput();
    expect(input.title).toBe('Backtest — momentum lookbackHours=0.08333333333333333 longThreshold=0.01 shortThreshold=-0.01');
    expect(input.equity.ts).toEqual([...r.equity.ts]);
    expect(input.metrics.find((m) => m.label === 'Trades')?.value).toBe('1');
    expect(input.perSymbol.columns[0]).toBe('Symbol');
    expect(input.perSymbol.rows[0]![0]).toBe(SYM);
    expect(input.symbols[0]!.candles.close).toEqual(rows.map((x) => x[3]));
    expect(input.symbols[0]!.trades).toEqual([
      { side: 'long', entryTs: T0 + 3 * M5, entryPrice: 100, exitTs: T0 + 5 * M5, exitPrice: r.trades[0]!.exitPrice, pnl: r.trades[0]!.pnl, exitReason: 'stop_loss' },
    ]);
  });

  it('reports progress about once a simulated day', async () => {
    const rows: Row[] = Array.from({ length: 600 }, () => [100, 100.5, 99.5, 100] as Row);
    const seen: number[] = [];
    await backtest({ ...base, data: [{ symbol: SYM, candles: candles(rows) }], onProgress: (p) => seen.push(p.fraction) });
    expect(seen.length).toBe(3);
    expect(seen.at(-1)).toBe(1);
  });
});
