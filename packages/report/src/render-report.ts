import { chartLibrarySource } from './chart-library.js';
import { downsampleCandles, downsampleLines, type CandleColumns, type LinePoints } from './downsample.js';
import { computeDrawdown } from './drawdown.js';
import { escapeHtml, scriptJson } from './escape.js';
import type { ReportInput } from './report-input.js';

/**
 * The most points one chart series keeps in a report (20 000). Longer series are downsampled before they are
 * embedded: the equity and drawdown curves keep each bucket's minimum and maximum (so peaks and the maximum
 * drawdown survive, and the drawdown is computed on the full curve first); candles are merged into wider candles;
 * trade markers snap to the merged candle they fall in.
 *
 * @example
 * ```ts
 * if (input.equity.ts.length > REPORT_MAX_POINTS) console.log('the report will show a downsampled equity curve');
 * ```
 */
export const REPORT_MAX_POINTS = 20_000;

interface Marker {
  time: number;
  position: 'aboveBar' | 'belowBar';
  shape: 'arrowUp' | 'arrowDown' | 'circle';
  color: string;
  text: string;
}

const UP = '#26a69a';
const DOWN = '#ef5350';

/** Epoch ms → chart time (whole UTC seconds), keeping only finite values at strictly increasing times. */
function toSeconds(ts: readonly number[], values: readonly (readonly number[])[]): { t: number[]; cols: number[][] } {
  const t: number[] = [];
  const cols: number[][] = values.map(() => []);
  for (let i = 0; i < ts.length; i++) {
    const raw = ts[i]!;
    if (!Number.isFinite(raw) || !values.every((col) => Number.isFinite(col[i]))) continue;
    const s = Math.floor(raw / 1000);
    const last = t.length - 1;
    if (last >= 0 && s <= t[last]!) {
      if (s < t[last]!) continue; // out of order: dropped
      values.forEach((col, k) => (cols[k]![last] = col[i]!)); // same second: the later sample wins
      continue;
    }
    t.push(s);
    values.forEach((col, k) => cols[k]!.push(col[i]!));
  }
  return { t, cols };
}

/** 10 significant digits: far below what a chart can show, and it keeps the embedded JSON small. */
const round = (x: number): number => Number(x.toPrecision(10));
const roundLine = (p: LinePoints): LinePoints => ({ t: p.t, v: p.v.map(round) });

/** Index of the last time ≤ `s` (0 when `s` precedes them all). */
function floorIndex(times: readonly number[], s: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let ans = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= s) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return Math.abs(n) >= 1000 ? n.toFixed(2) : String(Number(n.toPrecision(8)));
}

function checkInput(input: ReportInput): void {
  if (input.equity.ts.length !== input.equity.equity.length) {
    throw new RangeError(`report: equity.ts has ${input.equity.ts.length} samples but equity.equity has ${input.equity.equity.length}`);
  }
  for (const s of input.symbols) {
    const n = s.candles.ts.length;
    for (const k of ['open', 'high', 'low', 'close'] as const) {
      if (s.candles[k].length !== n) throw new RangeError(`report: ${s.symbol} candles.${k} has ${s.candles[k].length} values but candles.ts has ${n}`);
    }
  }
}

