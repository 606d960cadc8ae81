// Proof of the CLM on the real Binance candles bundled with the runner (BTC, ETH, BNB, 5 m).
//
//   npx tsx examples/clm/prove-on-real-data.ts            # train until 2021-04-01, compare 2021-04-01 → 2021-07-17
//   npx tsx examples/clm/prove-on-real-data.ts --weekly   # also: the full loop, retraining every 168 h during the test
//
// 1. The CLM trains on the first months only (its clock is set to the split date, so history stops there), with
//    labels simulated from the STANDARD_LADDER exit rule, once with the built-in GBDT and once with the logistic
//    regression. Each candidate goes through the promotion gate (walk-forward holdout = the last quarter of those
//    months); the gate's verdict is printed.
// 2. The reference bot's engine (kernel, 24 h momentum ±1 %, the runner's default risk rules, Exit Brain,
//    simulated exchange with fees and 2 bps slippage) then trades the later months three ways: momentum alone, and
//    momentum filtered by each model (the candidate is served whatever the gate said, to show what the gate saw).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  dailyLossLimitRule,
  fixedNotionalSizer,
  loadCandlesCsv,
  maxLeverageRule,
  maxNotionalRule,
  maxOpenPositionsRule,
  momentumStrategy,
  onePositionPerSymbolRule,
  symbolId,
  type KernelLogger,
  type SignalScorer,
  type UnixMillis,
} from '@quantum-trader/core';
import { ExitBrain } from '@quantum-trader/exit-brain';
import {
  ContinuousLearning,
  ModelRegistry,
  OnnxSignalScorer,
  ScoringModel,
  candleHistoryFromSeries,
  gbdtTrainer,
  logisticTrainer,
  type CandleSeries,
  type RetrainResult,
  type Trainer,
} from '@quantum-trader/clm';

const DATA = fileURLToPath(new URL('../../packages/runner/data/binance/', import.meta.url));
const FILES = {
  'BTC/USDT:USDT': 'binance_BTCUSDT_5m_2020-12-01_2021-07-17.csv',
  'ETH/USDT:USDT': 'binance_ETHUSDT_5m_2020-12-01_2021-07-17.csv',
  'BNB/USDT:USDT': 'binance_BNBUSDT_5m_2021-01-01_2021-05-13.csv',
} as const;
const DAY = 86_400_000;

/** What one trading run over the test months gave. */
export interface SessionResult {
  readonly label: string;
  readonly trades: number;
  readonly winRate: number;
  readonly realizedPnl: number;
  readonly equity: number;
  /** Largest peak-to-trough fall of equity, as a fraction of the peak. */
  readonly maxDrawdown: number;
  /** Signals the model refused (OrderDenied rule `model-filter`). */
  readonly deniedByModel: number;
}

/** One trained model and the gate's verdict on it. */
export interface TrainedResult {
  readonly trainer: string;
  readonly retrain: RetrainResult;
  readonly dataDir: string;
}

/** Options of {@link proveOnRealData}. */
export interface ProveOptions {
  readonly split?: string;
  readonly end?: string;
  readonly weekly?: boolean;
  readonly log?: (line: string) => void;
}

/** Loads the bundled candles as USDⓈ-M perpetual symbols (longs and shorts). */
export function loadSeries(): CandleSeries[] {
  return Object.entries(FILES).map(([s, f]) => ({ symbol: symbolId(s), candles: loadCandlesCsv(join(DATA, f)) }));
}

function consoleLogger(log: (line: string) => void): KernelLogger {
  const at = (fields: object, message: string) => {
    if (message.startsWith('[CLM]')) log(`  ${new Date((fields as { ts?: number }).ts ?? 0).toISOString().slice(0, 16)} ${message}`);
  };
  return { debug: () => {}, info: at, warn: at, error: at };
}

