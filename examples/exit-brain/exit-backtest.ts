// A backtest of the Exit Brain on the bundled real Binance candles: the reference bot's 24 h momentum entries
// (±1 %), its static risk rules, the simulated exchange, and an Exit Brain configured by the caller. Used by
// learned-vs-static.ts and by the examples' tests.
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
  maxOpenPositionsRule,
  momentumStrategy,
  onePositionPerSymbolRule,
  sliceCandles,
  symbolId,
  type Candle,
  type SymbolId,
  type TradeRow,
} from '@quantum-trader/core';
import { ExitBrain, type ExitBrainOptions, type PositionOutcome } from '@quantum-trader/exit-brain';

const DATA = fileURLToPath(new URL('../../packages/runner/data/binance/', import.meta.url));
const FILES: Readonly<Record<string, string>> = {
  BTC: 'binance_BTCUSDT_5m_2020-12-01_2021-07-17.csv',
  ETH: 'binance_ETHUSDT_5m_2020-12-01_2021-07-17.csv',
  BNB: 'binance_BNBUSDT_5m_2021-01-01_2021-05-13.csv',
};
const DAY = 86_400_000;

const cache = new Map<string, Candle[]>();
function candlesOf(base: string): Candle[] {
  let c = cache.get(base);
  if (c === undefined) {
    c = loadCandlesCsv(`${DATA}${FILES[base]!}`);
    cache.set(base, c);
  }
  return c;
}

/** What one backtest measured. */
export interface ExitMetrics {
  readonly trades: number;
  /** Realized PnL net of fees, USDT. */
  readonly pnl: number;
  readonly winRate: number;
  /** Largest peak-to-trough fall of equity (sampled every 30 s of market time), as a fraction of the peak. */
  readonly maxDrawdown: number;
  /** Average PnL per trade, USDT. */
  readonly expectancy: number;
  /** Average realized R (PnL / initial risk at the stop). */
  readonly avgR: number;
}

export interface ExitBacktestOptions {
  /** ISO dates, [from, to). */
  readonly from: string;
  readonly to: string;
  /** Base assets traded as USDT perpetuals (default BTC, ETH, BNB where the data covers the period). */
  readonly assets?: readonly string[];
  readonly leverage?: number;
  readonly exits: ExitBrainOptions;
}

export interface ExitBacktestResult {
  readonly metrics: ExitMetrics;
  readonly trades: readonly TradeRow[];
  readonly outcomes: readonly PositionOutcome[];
}

/** Runs the momentum bot with the given Exit Brain options over [from, to) and measures the result. */
export async function runExitBacktest(o: ExitBacktestOptions): Promise<ExitBacktestResult> {
  const from = Date.parse(o.from);
  const to = Date.parse(o.to);
  const leverage = o.leverage ?? 1;
  const series: { symbol: SymbolId; candles: Candle[] }[] = [];
  for (const base of o.assets ?? Object.keys(FILES)) {
    // one day of history before `from` warms the momentum and the volatility up
    const candles = sliceCandles(candlesOf(base), from - DAY - 600_000, to);
    if (candles.some((c) => c.ts >= from)) series.push({ symbol: symbolId(`${base}/USDT:USDT`), candles });
  }
  const scheduler = new ReplayScheduler(from);
  const market = new CandleReplay({ series, timeframe: '5m', from }, scheduler);
  const instruments = series.map((s) => binanceInstrument(s.symbol));
  const exchange = new SimulatedExchange({ instruments, balances: { USDT: 10_000 }, slippageBps: 2, scheduler });
  exchange.attach(market);
  const journal = new MemoryJournal();
  const outcomes: PositionOutcome[] = [];
  const kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal,
    queue: new MemoryIntentQueue(),
    strategies: [momentumStrategy({ timeframe: '5m' })],
    risk: new RiskEngine({
      rules: [maxNotionalRule(1000), maxLeverageRule(10), onePositionPerSymbolRule(), maxOpenPositionsRule(3), cooldownRule(60 * 60_000)],
      sizer: fixedNotionalSizer(1000),
      leverage,
      instrument: (s) => instruments.find((i) => i.symbol === s)!,
    }),
    instruments,
    exits: (ctx) => {
      const brain = new ExitBrain(ctx, { timeframe: '5m', ...o.exits });
      brain.outcomes$.subscribe((x) => outcomes.push(x));
      return brain;
    },
    initialBalance: 10_000,
    resume: 'fresh',
  });
  await kernel.start();
  market.start();
  scheduler.runAll(market.endTime + 60_000);
  kernel.stop();
  if (kernel.error !== undefined) throw kernel.error;
  const trades = journal.trades();
  const status = kernel.status();
  const pnl = trades.reduce((a, t) => a + t.realizedPnl, 0);
  return {
    trades,
    outcomes,
    metrics: {
      trades: trades.length,
      pnl,
      winRate: trades.length === 0 ? Number.NaN : trades.filter((t) => t.realizedPnl > 0).length / trades.length,
      maxDrawdown: status.maxDrawdown,
      expectancy: trades.length === 0 ? Number.NaN : pnl / trades.length,
      avgR: outcomes.length === 0 ? Number.NaN : outcomes.reduce((a, x) => a + x.realizedR, 0) / outcomes.length,
    },
  };
}
