import { minuteCandles } from './lib/minute-candles.js';
import { runEngine } from './lib/engine-run.js';
const n = Number(process.argv[2] ?? 1_000_000);
const cfg = { notional: 1000, cooldownMs: Number(process.env.CD ?? 60_000), stopLossPct: Number(process.env.SL ?? 0.02), portfolioSyncMs: Number(process.env.SYNC ?? 3_600_000), initialBalance: 1_000_000, longThreshold: Number(process.env.THR ?? 0.01), shortThreshold: -Number(process.env.THR ?? 0.01) };
const cols = minuteCandles(n);
for (let k = 0; k < Number(process.env.REP ?? 1); k++) {
  const r = runEngine(cols, cfg);
  console.log('engine', r.ms.toFixed(0), 'ms cpu', r.cpuMs.toFixed(0), 'trades', r.closed.length, 'events', r.events, 'rss', process.resourceUsage().maxRSS >> 10, 'ns/candle(cpu)', ((r.cpuMs * 1e6) / n).toFixed(0));
}
