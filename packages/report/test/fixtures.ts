import type { ReportInput } from '../src/index.js';

const T0 = Date.UTC(2024, 0, 1);
const M5 = 300_000;

/** A deterministic random walk of `n` 5-minute candles. */
export function walk(n: number, seed = 1, start = 100): ReportInput['symbols'][number]['candles'] {
  let x = seed;
  const rnd = () => ((x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const c = { ts: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[] };
  let price = start;
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = open * (1 + (rnd() - 0.5) * 0.01);
    c.ts.push(T0 + i * M5);
    c.open.push(open);
    c.close.push(close);
    c.high.push(Math.max(open, close) * (1 + rnd() * 0.003));
    c.low.push(Math.min(open, close) * (1 - rnd() * 0.003));
    price = close;
  }
  return c;
}

/** A two-symbol report input with `n` candles per symbol and hostile text in every text field. */
export function sampleInput(n = 500): ReportInput {
  const a = walk(n, 7, 100);
  const b = walk(n, 11, 2_000);
  const equity = a.ts.map((_, i) => 10_000 + 300 * Math.sin(i / 40) + i * 0.5);
  return {
    title: 'Backtest <script>alert(1)</script> & "momentum"',
    subtitle: "BTC/USDT:USDT, ETH/USDT:USDT · 5m · <img src=x onerror=alert('x')>",
    equity: { ts: [...a.ts], equity },
    metrics: [
      { label: 'Net profit', value: '1,234.56' },
      { label: 'Max drawdown <b>', value: '-3.21 %' },
      { label: 'Trades', value: '4' },
    ],
    perSymbol: { columns: ['Symbol', 'Trades', 'Net <i>profit</i>'], rows: [['A/USDT:USDT', 2, 12.5], ['</script><script>alert(2)</script>', 2, -3.25]] },
    symbols: [
      {
        symbol: 'A/USDT:USDT',
        candles: a,
        trades: [
          { side: 'long', entryTs: a.ts[10]!, entryPrice: a.open[10]!, exitTs: a.ts[40]!, exitPrice: a.close[40]!, pnl: 12.5, exitReason: 'take_profit' },
          { side: 'short', entryTs: a.ts[100]!, entryPrice: a.open[100]!, exitTs: a.ts[130]!, exitPrice: a.close[130]!, pnl: -4, exitReason: 'stop_loss' },
        ],
      },
      {
        symbol: '</script><script>alert(2)</script>',
        candles: b,
        trades: [
          { side: 'long', entryTs: b.ts[50]!, entryPrice: b.open[50]!, exitTs: b.ts[60]!, exitPrice: b.close[60]!, pnl: -3, exitReason: '</script>' },
          { side: 'short', entryTs: b.ts[200]!, entryPrice: b.open[200]!, exitTs: b.ts[260]!, exitPrice: b.close[260]!, pnl: 5, exitReason: 'signal' },
        ],
      },
    ],
  };
}
