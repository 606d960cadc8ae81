import { backtest, loadCandleDirectory } from '@quantum-trader/backtest';
const dir = 'packages/runner/data/binance';
const symbols = ['BTC/USDT', 'ETH/USDT', 'BNB/USDT'];
let t = performance.now();
const data = loadCandleDirectory(dir, { timeframe: '5m', symbols });
const refine = loadCandleDirectory(dir, { timeframe: '1m', symbols });
console.log('load', (performance.now() - t).toFixed(0), 'ms');
for (const withRefine of [false, true]) {
  t = performance.now();
  const r = await backtest({ data, ...(withRefine ? { refine } : {}), from: '2021-04-27', to: '2021-05-13' });
  console.log('run', (performance.now() - t).toFixed(0), 'ms', r.events.length, 'events');
  console.log(r.summary());
}
