// Runs the example RSI strategy through the same kernel the reference bot uses, on the bundled real candles.
//   npx tsx examples/custom-strategy/run-custom-strategy.ts
import { fileURLToPath } from 'node:url';
import {
  CandleReplay,
  MemoryIntentQueue,
  MemoryJournal,
  ReplayScheduler,
  RiskEngine,
  SimulatedExchange,
  TradingKernel,
  binanceInstrument,
  cooldownRule,
  fixedNotionalSizer,
  loadCandlesCsv,
  maxLeverageRule,
  maxNotionalRule,
  onePositionPerSymbolRule,
  sliceCandles,
  symbolId,
  type KernelStatus,
} from '@quantum-trader/core';
import { ExitBrain } from '@quantum-trader/exit-brain';
import { rsiReversalStrategy } from './rsi-reversal-strategy.js';

const DATA = fileURLToPath(new URL('../../packages/runner/data/binance/', import.meta.url));

/** Runs the RSI strategy on ETH/USDT perpetual over [from, to) and returns the kernel's final status. */
export async function runCustomStrategy(from = '2021-03-01', to = '2021-03-08'): Promise<KernelStatus> {
  const symbol = symbolId('ETH/USDT:USDT');
  const all = loadCandlesCsv(`${DATA}binance_ETHUSDT_5m_2020-12-01_2021-07-17.csv`);
  const candles = sliceCandles(all, undefined, Date.parse(to));
  const start = Date.parse(from);
  const scheduler = new ReplayScheduler(start);
  const market = new CandleReplay({ series: [{ symbol, candles }], timeframe: '5m', from: start }, scheduler);
  const instrument = binanceInstrument(symbol);
  const exchange = new SimulatedExchange({ instruments: [instrument], balances: { USDT: 10_000 }, slippageBps: 2, scheduler });
  exchange.attach(market);
  const kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal: new MemoryJournal(),
    queue: new MemoryIntentQueue(),
    strategies: [rsiReversalStrategy()],
    risk: new RiskEngine({
      rules: [maxNotionalRule(1000), maxLeverageRule(10), onePositionPerSymbolRule(), cooldownRule(30 * 60_000)],
      sizer: fixedNotionalSizer(1000),
      leverage: 1,
      instrument: () => instrument,
    }),
    instruments: [instrument],
    exits: (ctx) => new ExitBrain(ctx),
    initialBalance: 10_000,
  });
  await kernel.start();
  market.start();
  scheduler.runAll(market.endTime + 60_000);
  kernel.stop();
  if (kernel.error !== undefined) throw kernel.error;
  return kernel.status();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await runCustomStrategy();
  console.log(
    `RSI reversal on ETH/USDT:USDT: ${s.closedTrades} trades, win rate ${(s.winRate * 100).toFixed(1)} %, ` +
      `equity ${s.equity.toFixed(2)}, max drawdown ${(s.maxDrawdown * 100).toFixed(2)} %`,
  );
}
