import { minuteCandles } from './lib/minute-candles.ts';
import { runEngine } from './lib/engine-run.ts';
const n = Number(process.argv[2] ?? 1_000_000);
const sync = Number(process.argv[3] ?? 30_000);
const sl = Number(process.argv[4] ?? 0.02);
const cols = minuteCandles(n);
let mn = Infinity, mx = 0; for (const c of cols.close) { mn = Math.min(mn, c); mx = Math.max(mx, c); }
console.log('price range', mn, mx);
const r = runEngine(cols, { notional: 1000, cooldownMs: 60_000, stopLossPct: sl, portfolioSyncMs: sync, initialBalance: 1_000_000 }, true);
const rss = process.resourceUsage().maxRSS / 1024;
const reasons: Record<string, number> = {};
let pnl = 0;
for (const c of r.closed) { reasons[c.exitReason] = (reasons[c.exitReason] ?? 0) + 1; pnl += c.realizedPnl; }
console.log({ ms: r.ms, nsPerCandle: (r.ms * 1e6) / n, trades: r.closed.length, events: r.events, rssMB: rss, reasons, pnl });
