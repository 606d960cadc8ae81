import {
  CandleReplay,
  MemoryIntentQueue,
  ReplayScheduler,
  SimulatedExchange,
  TradingKernel,
  binanceInstrument,
  momentumStrategy,
  type Instrument,
  type Journal,
  type KernelLogger,
  type ServiceName,
  type UnixMillis,
  standardRiskEngine,
} from '@quantum-trader/core';
import { dirname, join } from 'node:path';
import type { ContinuousLearning, Trainer } from '@quantum-trader/clm';
import { ExitBrain } from '@quantum-trader/exit-brain';
import type { RunnerConfig } from '../config/index.js';
import { isoDateToMillis } from '../config/index.js';
import { fundingOver } from '../data/funding-over.js';
import type { SymbolData } from './paper-types.js';

/** Everything a paper (or replay) session is made of, wired but not started. */
export interface PaperSession {
  readonly scheduler: ReplayScheduler;
  readonly market: CandleReplay;
  readonly exchange: SimulatedExchange;
  readonly kernel: TradingKernel;
  /** The continuous-learning module, when `config.clm.enabled` (not started: see {@link ContinuousLearning.start}). */
  readonly clm: ContinuousLearning | undefined;
  readonly instruments: readonly Instrument[];
  readonly from: UnixMillis;
  readonly to: UnixMillis;
}

/** The `@quantum-trader/clm` module, loaded only when the CLM is enabled (it loads onnxruntime). */
export type ClmModule = typeof import('@quantum-trader/clm');

/**
 * Loads the CLM module for {@link buildPaperSession}.
 *
 * @example
 * ```ts
 * const session = buildPaperSession(config, data, journal, undefined, { clmModule: await loadClmModule() });
 * ```
 */
export function loadClmModule(): Promise<ClmModule> {
  return import('@quantum-trader/clm');
}

/** Options of {@link buildPaperSession}. */
export interface BuildPaperSessionOptions {
  /** Folder of the CLM's registry and datasets (default `clm` next to `config.db`). */
  readonly clmDataDir?: string;
  /** Required when `config.clm.enabled`: the module from {@link loadClmModule}. */
  readonly clmModule?: ClmModule;
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
  options: BuildPaperSessionOptions = {},
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
  const fundingRate = config.exchange.fundingRate;
  const exchange = new SimulatedExchange({
    instruments,
    balances: { USDT: config.initialBalance },
    slippageBps: config.exchange.slippageBps,
    intrabar: config.exchange.intrabar,
    scheduler,
    // perpetuals only (the config refuses a rate on spot): one constant rate on the 8-hour grid over each series
    ...(fundingRate !== undefined ? { fundingRates: fundingOver(data, fundingRate) } : {}),
  });
  exchange.attach(market);
  const risk = standardRiskEngine(config.risk, instruments);
  const strategy = () =>
    momentumStrategy({
      lookbackHours: config.strategy.params.lookbackHours,
      longThreshold: config.strategy.params.longThreshold,
      shortThreshold: config.strategy.params.shortThreshold,
      timeframe: config.timeframe,
    });
  // The CLM records its events (ModelPromoted …) through the kernel, which exists only after the CLM's scorer.
  let kernel!: TradingKernel;
  const clmModule = options.clmModule;
  if (config.clm.enabled && clmModule === undefined) {
    throw new Error('clm.enabled needs the CLM module: pass { clmModule: await loadClmModule() }');
  }
  const clm =
    config.clm.enabled && clmModule !== undefined
      ? new clmModule.ContinuousLearning({
          dataDir: options.clmDataDir ?? join(dirname(config.db), 'clm'),
          journal,
          history: clmModule.candleHistoryFromSeries(
            data.map((d) => ({ symbol: d.symbol, candles: d.candles })),
            config.timeframe,
          ),
          strategy,
          scheduler,
          ...(logger !== undefined ? { logger: logger('clm') } : {}),
          trainer: clmTrainer(clmModule, config.clm),
          schedule: {
            firstRunDelayMs: config.clm.schedule.firstRunDelayHours * 3_600_000,
            intervalMs: config.clm.schedule.intervalHours * 3_600_000,
            minSamples: config.clm.schedule.minSamples,
          },
          gate: { metric: config.clm.gate.metric },
          serving: { mode: config.clm.serving.mode, k: config.clm.serving.k },
          registry: { keep: config.clm.registry.keep },
          record: (events) => kernel.record(events),
        })
      : undefined;
  kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal,
    queue: new MemoryIntentQueue(),
    strategies: [strategy()],
    risk,
    instruments,
    exits: (ctx) => new ExitBrain(ctx, { stopLossPct: config.exits.stopLossPct }),
    initialBalance: config.initialBalance,
    cycleMs: config.cycleSeconds * 1000,
    portfolioSyncMs: config.portfolioSyncSeconds * 1000,
    resume: 'fresh',
    ...(clm !== undefined ? { scorer: clm.scorer } : {}),
    ...(logger !== undefined ? { logger } : {}),
  });
  return { scheduler, market, exchange, kernel, clm, instruments, from: market.startTime, to: market.endTime };
}


function clmTrainer(m: ClmModule, clm: RunnerConfig['clm']): Trainer {
  const defined = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return clm.trainer === 'logistic' ? m.logisticTrainer(defined({ ...clm.logistic })) : m.gbdtTrainer(defined({ ...clm.gbdt }));
}

