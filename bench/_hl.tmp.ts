import { minuteCandles } from '/work/main/bench/lib/minute-candles.ts';
import { handLoop } from '/work/main/bench/lib/hand-loop.ts';
const cols = minuteCandles(1_000_000);
const cfg = { notional: 1000, cooldownMs: 60000, stopLossPct: 0.02, initialBalance: 1e6, tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 5, makerFee: 0.0002, takerFee: 0.0004 };
for (let k = 0; k < 8; k++) { const c0 = process.cpuUsage(); const t = performance.now(); const tr = handLoop(cols, cfg); const c = process.cpuUsage(c0); console.log('hand', (performance.now() - t).toFixed(1), 'ms cpu', ((c.user + c.system) / 1000).toFixed(1), tr.length); }