/** Trains one candidate with the CLM, its clock at `split` (so it sees nothing after it). */
export async function trainAt(series: readonly CandleSeries[], split: UnixMillis, trainer: Trainer, log: (l: string) => void): Promise<TrainedResult> {
  const dataDir = mkdtempSync(join(tmpdir(), `qt-clm-proof-${trainer.name}-`));
  const clm = new ContinuousLearning({
    dataDir,
    journal: new MemoryJournal(),
    history: candleHistoryFromSeries(series, '5m'),
    strategy: () => momentumStrategy(),
    scheduler: new ReplayScheduler(split),
    trainer,
    schedule: { enabled: false },
    logger: consoleLogger(log),
  });
  await clm.start();
  const retrain = await clm.triggerRetrain({ force: true });
  await clm.close();
  return { trainer: trainer.name, retrain, dataDir };
}

/** A scorer serving a registry version regardless of the gate's verdict, warmed up on the history before `from`. */
export async function scorerFor(t: TrainedResult, series: readonly CandleSeries[], from: UnixMillis): Promise<OnnxSignalScorer> {
  const registry = await ModelRegistry.open(join(t.dataDir, 'models'));
  const { meta, onnx } = await registry.readModel(t.retrain.version!);
  const scorer = new OnnxSignalScorer();
  scorer.preload(candleHistoryFromSeries(series, '5m'), from);
  scorer.deploy([{ version: meta.version, model: ScoringModel.load(onnx, meta.manifest, meta.version), threshold: meta.threshold }]);
  return scorer;
}

/** Trades `from` → `to` with the reference bot's engine and default settings, optionally filtered by a scorer. */
export async function tradeSession(
  label: string,
  series: readonly CandleSeries[],
  from: UnixMillis,
  to: UnixMillis,
  scorer?: SignalScorer,
  attach?: (kernel: TradingKernel, journal: MemoryJournal, scheduler: ReplayScheduler) => Promise<() => Promise<void>>,
): Promise<SessionResult> {
  const live = series.filter((s) => s.candles.some((c) => c.ts >= from && c.ts < to));
  const scheduler = new ReplayScheduler(from);
  const market = new CandleReplay({ series: live, timeframe: '5m', from, to }, scheduler);
  const instruments = live.map((s) => binanceInstrument(s.symbol));
  const exchange = new SimulatedExchange({ instruments, balances: { USDT: 10_000 }, slippageBps: 2, intrabar: 'conservative', scheduler });
  exchange.attach(market);
  const risk = new RiskEngine({
    rules: [
      maxNotionalRule(1000),
      maxLeverageRule(10),
      onePositionPerSymbolRule(),
      maxOpenPositionsRule(3),
      cooldownRule(60 * 60_000),
      dailyLossLimitRule(300),
    ],
    sizer: fixedNotionalSizer(1000, 1),
    leverage: 1,
    instrument: (s) => instruments.find((i) => i.symbol === s)!,
  });
  const journal = new MemoryJournal();
  const kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal,
    queue: new MemoryIntentQueue(),
    strategies: [momentumStrategy()],
    risk,
    instruments,
    ...(scorer !== undefined ? { scorer } : {}),
    exits: (ctx) => new ExitBrain(ctx, { stopLossPct: 0.02 }),
    initialBalance: 10_000,
    resume: 'fresh',
  });
  let deniedByModel = 0;
  kernel.events$.subscribe((e) => {
    if (e.type === 'OrderDenied' && e.rule === 'model-filter') deniedByModel++;
  });
  const between = attach === undefined ? async () => {} : await attach(kernel, journal, scheduler);
  await kernel.start();
  market.start();
  for (let t = from + DAY; t < market.endTime + DAY; t += DAY) {
    scheduler.runUntil(Math.min(t, market.endTime + 60_000));
    await between();
    if (kernel.error !== undefined) throw kernel.error;
  }
  kernel.stop();
  const s = kernel.portfolio.stats();
  return { label, trades: s.closedTrades, winRate: s.winRate, realizedPnl: s.realizedPnl, equity: s.equity, maxDrawdown: s.maxDrawdown, deniedByModel };
}

