import { minuteCandles } from './lib/minute-candles.js';
import { runEngine, BENCH_INSTRUMENT as I } from './lib/engine-run.js';
import { handLoop } from './lib/hand-loop.js';
const n = Number(process.argv[2] ?? 200_000);
const cfg = { notional: 1000, cooldownMs: Number(process.argv[3] ?? 60_000), stopLossPct: Number(process.argv[4] ?? 0.02), portfolioSyncMs: 3_600_000, initialBalance: 1_000_000 };
const cols = minuteCandles(n);
const r = runEngine(cols, cfg);
const h = handLoop(cols, { ...cfg, tickSize: I.tickSize, lotStep: I.lotStep, minQty: I.minQty, minNotional: I.minNotional, makerFee: I.makerFee, takerFee: I.takerFee });
const e = r.closed.map((c) => ({ side: c.side, entryTs: c.openedAt, entryPrice: c.entryPrice, exitTs: c.ts, exitPrice: c.exitPrice, qty: c.qty, pnl: c.realizedPnl, fees: c.fees, exitReason: c.exitReason }));
console.log('engine', r.ms.toFixed(0), 'ms cpu', r.cpuMs.toFixed(0), 'trades', e.length, 'hand trades', h.length, 'rss', process.resourceUsage().maxRSS >> 10);
let bad = 0;
for (let i = 0; i < Math.max(e.length, h.length); i++) {
  const a = JSON.stringify(e[i]), b = JSON.stringify(h[i]);
  if (a !== b) { console.log(i, '\n E', a, '\n H', b); if (++bad > 3) break; }
}
if (!bad) console.log('IDENTICAL');
let t = performance.now(); for (let k = 0; k < 5; k++) handLoop(cols, { ...cfg, tickSize: I.tickSize, lotStep: I.lotStep, minQty: I.minQty, minNotional: I.minNotional, makerFee: I.makerFee, takerFee: I.takerFee }); console.log('hand ms', ((performance.now() - t) / 5).toFixed(2));
