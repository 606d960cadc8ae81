// Compose the SDK's pieces into your own RxJS pipeline, without the kernel:
// candles → your strategy → riskCheck → your own execution on the simulated exchange.
//   npx tsx examples/embed/embed-in-your-bot.ts
import { fileURLToPath } from 'node:url';
import { concatMap, filter, map, tap } from 'rxjs';
import {
  CandleReplay,
  Portfolio,
  ReplayScheduler,
  RiskEngine,
  SimulatedExchange,
  binanceInstrument,
  clientOrderIdOf,
  eventIdOf,
  fixedNotionalSizer,
  fromMaybe,
  loadCandlesCsv,
  maxNotionalRule,
  momentumStrategy,
  onePositionPerSymbolRule,
  riskCheck,
  symbolId,
  type SignalGenerated,
} from '@quantum-trader/core';

const DATA = fileURLToPath(new URL('../../packages/runner/data/binance/', import.meta.url));

/** Trades BTC momentum for a week with a hand-built pipeline; returns what happened. */
export function embedInYourBot(from = '2021-02-01', to = '2021-02-08') {
  const symbol = symbolId('BTC/USDT:USDT');
  const candles = loadCandlesCsv(`${DATA}binance_BTCUSDT_5m_2020-12-01_2021-07-17.csv`).filter((c) => c.ts < Date.parse(to));
  const scheduler = new ReplayScheduler(Date.parse(from));
  const market = new CandleReplay({ series: [{ symbol, candles }], timeframe: '5m', from: Date.parse(from) }, scheduler);
  const instrument = binanceInstrument(symbol);
  const exchange = new SimulatedExchange({ instruments: [instrument], balances: { USDT: 10_000 }, scheduler });
  const portfolio = new Portfolio(10_000);
  const strategy = momentumStrategy({ timeframe: '5m' });
  const risk = new RiskEngine({
    rules: [maxNotionalRule(1000), onePositionPerSymbolRule()],
    sizer: fixedNotionalSizer(1000),
    leverage: 1,
    instrument: () => instrument,
  });
  const log: string[] = [];

  // Your fills feed your portfolio.
  exchange.events$.subscribe((e) => {
    for (const p of portfolio.apply(e)) log.push(`${p.type} ${p.symbol}`);
  });
  // Warm the strategy up on the day before `from`, then trade on each closed candle.
  for (const c of market.history(symbol, strategy.warmupCandles, Date.parse(from))) strategy.onCandle(symbol, c);
  market.candles$
    .pipe(
      tap((e) => exchange.onCandle(e.symbol, e.candle)),
      tap((e) => {
        strategy.onCandle(e.symbol, e.candle);
        portfolio.mark(e.symbol, e.candle.close);
      }),
      map((e): SignalGenerated | undefined => {
        const d = strategy.evaluate(e.symbol, scheduler.now());
        return d && {
          id: eventIdOf('SignalGenerated', strategy.id, e.symbol, e.candle.ts),
          type: 'SignalGenerated',
          ts: scheduler.now(),
          strategyId: strategy.id,
          symbol: e.symbol,
          direction: d.direction,
          candleTs: e.candle.ts,
          price: e.candle.close,
          strength: d.strength,
          reason: d.reason,
        };
      }),
      filter((s): s is SignalGenerated => s !== undefined),
      riskCheck(risk, () => portfolio.riskContext(scheduler.now(), new Set())),
      filter((d) => d.type === 'IntentCreated'),
      concatMap((d) => {
        const { intent } = d;
        const order = { clientOrderId: clientOrderIdOf(intent.id, 'entry'), symbol, side: intent.side, type: 'market' as const, qty: intent.qty, reduceOnly: false, leg: 'entry' };
        portfolio.apply({ id: eventIdOf('OrderSubmitting', order.clientOrderId), type: 'OrderSubmitting', ts: intent.ts, order });
        return fromMaybe(exchange.submit(order));
      }),
    )
    .subscribe((res) => log.push(`submit ${res.status}`));
  market.start();
  scheduler.runAll();
  return { log, stats: portfolio.stats() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { log, stats } = embedInYourBot();
  console.log(log.join('\n'));
  console.log(`open positions ${stats.openPositions}, equity ${stats.equity.toFixed(2)}`);
}
