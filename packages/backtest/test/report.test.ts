import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest } from '../src/index.js';
import { realData } from './helpers.js';

// result.report(path) end to end: a short backtest on the repo's real Binance data, written through
// @quantum-trader/report (the browser rendering itself is tested in packages/report).
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];

interface Embedded {
  equity: { t: number[]; v: number[] };
  drawdown: { t: number[]; v: number[] };
  maxDrawdown: number;
  symbols: { symbol: string; candles: { t: number[] }; markers: { time: number }[]; trades: number }[];
}

describe('result.report(path)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qt-backtest-report-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a self-contained HTML report of a real-data backtest', async () => {
    const result = await backtest({
      data: realData('5m', SYMBOLS, '2021-04-25', '2021-05-06'),
      from: '2021-04-27',
      to: '2021-05-05',
      slippage: { bps: 2 },
    });
    expect(result.trades.length).toBeGreaterThan(0);

    const path = join(dir, 'out', 'report.html');
    await result.report(path, { title: 'Momentum <BTC & ETH>' });
    const html = await readFile(path, 'utf8');

    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Momentum &#60;BTC &#38; ETH&#62;</title>');
    expect(html).toContain('TradingView Lightweight Charts');
    expect(html).not.toMatch(/<script[^>]+src=/);
    const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
    for (const m of result.reportInput().metrics) expect(html).toContain(`<th scope="row">${escape(m.label)}</th><td class="num">${escape(m.value)}</td>`);

    const json = /<script type="application\/json" id="qt-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(json).toBeDefined();
    const data = JSON.parse(json!) as Embedded;
    expect(data.equity.t).toHaveLength(result.equity.ts.length);
    expect(data.equity.t[0]).toBe(result.equity.ts[0]! / 1000);
    expect(data.equity.v.at(-1)).toBeCloseTo(result.metrics.endEquity, 4);
    expect(data.maxDrawdown).toBeLessThanOrEqual(0);
    expect(data.symbols.map((s) => s.symbol)).toEqual(result.reportInput().symbols.map((s) => s.symbol));
    for (const s of data.symbols) {
      const trades = result.trades.filter((t) => t.symbol === s.symbol);
      expect(s.trades).toBe(trades.length);
      expect(s.markers).toHaveLength(2 * trades.length);
      expect(s.candles.t.length).toBeGreaterThan(2_000); // ~8 days of 5m candles
    }
  });
});
