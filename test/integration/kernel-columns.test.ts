import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CandleReplay,
  MemoryIntentQueue,
  MemoryJournal,
  ReplayScheduler,
  RiskEngine,
  SimulatedExchange,
  TradingKernel,
  binanceInstrument,
  candleColumnsFrom,
  cooldownRule,
  fixedNotionalSizer,
  loadCandlesCsv,
  maxNotionalRule,
  momentumStrategy,
  onePositionPerSymbolRule,
  symbolId,
  type Candle,
  type CandleColumns,
} from '@quantum-trader/core';
import { ExitBrain } from '@quantum-trader/exit-brain';

// Long replays can hand the kernel Float64Array columns instead of a million candle objects; nothing else changes.
const S = symbolId('ETH/USDT:USDT');
const file = fileURLToPath(new URL('../../packages/runner/data/binance/binance_ETHUSDT_5m_2020-12-01_2021-07-17.csv', import.meta.url));
const candles = loadCandlesCsv(file).slice(0, 6_000);

function journalOf(input: readonly Candle[] | CandleColumns) {
  const instrument = binanceInstrument(S);
  const scheduler = new ReplayScheduler(candles[0]!.ts);
  const market = new CandleReplay({ series: [{ symbol: S, candles: input }], timeframe: '5m' }, scheduler);
  const exchange = new SimulatedExchange({ instruments: [instrument], balances: { USDT: 10_000 }, slippageBps: 2, scheduler });
  market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
  const journal = new MemoryJournal();
  const kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal,
    queue: new MemoryIntentQueue(),
    strategies: [momentumStrategy({ timeframe: '5m' })],
    risk: new RiskEngine({
      rules: [maxNotionalRule(1000), onePositionPerSymbolRule(), cooldownRule(30 * 60_000)],
      sizer: fixedNotionalSizer(1000, 3),
      leverage: 3,
      instrument: () => instrument,
    }),
    instruments: [instrument],
    exits: (ctx) => new ExitBrain(ctx),
    initialBalance: 10_000,
    resume: 'fresh',
  });
  void kernel.start();
  market.start();
  scheduler.runAll(market.endTime + 60_000);
  kernel.stop();
  if (kernel.error !== undefined) throw kernel.error;
  return { events: journal.events(), curve: [kernel.portfolio.curveTs, kernel.portfolio.curveEquity] };
}

describe('the kernel on candle columns', () => {
  it('journals exactly what it journals on the same candles as objects', () => {
    const objects = journalOf(candles);
    const columns = journalOf(candleColumnsFrom(candles));
    expect(objects.events.filter((e) => e.event.type === 'PositionClosed').length).toBeGreaterThan(3);
    expect(columns).toEqual(objects);
  });
});
