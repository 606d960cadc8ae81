import { Subject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import { RealizedVolatility } from '../indicators/realized-volatility.js';
import { TIMEFRAME_MS, type Candle } from '../model/candle.js';
import type { BrokerEvent, DomainEvent, FundingPaid, JournaledEvent } from '../model/events.js';
import type { SymbolId, UnixMillis } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { TradeIntent } from '../model/orders.js';
import { ExecutionEngine, type ExecutionEngineOptions } from '../execution/execution-engine.js';
import { Portfolio } from '../portfolio/portfolio.js';
import type { Broker } from '../ports/broker.js';
import type { ExitManager, ExitManagerContext } from '../ports/exit-manager.js';
import type { IntentQueue, QueueDelivery } from '../ports/intent-queue.js';
import type { AppendResult, Journal, PositionRow } from '../ports/journal.js';
import type { CandleEvent, MarketData } from '../ports/market-data.js';
import { thenMaybe, type MaybePromise } from '../ports/maybe-promise.js';
import type { RiskEngine } from '../risk/risk-engine.js';
import type { Strategy } from '../strategy/strategy.js';
import type { SignalScorer } from '../ports/signal-scorer.js';
import { EntryTracker, fundingPaidOf, logEvent, withVenueOrigin } from './kernel-events.js';
import { KernelCycle } from './kernel-cycle.js';
import { kernelRunConsumer } from './kernel-quiet-runs.js';
import { SnapshotSync } from './kernel-snapshots.js';
import { reconcilePositions } from './kernel-recovery.js';
import { silentLogger, type KernelLogger, type ServiceName } from './kernel-logger.js';
import { KernelTimer } from './kernel-timer.js';
import { SerialRunner } from './serial-runner.js';

/** Options of {@link TradingKernel}. */
export interface TradingKernelOptions {
  /** The only clock: virtual in backtests and paper replays, `asyncScheduler` live. */
  readonly scheduler: SchedulerLike;
  readonly market: MarketData;
  readonly broker: Broker;
  readonly journal: Journal;
  readonly queue: IntentQueue;
  readonly strategies: readonly Strategy[];
  readonly risk: RiskEngine;
  readonly instruments: readonly Instrument[];
  /** Optional model filter (the CLM scorer): scores every signal before risk. */
  readonly scorer?: SignalScorer;
  /** Builds the exit manager (the Exit Brain) from the context the kernel provides. */
  readonly exits?: (ctx: ExitManagerContext) => ExitManager;
  readonly initialBalance: number;
  /** The autonomous cycle (default 60 000 ms of market time). */
  readonly cycleMs?: number;
  /** Portfolio Intelligence sync (default 30 000 ms). */
  readonly portfolioSyncMs?: number;
  /**
   * `journal` (default, live and paper sessions that resume): state is rebuilt from the journal, orders left in
   * `submitting` are recovered at the venue, positions reconciled. `fresh`: start from empty state even if the
   * journal holds events — used by deterministic replays, where the journal skips every event it already has.
   */
  readonly resume?: 'journal' | 'fresh';
  readonly logger?: (service: ServiceName) => KernelLogger;
  /** Test hook forwarded to the execution engine (simulated crashes). */
  readonly onExecutionStep?: ExecutionEngineOptions['onStep'];
}

/** What the status page shows. */
export interface KernelStatus {
  readonly now: UnixMillis;
  readonly running: boolean;
  readonly openPositions: number;
  readonly pendingEntries: number;
  readonly activeExitPlans: number;
  readonly queueDepth: number;
  readonly lastPortfolioSync: UnixMillis | undefined;
  readonly lastCycle: UnixMillis | undefined;
  readonly equity: number;
  readonly closedTrades: number;
  readonly winRate: number;
  readonly maxDrawdown: number;
  /** Events newly written to the journal by this process. */
  readonly eventsJournalled: number;
  /** Events this process produced, including those the journal already held (a replay after a crash). */
  readonly eventsRecorded: number;
  readonly ordersDenied: number;
}

/**
 * The trading kernel: one engine for backtest, paper and live. It wires the autonomous cycle
 * (strategies → risk → intent queue → execution → broker), the broker's fills into the portfolio, the portfolio's
 * position events into the exit manager, and every state change into the journal — journal first. It sees only
 * ports and a scheduler; the runner decides what is behind them.
 *
 * Events are journalled when they happen and then handed, one at a time in journal order, to the portfolio, the
 * execution engine, the exit manager and {@link TradingKernel.events$}. With synchronous ports (simulated
 * exchange, in-memory or SQLite journal) the whole pipeline is synchronous, so a replay runs in virtual time.
 *
 * @example
 * ```ts
 * const kernel = new TradingKernel({ scheduler, market, broker, journal, queue, strategies: [momentumStrategy()],
 *   risk, instruments, exits: (ctx) => new ExitBrain(ctx), initialBalance: 10_000 });
 * await kernel.start();
 * market.start();
 * scheduler.runAll();
 * console.log(kernel.status());
 * ```
 */
export class TradingKernel {
  readonly portfolio: Portfolio;
  readonly execution: ExecutionEngine;
  readonly exits: ExitManager | undefined;
  /** The autonomous cycle: strategies → risk → intent queue, and the queue's intents → execution. */
  private readonly cycle: KernelCycle;

  private readonly subject = new Subject<DomainEvent>();
  private readonly subs: Subscription[] = [];
  private readonly runners: SerialRunner<never>[] = [];
  private readonly instruments = new Map<SymbolId, Instrument>();
  /** Market symbols in market order; per-symbol state below is indexed like this list. */
  private readonly symbols: readonly SymbolId[];
  private readonly symbolIndex = new Map<SymbolId, number>();
  private readonly lastCandles: (Candle | undefined)[];
  private readonly lastEvaluated: Float64Array;
  private readonly vols: RealizedVolatility[];
  private readonly volScale: number;
  /** One-entry cache of the last candle's symbol index: consecutive candles are usually of the same symbol. */
  private lastSymbol: SymbolId | undefined;
  private lastIndex = -1;
  /** Entries in flight: symbols with an entry order sent and not yet filled, rejected or canceled. */
  private readonly entries = new EntryTracker();
  private readonly log: Record<ServiceName, KernelLogger>;
  /** False when every service logs to {@link silentLogger}: the per-event log lines are then not even built. */
  private readonly logging: boolean;
  /** Events journalled and not yet handed out: `fifo[fifoHead, fifoLength)` (slots are reused, never shrunk). */
  private readonly fifo: DomainEvent[] = [];
  private fifoHead = 0;
  private fifoLength = 0;
  private draining = false;
  private running = false;
  private failure: unknown;
  private appended = 0;
  private recorded = 0;
  private denied = 0;
  private lastSync: UnixMillis | undefined;
  private lastCycle: UnixMillis | undefined;
  private lastDepth = 0;
  /** The journal answered the last append synchronously (memory, SQLite): a quiet run may then journal snapshots. */
  private journalSync = false;
  /** Decides, at each sync tick, whether a snapshot is due. */
  private readonly snapshots: SnapshotSync;

  constructor(private readonly options: TradingKernelOptions) {
    for (const i of options.instruments) this.instruments.set(i.symbol, i);
    this.symbols = [...options.market.symbols];
    this.symbols.forEach((s, i) => {
      this.symbolIndex.set(s, i);
      if (!this.instruments.has(s)) {
        throw new QuantumTraderError(
          'UNKNOWN_SYMBOL',
          `market data serves ${s} but no instrument rules were given for it (known: ${[...this.instruments.keys()].join(', ')})`,
        );
      }
    });
    const nSym = this.symbols.length;
    this.lastCandles = new Array<Candle | undefined>(nSym).fill(undefined);
    this.lastEvaluated = new Float64Array(options.strategies.length * nSym).fill(Number.NaN);
    const tfMs = TIMEFRAME_MS[options.market.timeframe];
    const perDay = 86_400_000 / tfMs;
    this.volScale = Math.sqrt(perDay);
    this.vols = this.symbols.map(() => new RealizedVolatility(Math.max(2, Math.round(perDay))));
    const mk = options.logger ?? (() => silentLogger);
    this.log = {
      signals: mk('signals'),
      risk: mk('risk'),
      execution: mk('execution'),
      exits: mk('exits'),
      portfolio: mk('portfolio'),
      clm: mk('clm'),
      kernel: mk('kernel'),
    };
    this.logging = Object.values(this.log).some((l) => l !== silentLogger);
    this.portfolio = new Portfolio(options.initialBalance);
    this.snapshots = new SnapshotSync(this.portfolio);
    this.execution = new ExecutionEngine({
      broker: options.broker,
      record: (e) => this.record(e),
      instrument: (s) => this.instrument(s),
      ...(options.onExecutionStep !== undefined ? { onStep: options.onExecutionStep } : {}),
    });
    this.cycle = new KernelCycle({
      scheduler: options.scheduler,
      strategies: options.strategies,
      symbols: this.symbols,
      lastCandles: this.lastCandles,
      lastEvaluated: this.lastEvaluated,
      risk: options.risk,
      queue: options.queue,
      scorer: options.scorer,
      portfolio: this.portfolio,
      pending: this.entries.pending,
      execution: this.execution,
      log: this.log,
      hasExposure: (s) => this.hasExposure(s),
      volatility: (s) => this.volatility(s),
      record: (e) => this.record(e),
      denied: () => {
        this.denied++;
      },
    });
    this.exits = options.exits?.({
      orders: this.execution,
      instrument: (s) => this.instrument(s),
      volatility: (s) => this.volatility(s),
      record: (e) => this.record(e),
    });
  }

  /** Every journalled event, in journal order, after the kernel's own components have seen it. */
  get events$(): Observable<DomainEvent> {
    return this.subject.asObservable();
  }

  /** The error that stopped the kernel, if any. */
  get error(): unknown {
    return this.failure;
  }

  /**
   * Restores state (unless `resume: 'fresh'`), recovers in-flight orders, reconciles positions with the venue,
   * warms the strategies up from market history, and starts the cycle, the portfolio sync and the consumers.
   * Throws `RECONCILIATION_FAILED` (and trades nothing) if the venue's positions differ from the journal's.
   */
  async start(): Promise<void> {
    const { journal, scheduler } = this.options;
    const now = scheduler.now();
    if (this.options.resume !== 'fresh') {
      const [orders, fills, positions, trades, plans, funding] = await Promise.all([
        journal.orders(),
        journal.fills(),
        journal.positions(),
        journal.trades(),
        journal.exitPlans({ status: 'active' }),
        journal.events({ types: ['FundingPaid'] }),
      ]);
      let fundingTotal = 0;
      for (const j of funding) if (j.event.type === 'FundingPaid') fundingTotal += j.event.amount;
      this.portfolio.restore({ positions, trades, orders, fills, funding: fundingTotal });
      this.execution.restore(orders, fills);
      this.entries.restore(orders);
      // Recovery journals through record(), whose fan-out needs the broker subscription below.
      this.subs.push(this.subscribeBroker());
      await this.exits?.rearm(plans, now, orders);
      await this.execution.recover(now);
      await reconcilePositions(this.options.broker, this.portfolio, (e) => this.record(e), now);
      await this.options.broker.fundingSince?.(fundingResumeTime(funding, positions, now));
    } else {
      this.subs.push(this.subscribeBroker());
      // Awaited only when the venue reads a funding history: with a simulated venue a fresh start stays synchronous
      // (a replay may be started right after start() returns).
      const caughtUp = this.options.broker.fundingSince?.(now);
      if (caughtUp instanceof Promise) await caughtUp;
    }
    this.warmUp(now);
    const { market } = this.options;
    // The per-candle and per-tick paths run through SerialRunner rather than concatMap(fromMaybe(…)): the same
    // one-at-a-time order, without an Observable and three subscribers allocated per candle and per tick.
    const candles = this.serial((e: CandleEvent) => this.onCandle(e));
    const cycle = this.serial<undefined>(() => this.runCycle());
    const sync = this.serial<undefined>(() => this.syncPortfolio());
    const cycleTimer = new KernelTimer(scheduler, this.options.cycleMs ?? 60_000, () => cycle.push(undefined));
    const syncTimer = new KernelTimer(scheduler, this.options.portfolioSyncMs ?? 30_000, () => sync.push(undefined));
    this.subs.push(
      this.subscribeMarket(candles, cycleTimer, syncTimer),
      this.subscribeQueue(),
      cycleTimer.action,
      syncTimer.action,
    );
    this.running = true;
    this.log.kernel.info({ ts: now, symbols: market.symbols }, 'kernel started');
  }

  /** Stops every timer and consumer. Idempotent. */
  stop(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs.length = 0;
    for (const r of this.runners) r.stop();
    this.runners.length = 0;
    this.running = false;
  }

  /** Journals events, then hands them to the kernel's components and {@link events$} in order. */
  record(events: readonly DomainEvent[]): MaybePromise<void> {
    if (events.length === 0) return;
    const appended = this.options.journal.append(events);
    if (appended instanceof Promise) {
      this.journalSync = false;
      return appended.then((res) => this.committed(events, res));
    }
    this.journalSync = true;
    return this.committed(events, appended);
  }

  /** After the journal took `events`: counts them and hands them out in order. */
  private committed(events: readonly DomainEvent[], res: AppendResult): MaybePromise<void> {
    this.appended += res.appended;
    this.recorded += events.length;
    const fifo = this.fifo;
    for (let i = 0; i < events.length; i++) fifo[this.fifoLength++] = events[i]!;
    return this.drain();
  }

  /** A snapshot for the status page and health checks. */
  status(): KernelStatus {
    const s = this.portfolio.stats();
    return {
      now: this.options.scheduler.now(),
      running: this.running,
      openPositions: s.openPositions,
      pendingEntries: this.entries.pending.size,
      activeExitPlans: this.exits?.activePlans() ?? 0,
      queueDepth: this.queueDepth(),
      lastPortfolioSync: this.lastSync,
      lastCycle: this.lastCycle,
      equity: s.equity,
      closedTrades: s.closedTrades,
      winRate: s.winRate,
      maxDrawdown: s.maxDrawdown,
      eventsJournalled: this.appended,
      eventsRecorded: this.recorded,
      ordersDenied: this.denied,
    };
  }

  /**
   * The intent queue's depth: immediate for an in-process queue; for a remote queue (Redis) the last value it
   * answered, refreshed in the background on every call.
   */
  private queueDepth(): number {
    const d = this.options.queue.depth();
    if (typeof d === 'number') return (this.lastDepth = d);
    d.then(
      (v) => {
        this.lastDepth = v;
      },
      (err: unknown) => this.log.kernel.warn({ err }, 'could not read the intent queue depth'),
    );
    return this.lastDepth;
  }

  /** 24 h realized volatility of a symbol (stddev of candle returns scaled to one day), NaN until warm. */
  volatility(symbol: SymbolId): number {
    const k = this.symbolIndex.get(symbol);
    const v = k === undefined ? undefined : this.vols[k]!.value;
    return v === undefined || Number.isNaN(v) ? Number.NaN : v * this.volScale;
  }

  private instrument(symbol: SymbolId): Instrument {
    const i = this.instruments.get(symbol);
    if (i === undefined) {
      throw new QuantumTraderError('UNKNOWN_SYMBOL', `no instrument rules for ${symbol}`);
    }
    return i;
  }

  /**
   * Broker events into the journal, one at a time and in the order the venue reported them (a SerialRunner: no
   * inner Observable per event): fills and cancels, and funding payments as `FundingPaid`.
   */
  private subscribeBroker(): Subscription {
    const { broker } = this.options;
    const events = this.serial((e: BrokerEvent | FundingPaid) => this.record(e.type === 'FundingPaid' ? [e] : withVenueOrigin(e, this.execution)));
    const error = (err: unknown): void => this.fail(err);
    const sub = broker.events$.subscribe({ next: (e) => events.push(e), error });
    if (broker.funding$ !== undefined) sub.add(broker.funding$.subscribe({ next: (p) => events.push(fundingPaidOf(p)), error }));
    return sub;
  }

  /** Approved intents to the execution engine, one at a time, each acknowledged once it has been executed. */
  private subscribeQueue(): Subscription {
    const intents = this.serial((d: QueueDelivery<TradeIntent>) => thenMaybe(this.cycle.onIntent(d), () => d.ack()));
    return this.options.queue.consume().subscribe({ next: (d) => intents.push(d), error: (err: unknown) => this.fail(err) });
  }

  private warmUp(now: UnixMillis): void {
    const need = Math.max(0, ...this.options.strategies.map((s) => s.warmupCandles));
    const volNeed = Math.round(86_400_000 / TIMEFRAME_MS[this.options.market.timeframe]) + 1;
    for (const symbol of this.options.market.symbols) {
      const history = this.options.market.history(symbol, Math.max(need, volNeed), now);
      for (const c of history) this.feed(symbol, c);
    }
  }

  /**
   * Candles from the market into the kernel, one at a time. On a replay with quiet runs
   * ({@link MarketData.subscribeRuns}) the kernel takes part in them (see {@link kernelRunConsumer}).
   */
  private subscribeMarket(candles: SerialRunner<CandleEvent>, cycle: KernelTimer, sync: KernelTimer): Subscription {
    const { market } = this.options;
    if (market.subscribeRuns === undefined) {
      return market.candles$.subscribe({ next: (e) => candles.push(e), error: (err: unknown) => this.fail(err) });
    }
    const symbolIndex = this.symbolIndex;
    return market.subscribeRuns(
      kernelRunConsumer({
        strategies: this.options.strategies,
        exits: this.exits,
        symbols: this.symbols,
        timeframeMs: TIMEFRAME_MS[market.timeframe],
        lastCandles: this.lastCandles,
        lastEvaluated: this.lastEvaluated,
        vols: this.vols,
        portfolio: this.portfolio,
        cycle,
        sync,
        next: (e) => candles.push(e),
        indexOf: (s) => symbolIndex.get(s) ?? -1,
        settled: () => this.settled(),
        hasExposure: (s) => this.hasExposure(s),
        cyclePassed: (t) => {
          this.lastCycle = t;
        },
        syncInRun: () => this.journalSync,
        syncAt: (t) => this.syncPortfolio(t),
      }),
    );
  }

  /** Nothing in flight, so a quiet run may pass: see {@link kernelRunConsumer}. */
  private settled(): boolean {
    if (!this.running || this.draining || this.fifoHead < this.fifoLength || this.options.scorer !== undefined) return false;
    for (const r of this.runners) if (!r.idle) return false;
    const depth = this.options.queue.depth();
    return typeof depth === 'number' && depth === 0;
  }

  private serial<T>(work: (item: T) => MaybePromise<void>): SerialRunner<T> {
    const runner = new SerialRunner<T>(work, (err) => this.fail(err));
    this.runners.push(runner as unknown as SerialRunner<never>);
    return runner;
  }

  private onCandle(e: CandleEvent): MaybePromise<void> {
    this.feed(e.symbol, e.candle);
    const exits = this.exits;
    return exits === undefined || exits.onCandle === undefined ? undefined : exits.onCandle(e.symbol, e.candle);
  }

  private feed(symbol: SymbolId, candle: Candle): void {
    let k = this.lastIndex;
    if (symbol !== this.lastSymbol) {
      const i = this.symbolIndex.get(symbol);
      this.lastSymbol = symbol;
      this.lastIndex = k = i === undefined ? -1 : i;
    }
    if (k >= 0) {
      this.lastCandles[k] = candle;
      this.vols[k]!.update(candle.close);
    }
    this.portfolio.mark(symbol, candle.close);
    const strategies = this.options.strategies;
    for (let i = 0; i < strategies.length; i++) strategies[i]!.onCandle(symbol, candle);
    this.options.scorer?.onCandle(symbol, candle);
  }

  private hasExposure(symbol: SymbolId): boolean {
    return this.portfolio.position(symbol) !== undefined || this.entries.pending.has(symbol);
  }

  private runCycle(): MaybePromise<void> {
    const now = this.options.scheduler.now();
    this.lastCycle = now;
    return this.cycle.run(now);
  }

  private syncPortfolio(now: UnixMillis = this.options.scheduler.now()): MaybePromise<void> {
    this.lastSync = now;
    const snapshot = this.snapshots.due(now);
    return snapshot === undefined ? undefined : this.record([snapshot]);
  }

  private drain(): MaybePromise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      return this.drainStep();
    } catch (err) {
      this.draining = false;
      throw err;
    }
  }

  /** Hands out the events in the fifo, in order; events journalled meanwhile join its end. */
  private drainStep(): MaybePromise<void> {
    const fifo = this.fifo;
    while (this.fifoHead < this.fifoLength) {
      const e = fifo[this.fifoHead++]!;
      if (this.fifoHead === this.fifoLength) this.fifoHead = this.fifoLength = 0;
      const r = this.handle(e);
      if (r instanceof Promise) {
        return r.then(
          () => this.drainStep(),
          (err: unknown) => {
            this.draining = false;
            throw err;
          },
        );
      }
    }
    this.draining = false;
  }

  private handle(e: DomainEvent): MaybePromise<void> {
    this.execution.onEvent(e);
    this.entries.track(e);
    const derived = this.portfolio.apply(e);
    if (this.logging) logEvent(this.log, e);
    if (this.subject.observed) this.subject.next(e);
    const r = derived.length > 0 ? this.record(derived) : undefined;
    const exits = this.exits;
    if (exits === undefined) return r;
    // no closure per event on the synchronous path
    return r instanceof Promise ? r.then(() => exits.onEvent(e)) : exits.onEvent(e);
  }

  private fail(err: unknown): void {
    if (this.failure === undefined) this.failure = err;
    this.log.kernel.error({ err }, 'kernel stopped on error');
    this.stop();
  }
}

/**
 * Where a venue's funding history is read from at start: just after the last journalled payment (the journal has
 * everything before it), else from the opening of the first journalled position (no payment can be older), else now.
 */
function fundingResumeTime(funding: readonly JournaledEvent[], positions: readonly PositionRow[], now: UnixMillis): UnixMillis {
  let last = Number.NEGATIVE_INFINITY;
  for (const j of funding) if (j.event.type === 'FundingPaid' && j.event.ts > last) last = j.event.ts;
  if (last > Number.NEGATIVE_INFINITY) return last + 1;
  let first = Number.POSITIVE_INFINITY;
  for (const p of positions) if (p.openedAt < first) first = p.openedAt;
  return first < now ? first : now;
}

