import {
  CandleReplay,
  MemoryIntentQueue,
  ReplayScheduler,
  RiskEngine,
  SimulatedExchange,
  TradingKernel,
  binanceInstrument,
  cooldownRule,
  dailyLossLimitRule,
  fixedNotionalSizer,
  maxLeverageRule,
  maxNotionalRule,
  maxOpenPositionsRule,
  momentumStrategy,
  onePositionPerSymbolRule,
  type Instrument,
  type Journal,
  type KernelLogger,
  type ServiceName,
  type UnixMillis,
} from '@quantum-trader/core';
import { ExitBrain } from '@quantum-trader/exit-brain';
import type { RunnerConfig } from '../config/index.js';
import { isoDateToMillis } from '../config/index.js';
import type { SymbolData } from './paper-types.js';

/** Everything a paper (or replay) session is made of, wired but not started. */
export interface PaperSession {
  readonly scheduler: ReplayScheduler;
  readonly market: CandleReplay;
  readonly exchange: SimulatedExchange;
  readonly kernel: TradingKernel;
  readonly instruments: readonly Instrument[];
  readonly from: UnixMillis;
  readonly to: UnixMillis;
}

/**
 * Wires a paper session from a validated config and loaded candles: replayed market data on a virtual-time
 * scheduler, the simulated exchange, the momentum strategy, the risk rules of the config, the Exit Brain and
 * the given journal. The same kernel runs live with other adapters behind the same ports.
 *
 * @example
 * ```ts
 * const session = buildPaperSession(config, data, journal);
 * await session.kernel.start();
 * session.market.start();
 * session.scheduler.runAll();
 * ```
 */
export function buildPaperSession(
  config: RunnerConfig,
  data: readonly SymbolData[],
  journal: Journal,
  logger?: (service: ServiceName) => KernelLogger,
): PaperSession {
  const from = config.from === undefined ? undefined : isoDateToMillis(config.from);
  const to = config.to === undefined ? undefined : isoDateToMillis(config.to);
  // The clock starts one candle before the first replayed candle closes.
  const firstOpen = Math.min(
    ...data.map((d) => d.candles.find((c) => from === undefined || c.ts >= from)?.ts ?? Number.POSITIVE_INFINITY),
  );
  const scheduler = new ReplayScheduler(Number.isFinite(firstOpen) ? firstOpen : 0);
  const market = new CandleReplay(
    {
      series: data.map((d) => ({ symbol: d.symbol, candles: d.candles })),
      timeframe: config.timeframe,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    },
    scheduler,
  );
  const instruments = data.map((d) => binanceInstrument(d.symbol));
  const exchange = new SimulatedExchange({
    instruments,
    balances: { USDT: config.initialBalance },
    slippageBps: config.exchange.slippageBps,
    intrabar: config.exchange.intrabar,
    scheduler,
  });
  market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
  const risk = new RiskEngine({
    rules: [
      maxNotionalRule(config.risk.maxNotionalPerTrade),
      maxLeverageRule(config.risk.maxLeverage),
      onePositionPerSymbolRule(),
      maxOpenPositionsRule(config.risk.maxOpenPositions),
      cooldownRule(config.risk.cooldownMinutes * 60_000),
      dailyLossLimitRule(config.risk.dailyLossLimit),
    ],
    sizer: fixedNotionalSizer(config.risk.maxNotionalPerTrade, config.risk.leverage),
    leverage: config.risk.leverage,
    instrument: (s) => {
      const i = instruments.find((x) => x.symbol === s);
      if (i === undefined) throw new Error(`no instrument for ${s}`);
      return i;
    },
  });
  const kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal,
    queue: new MemoryIntentQueue(),
    strategies: [
      momentumStrategy({
        lookbackHours: config.strategy.params.lookbackHours,
        longThreshold: config.strategy.params.longThreshold,
        shortThreshold: config.strategy.params.shortThreshold,
        timeframe: config.timeframe,
      }),
    ],
    risk,
    instruments,
    exits: (ctx) => new ExitBrain(ctx, { stopLossPct: config.exits.stopLossPct }),
    initialBalance: config.initialBalance,
    cycleMs: config.cycleSeconds * 1000,
    portfolioSyncMs: config.portfolioSyncSeconds * 1000,
    resume: 'fresh',
    ...(logger !== undefined ? { logger } : {}),
  });
  return { scheduler, market, exchange, kernel, instruments, from: market.startTime, to: market.endTime };
}

