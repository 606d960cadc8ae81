import {
  CandleReplay,
  MemoryIntentQueue,
  MemoryJournal,
  ReplayScheduler,
  RiskEngine,
  SimulatedExchange,
  TradingKernel,
  binanceInstrument,
  candleAt,
  cooldownRule,
  fixedNotionalSizer,
  maxLeverageRule,
  maxNotionalRule,
  momentumStrategy,
  onePositionPerSymbolRule,
  symbolId,
  type Candle,
  type CandleColumns,
  type PositionClosed,
} from '@quantum-trader/core';
import { ExitBrain } from '@quantum-trader/exit-brain';

export const BENCH_SYMBOL = symbolId('BTC/USDT:USDT');
export const BENCH_INSTRUMENT = binanceInstrument(BENCH_SYMBOL);

/** The bench configuration, shared by the engine run and the hand loop. */
export const BENCH_CONFIG: BenchConfig = {
  notional: 1000,
  cooldownMs: 60_000,
  stopLossPct: 0.02,
  portfolioSyncMs: 3_600_000,
  initialBalance: 1_000_000,
};

export interface BenchConfig {
  readonly notional: number;
  readonly cooldownMs: number;
  readonly stopLossPct: number;
  readonly portfolioSyncMs: number;
  readonly initialBalance: number;
  /** Momentum thresholds (default ±1 %); only analysis runs change them. */
  readonly longThreshold?: number;
  readonly shortThreshold?: number;
}

export interface EngineRun {
  /** Wall-clock milliseconds from building the kernel to the end of the replay. */
  readonly ms: number;
  /** CPU milliseconds (user + system, all threads) over the same span. */
  readonly cpuMs: number;
  readonly closed: PositionClosed[];
  readonly events: number;
  /** The journal, when asked for (`keepJournal`). */
  readonly journal: MemoryJournal | undefined;
}

/**
 * The full engine on the bench configuration: CandleReplay → SimulatedExchange and TradingKernel (momentum strategy,
 * risk rules, intent queue, execution engine, portfolio, ExitBrain with the STANDARD_LADDER) → MemoryJournal.
 */
export function runEngine(
  cols: CandleColumns,
  cfg: BenchConfig,
  asObjects = false,
  keepJournal = false,
  quietRuns = true,
  journal: MemoryJournal = new MemoryJournal(),
): EngineRun {
  const candles: Candle[] | CandleColumns = asObjects ? Array.from({ length: cols.length }, (_, i) => candleAt(cols, i)) : cols;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const scheduler = new ReplayScheduler(cols.ts[0]!);
  const market = new CandleReplay({ series: [{ symbol: BENCH_SYMBOL, candles }], timeframe: '1m' }, scheduler);
  const exchange = new SimulatedExchange({ instruments: [BENCH_INSTRUMENT], balances: { USDT: cfg.initialBalance }, scheduler });
  // attach() lets the venue take part in quiet runs; a plain subscription makes every candle an event.
  if (quietRuns) exchange.attach(market);
  else market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
  const kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal,
    queue: new MemoryIntentQueue(),
    strategies: [
      momentumStrategy({ timeframe: '1m', longThreshold: cfg.longThreshold ?? 0.01, shortThreshold: cfg.shortThreshold ?? -0.01 }),
    ],
    risk: new RiskEngine({
      rules: [maxNotionalRule(cfg.notional), maxLeverageRule(10), onePositionPerSymbolRule(), cooldownRule(cfg.cooldownMs)],
      sizer: fixedNotionalSizer(cfg.notional),
      leverage: 1,
      instrument: () => BENCH_INSTRUMENT,
    }),
    instruments: [BENCH_INSTRUMENT],
    exits: (ctx) => new ExitBrain(ctx, { stopLossPct: cfg.stopLossPct }),
    initialBalance: cfg.initialBalance,
    portfolioSyncMs: cfg.portfolioSyncMs,
    resume: 'fresh',
  });
  void kernel.start();
  market.start();
  scheduler.runAll(market.endTime + 60_000);
  kernel.stop();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (kernel.error !== undefined) throw kernel.error;
  // the trades as a user reads them: the journal's closed positions (a typed query, not the whole log)
  const closed = journal.events({ types: ['PositionClosed'] }).map((j) => j.event as PositionClosed);
  const events = kernel.status().eventsJournalled;
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, closed, events, journal: keepJournal ? journal : undefined };
}
