import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeDrawdown, renderReport, REPORT_MAX_POINTS, writeReport, type ReportInput } from '../src/index.js';
import { downsampleCandles, downsampleLine } from '../src/downsample.js';
import type { reportData } from '../src/render-report.js';
import { sampleInput, walk } from './fixtures.js';

type Data = ReturnType<typeof reportData>;

/** The JSON the page draws from, read back out of the HTML. */
function embedded(html: string): Data {
  const m = /<script type="application\/json" id="qt-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as Data;
}

const minimal = (equity: number[], ts = equity.map((_, i) => Date.UTC(2024, 0, 1) + i * 60_000)): ReportInput => ({
  title: 't',
  equity: { ts, equity },
  metrics: [],
  perSymbol: { columns: [], rows: [] },
  symbols: [],
});

describe('renderReport()', () => {
  it('escapes every piece of text (no injected elements, and only the three report scripts)', () => {
    const html = renderReport(sampleInput(200));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>profit');
    expect(html).toContain('<title>Backtest &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;momentum&#34;</title>');
    expect(html).toContain('&#60;/script&#62;&#60;script&#62;alert(2)&#60;/script&#62;');
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    // the hostile exit reason survives as data, inside the JSON
    expect(embedded(html).symbols[1]!.markers.some((m) => m.text.startsWith('</script>'))).toBe(true);
  });

  it('is self-contained: the charting library is inlined and nothing is fetched', () => {
    const html = renderReport(sampleInput(50));
    expect(html).toContain('TradingView Lightweight Charts');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/https?:\/\/[^"'\s]*\.(js|css)\b/);
  });

  it('computes the drawdown from the equity curve (percent of the running peak)', () => {
    const d = embedded(renderReport(minimal([100, 120, 90, 130, 65, 130])));
    expect(d.drawdown.v).toEqual([0, 0, -25, 0, -50, 0]);
    expect(d.maxDrawdown).toBe(-50);
    expect(renderReport(minimal([100, 120, 90, 130, 65, 130]))).toContain('Maximum drawdown -50.00 %');
    expect(computeDrawdown([100, 120, 90, 130])).toEqual([0, 0, -0.25, 0]);
    expect(computeDrawdown([0, -5, 10, NaN, 5])).toEqual([0, 0, 0, 0, -0.5]);
  });

  it('converts times to whole seconds, keeps the later sample of a duplicate second, drops non-finite values', () => {
    const d = embedded(renderReport(minimal([1, 2, 3, NaN, 5], [1_000, 1_500, 2_000, 3_000, 4_000])));
    expect(d.equity).toEqual({ t: [1, 2, 4], v: [2, 3, 5] });
  });

  it('places entry and exit markers on the candles, sorted by time', () => {
    const input = sampleInput(300);
    const d = embedded(renderReport(input));
    const a = d.symbols[0]!;
    expect(a.markers).toHaveLength(4);
    expect(a.markers.map((m) => m.time)).toEqual([10, 40, 100, 130].map((i) => input.symbols[0]!.candles.ts[i]! / 1000));
    expect(a.markers[0]).toMatchObject({ shape: 'arrowUp', position: 'belowBar' });
    expect(a.markers[2]).toMatchObject({ shape: 'arrowDown', position: 'aboveBar' });
    expect(a.markers[3]!.text).toContain('stop_loss');
  });

  it(`downsamples series longer than ${REPORT_MAX_POINTS} points, keeping extremes and the full-curve drawdown`, () => {
    const n = 50_000;
    const input = sampleInput(n);
    const eq = input.equity.equity;
    eq[31_337] = 5_000; // a single-sample crash: the drawdown must still show it
    const d = embedded(renderReport(input));
    expect(d.downsampled).toBe(true);
    expect(d.equity.t.length).toBeLessThanOrEqual(REPORT_MAX_POINTS);
    expect(d.equity.t.length).toBeGreaterThan(REPORT_MAX_POINTS * 0.4);
    expect(Math.min(...d.equity.v)).toBe(5_000);
    expect(d.equity.v.at(-1)).toBeCloseTo(eq.at(-1)!, 4);
    const peak = Math.max(...eq.slice(0, 31_337));
    expect(d.maxDrawdown).toBeCloseTo((5_000 / peak - 1) * 100, 6);
    expect(Math.min(...d.drawdown.v)).toBeCloseTo(d.maxDrawdown, 6);
    const s = d.symbols[0]!;
    expect(s.candles.t.length).toBeLessThanOrEqual(REPORT_MAX_POINTS);
    expect(Math.max(...s.candles.h)).toBeCloseTo(Math.max(...input.symbols[0]!.candles.high), 4);
    expect(Math.min(...s.candles.l)).toBeCloseTo(Math.min(...input.symbols[0]!.candles.low), 4);
    // markers snap onto the merged candles
    const times = new Set(s.candles.t);
    expect(s.markers.every((m) => times.has(m.time))).toBe(true);
    // 2 symbols × 50k candles + 50k equity stay well under a few MB
    expect(Buffer.byteLength(renderReport(input))).toBeLessThan(3_000_000);
  });

  it('rejects inconsistent column lengths with a clear error', () => {
    expect(() => renderReport(minimal([1, 2], [1]))).toThrow(/equity.ts has 1 samples but equity.equity has 2/);
  });
});

describe('downsampling helpers', () => {
  it('downsampleLine keeps first, last and every bucket extreme in time order', () => {
    const t = Array.from({ length: 1_000 }, (_, i) => i);
    const v = t.map((i) => Math.sin(i / 7) * i);
    const out = downsampleLine({ t, v }, 100);
    expect(out.t.length).toBeLessThanOrEqual(100);
    expect(out.t[0]).toBe(0);
    expect(out.t.at(-1)).toBe(999);
    expect(out.t.every((x, i) => i === 0 || x > out.t[i - 1]!)).toBe(true);
    expect(Math.max(...out.v)).toBe(Math.max(...v));
    expect(Math.min(...out.v)).toBe(Math.min(...v));
    expect(downsampleLine({ t: [1, 2], v: [3, 4] }, 100)).toEqual({ t: [1, 2], v: [3, 4] });
  });

  it('downsampleCandles merges consecutive candles into OHLC buckets', () => {
    const c = walk(10);
    const out = downsampleCandles({ t: c.ts, o: c.open, h: c.high, l: c.low, c: c.close }, 5);
    expect(out.t).toEqual([0, 2, 4, 6, 8].map((i) => c.ts[i]));
    expect(out.o[1]).toBe(c.open[2]);
    expect(out.c[1]).toBe(c.close[3]);
    expect(out.h[1]).toBe(Math.max(c.high[2]!, c.high[3]!));
    expect(out.l[1]).toBe(Math.min(c.low[2]!, c.low[3]!));
  });
});

describe('writeReport()', () => {
  it('writes the HTML, creating missing directories', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qt-report-'));
    try {
      const path = join(dir, 'nested', 'deeper', 'report.html');
      await writeReport(sampleInput(20), path);
      const html = await readFile(path, 'utf8');
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('id="qt-symbol-1"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