/** The JSON embedded in the page (also what the unit tests read back). @internal */
export function reportData(input: ReportInput, maxPoints = REPORT_MAX_POINTS): {
  equity: LinePoints;
  drawdown: LinePoints;
  maxDrawdown: number;
  symbols: { symbol: string; candles: CandleColumns; markers: Marker[]; trades: number }[];
  downsampled: boolean;
} {
  checkInput(input);
  const eq = toSeconds(input.equity.ts, [input.equity.equity]);
  const equityFull: LinePoints = { t: eq.t, v: eq.cols[0]! };
  const ddFull: LinePoints = { t: eq.t, v: computeDrawdown(equityFull.v).map((d) => d * 100) };
  const maxDrawdown = ddFull.v.reduce((m, d) => Math.min(m, d), 0);
  let downsampled = equityFull.t.length > maxPoints;
  const symbols = input.symbols.map((s) => {
    const c = s.candles;
    const raw = toSeconds(c.ts, [c.open, c.high, c.low, c.close]);
    const full: CandleColumns = { t: raw.t, o: raw.cols[0]!, h: raw.cols[1]!, l: raw.cols[2]!, c: raw.cols[3]! };
    if (full.t.length > maxPoints) downsampled = true;
    const merged = downsampleCandles(full, maxPoints);
    const candles: CandleColumns = { t: merged.t, o: merged.o.map(round), h: merged.h.map(round), l: merged.l.map(round), c: merged.c.map(round) };
    const markers: Marker[] = [];
    if (candles.t.length > 0) {
      for (const tr of s.trades) {
        const long = tr.side === 'long';
        if (Number.isFinite(tr.entryTs)) {
          markers.push({
            time: candles.t[floorIndex(candles.t, Math.floor(tr.entryTs / 1000))]!,
            position: long ? 'belowBar' : 'aboveBar',
            shape: long ? 'arrowUp' : 'arrowDown',
            color: long ? UP : DOWN,
            text: `${long ? 'Long' : 'Short'} @ ${fmt(tr.entryPrice)}`,
          });
        }
        if (Number.isFinite(tr.exitTs)) {
          markers.push({
            time: candles.t[floorIndex(candles.t, Math.floor(tr.exitTs / 1000))]!,
            position: long ? 'aboveBar' : 'belowBar',
            shape: 'circle',
            color: tr.pnl >= 0 ? UP : DOWN,
            text: `${tr.exitReason} @ ${fmt(tr.exitPrice)} (${tr.pnl >= 0 ? '+' : ''}${fmt(tr.pnl)})`,
          });
        }
      }
      markers.sort((a, b) => a.time - b.time);
    }
    return { symbol: s.symbol, candles, markers, trades: s.trades.length };
  });
  // one shared set of samples, so the two charts stay aligned bar for bar (their scrolling is synced by index)
  const lines = downsampleLines(eq.t, [equityFull.v, ddFull.v], maxPoints);
  return {
    equity: roundLine({ t: lines.t, v: lines.v[0]! }),
    drawdown: roundLine({ t: lines.t, v: lines.v[1]! }),
    maxDrawdown,
    symbols,
    downsampled,
  };
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#fafafa;color:#1d2330}
main{max-width:1200px;margin:0 auto;padding:24px}h1{margin:0 0 4px;font-size:24px}h2{margin:28px 0 8px;font-size:17px}
.sub{color:#5b6475;margin:0 0 16px}.chart{height:320px;background:#fff;border:1px solid #e1e4ea;border-radius:6px}
.chart.small{height:180px}.note{color:#5b6475;font-size:12px;margin:4px 0}
table{border-collapse:collapse;background:#fff;border:1px solid #e1e4ea;font-variant-numeric:tabular-nums}
th,td{padding:5px 12px;border-bottom:1px solid #eef0f4;text-align:left}td.num{text-align:right}th{background:#f3f5f8;font-weight:600}
.metrics{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:0 24px}.scroll{overflow-x:auto}
`;

/** The page script: draws every chart from the embedded data and publishes `window.__qtReport`. */
const PAGE_SCRIPT = `
(function () {
  var summary = { ready: false, charts: 0, equity: 0, drawdown: 0, symbols: [], error: null };
  window.__qtReport = summary;
  try {
    var LC = window.LightweightCharts;
    var data = JSON.parse(document.getElementById('qt-data').textContent);
    var base = {
      autoSize: true,
      layout: { background: { color: '#ffffff' }, textColor: '#1d2330', attributionLogo: true },
      grid: { vertLines: { color: '#f0f2f5' }, horzLines: { color: '#f0f2f5' } },
      timeScale: { timeVisible: true, secondsVisible: false, minBarSpacing: 0.001 },
      rightPriceScale: { minimumWidth: 90 },
      localization: { timeFormatter: function (t) { return new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' '); } }
    };
    function line(t, v) { var out = new Array(t.length); for (var i = 0; i < t.length; i++) out[i] = { time: t[i], value: v[i] }; return out; }
    function chart(id) { summary.charts++; return LC.createChart(document.getElementById(id), base); }

    var eqChart = chart('qt-equity');
    var eqSeries = eqChart.addSeries(LC.AreaSeries, { lineColor: '#2962ff', topColor: 'rgba(41,98,255,0.25)', bottomColor: 'rgba(41,98,255,0.02)', lineWidth: 2 });
    eqSeries.setData(line(data.equity.t, data.equity.v));
    summary.equity = eqSeries.data().length;

    var ddChart = chart('qt-drawdown');
    var ddSeries = ddChart.addSeries(LC.AreaSeries, { lineColor: '${DOWN}', topColor: 'rgba(239,83,80,0.05)', bottomColor: 'rgba(239,83,80,0.35)', lineWidth: 1, invertFilledArea: true,
      priceFormat: { type: 'custom', formatter: function (p) { return p.toFixed(2) + ' %'; } } });
    ddSeries.setData(line(data.drawdown.t, data.drawdown.v));
    summary.drawdown = ddSeries.data().length;
    eqChart.timeScale().fitContent();
    ddChart.timeScale().fitContent();
    var syncing = false;
    function sync(from, to) {
      from.timeScale().subscribeVisibleLogicalRangeChange(function (r) {
        if (syncing || r === null) return; syncing = true; to.timeScale().setVisibleLogicalRange(r); syncing = false;
      });
    }
    sync(eqChart, ddChart); sync(ddChart, eqChart);

    data.symbols.forEach(function (s, k) {
      var c = chart('qt-symbol-' + k);
      var series = c.addSeries(LC.CandlestickSeries, { upColor: '${UP}', downColor: '${DOWN}', wickUpColor: '${UP}', wickDownColor: '${DOWN}', borderVisible: false });
      var bars = new Array(s.candles.t.length);
      for (var i = 0; i < bars.length; i++) bars[i] = { time: s.candles.t[i], open: s.candles.o[i], high: s.candles.h[i], low: s.candles.l[i], close: s.candles.c[i] };
      series.setData(bars);
      var markers = LC.createSeriesMarkers(series, s.markers);
      c.timeScale().fitContent();
      summary.symbols.push({ symbol: s.symbol, candles: series.data().length, markers: markers.markers().length });
    });
    summary.ready = true;
  } catch (err) {
    summary.error = String(err && err.stack || err);
    console.error('quantum-trader report: ' + summary.error);
  }
})();
`;

function cell(v: string | number): string {
  return typeof v === 'number' ? `<td class="num">${escapeHtml(fmt(v))}</td>` : `<td>${escapeHtml(v)}</td>`;
}

/**
 * Renders a backtest report as one self-contained HTML document: equity curve, drawdown (computed from the equity),
 * a candlestick chart per symbol with entry and exit markers, the metrics table and the per-symbol table. The
 * charting library (TradingView Lightweight Charts, Apache-2.0) is inlined, so the file opens offline; all text is
 * HTML-escaped; series longer than {@link REPORT_MAX_POINTS} are downsampled.
 *
 * @example
 * ```ts
 * import { renderReport } from '@quantum-trader/report';
 *
 * const html = renderReport({
 *   title: 'Backtest — momentum',
 *   equity: { ts: [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)], equity: [10_000, 10_120] },
 *   metrics: [{ label: 'Net profit', value: '120.00' }],
 *   perSymbol: { columns: ['Symbol', 'Trades'], rows: [['BTC/USDT:USDT', 3]] },
 *   symbols: [],
 * });
 * ```
 */
export function renderReport(input: ReportInput): string {
  const data = reportData(input);
  const title = escapeHtml(input.title);
  const subtitle = input.subtitle === undefined ? '' : `<p class="sub">${escapeHtml(input.subtitle)}</p>`;
  const metrics = input.metrics.map((m) => `<tr><th scope="row">${escapeHtml(m.label)}</th><td class="num">${escapeHtml(m.value)}</td></tr>`);
  const half = Math.ceil(metrics.length / 2);
  const metricTables = [metrics.slice(0, half), metrics.slice(half)]
    .filter((rows) => rows.length > 0)
    .map((rows) => `<table>${rows.join('')}</table>`)
    .join('');
  const head = input.perSymbol.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = input.perSymbol.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n');
  const symbolSections = data.symbols
    .map(
      (s, k) =>
        `<section><h2>${escapeHtml(s.symbol)}</h2><p class="note">${s.trades} trade${s.trades === 1 ? '' : 's'} · arrows mark entries, circles exits (green: profit, red: loss)</p><div class="chart" id="qt-symbol-${k}"></div></section>`,
    )
    .join('\n');
  const note = data.downsampled
    ? `<p class="note">Long series are downsampled to at most ${REPORT_MAX_POINTS.toLocaleString('en-US')} points per chart (extremes kept; the drawdown is computed on the full curve).</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@quantum-trader/report">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${title}</h1>
${subtitle}
<h2>Equity</h2>
<div class="chart" id="qt-equity"></div>
<h2>Drawdown</h2>
<p class="note">Maximum drawdown ${escapeHtml(data.maxDrawdown.toFixed(2))} %</p>
<div class="chart small" id="qt-drawdown"></div>
${note}
<h2>Metrics</h2>
<div class="metrics">${metricTables}</div>
<h2>Per symbol</h2>
<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>
${symbolSections}
</main>
<script type="application/json" id="qt-data">${scriptJson(data)}</script>
<script>${chartLibrarySource()}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