/** The whole proof: train on the first months, compare on the later ones. */
export async function proveOnRealData(options: ProveOptions = {}): Promise<{ trained: TrainedResult[]; sessions: SessionResult[] }> {
  const log = options.log ?? console.log;
  const split = Date.parse(options.split ?? '2021-04-01');
  const end = Date.parse(options.end ?? '2021-07-18');
  const series = loadSeries();
  log(`Training on candles before ${new Date(split).toISOString().slice(0, 10)} (3 symbols), labels simulated with the STANDARD_LADDER rule:`);
  const trained: TrainedResult[] = [];
  for (const trainer of [gbdtTrainer(), logisticTrainer()]) trained.push(await trainAt(series, split, trainer, log));
  log(`\nTrading ${new Date(split).toISOString().slice(0, 10)} → ${new Date(end).toISOString().slice(0, 10)} with the reference engine:`);
  const sessions: SessionResult[] = [await tradeSession('momentum alone', series, split, end)];
  for (const t of trained) {
    sessions.push(await tradeSession(`momentum + ${t.trainer} ${t.retrain.version}`, series, split, end, await scorerFor(t, series, split)));
  }
  if (options.weekly === true) sessions.push(await weeklyLoop(series, split, end, trained[0]!, log));
  for (const t of trained) rmSync(t.dataDir, { recursive: true, force: true });
  return { trained, sessions };
}

/** The full loop: the GBDT registry from step 1, retraining every 168 h on the journal and history as time passes. */
async function weeklyLoop(series: readonly CandleSeries[], from: UnixMillis, to: UnixMillis, start: TrainedResult, log: (l: string) => void): Promise<SessionResult> {
  log('\nFull loop (weekly retraining during the test, gate on every candidate):');
  let clm: ContinuousLearning | undefined;
  // The CLM's scorer is created with it, but the kernel needs it at construction: a forwarding scorer bridges that.
  const forward: SignalScorer = {
    onCandle: (s, c) => clm?.scorer.onCandle(s, c),
    score: (sig) => clm?.scorer.score(sig) ?? { probability: Number.NaN, accept: true, model: 'none' },
  };
  const result = await tradeSession('momentum + CLM (weekly)', series, from, to, forward, async (kernel, journal, scheduler) => {
    clm = new ContinuousLearning({
      dataDir: start.dataDir,
      journal,
      history: candleHistoryFromSeries(series, '5m'),
      strategy: () => momentumStrategy(),
      scheduler,
      logger: consoleLogger(log),
    });
    await clm.start(kernel.events$);
    return () => clm!.idle();
  });
  await clm?.close();
  return { ...result, label: `${result.label}, champion ${clm?.status().champion ?? 'none'}` };
}

function table(sessions: readonly SessionResult[]): string {
  const rows = sessions.map((s) => [
    s.label,
    String(s.trades),
    Number.isNaN(s.winRate) ? '-' : `${(s.winRate * 100).toFixed(1)} %`,
    s.realizedPnl.toFixed(2),
    `${(s.maxDrawdown * 100).toFixed(2)} %`,
    String(s.deniedByModel),
  ]);
  const head = ['run', 'trades', 'win rate', 'realized PnL (USDT)', 'max drawdown', 'refused by model'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { trained, sessions } = await proveOnRealData({ weekly: process.argv.includes('--weekly') });
  console.log('');
  for (const t of trained) {
    const m = t.retrain.metrics;
    console.log(
      `${t.trainer}: ${t.retrain.version} promoted=${t.retrain.promoted} (${t.retrain.reason})` +
        (m === undefined ? '' : `\n  holdout: ${m.rows} signals, auc ${m.auc.toFixed(3)}, log-loss ${m.logLoss.toFixed(4)}, filtered PnL ${m.pnl.toFixed(2)} on ${m.trades} trades vs ${m.baselinePnl.toFixed(2)} on ${m.baselineTrades} taking every signal`),
    );
  }
  console.log(`\n${table(sessions)}`);
}
