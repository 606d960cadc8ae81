// A notebook-style backtest: load candles, pick a strategy and its parameters, risk rules, exits, fees and
// slippage, run it, print the metrics, look at the trades and the equity curve, write the HTML report.
//
//   npx tsx examples/backtest/notebook.ts
//
// It runs the reference bot's engine (the same kernel as paper and live) on the real Binance data bundled with the
// runner: BTC, ETH and BNB, 5-minute candles, ambiguous candles resolved with 1-minute candles.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { backtest, loadCandleDirectory } from '@quantum-trader/backtest';

const dataDir = fileURLToPath(new URL('../../packages/runner/data/binance/', import.meta.url));
const outDir = fileURLToPath(new URL('./out/', import.meta.url)); // git-ignored
const symbols = ['BTC/USDT', 'ETH/USDT', 'BNB/USDT'];

// 1. Candles: one CSV per symbol and timeframe (ts,open,high,low,close,volume).
const data = loadCandleDirectory(dataDir, { timeframe: '5m', symbols });
const refine = loadCandleDirectory(dataDir, { timeframe: '1m', symbols });

// 2. The run: strategy plugin and parameters, risk, exits, costs. Everything left out keeps the bot's defaults.
const result = await backtest({
  data,
  refine, // 1m candles decide the order of a TP and a SL reached inside one 5m candle
  from: '2021-04-27', // the day before warms the 24 h momentum up
  to: '2021-05-13',
  marketType: 'linear', // USDⓈ-M perpetuals: longs and shorts
  initialBalance: 10_000,
  strategy: { name: 'momentum', params: { lookbackHours: 24, longThreshold: 0.01, shortThreshold: -0.01 } },
  risk: { maxNotionalPerTrade: 1000, leverage: 2, maxOpenPositions: 3, cooldownMinutes: 60, dailyLossLimit: 300 },
  exits: { stopLossPct: 0.02 }, // STANDARD_LADDER: 30 % / 30 % / 40 % at TP1..TP3, stop at −2 %
  slippage: { bps: 2, impactBps: 20 }, // fixed 2 bps + volume-participation impact
  latencyMs: 0,
  onProgress: (p) => process.stderr.write(`\r${(p.fraction * 100).toFixed(0).padStart(3)} % · ${p.trades} trades`),
});
process.stderr.write('\n');

// 3. Metrics, trades, equity.
console.log(result.summary());
console.log('\nFirst trades:');
console.table(
  result.trades.slice(0, 5).map((t) => ({
    symbol: t.symbol,
    side: t.side,
    entry: new Date(t.entryTs).toISOString().slice(0, 16),
    exit: new Date(t.exitTs).toISOString().slice(0, 16),
    entryPrice: t.entryPrice,
    exitPrice: Number(t.exitPrice.toFixed(4)),
    pnl: Number(t.pnl.toFixed(2)),
    reason: t.exitReason,
  })),
);
const { ts, equity } = result.equity;
console.log(`Equity: ${equity.length} samples, ${equity[0]} → ${equity.at(-1)?.toFixed(2)} (last at ${new Date(ts.at(-1)!).toISOString()})`);

// 4. The self-contained HTML report (equity, drawdown, trades on the price charts, tables).
mkdirSync(outDir, { recursive: true });
await result.report(`${outDir}report.html`);
console.log(`Report: ${outDir}report.html`);
