import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { asyncScheduler, filter, ReplaySubject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { silentLogger, type DomainEvent, type KernelLogger, type PositionClosed, type UnixMillis } from '@quantum-trader/core';
import { DatasetStore } from '../dataset/dataset-store.js';
import { DEFAULT_FEATURES, type FeatureSpec } from '../features/feature-spec.js';
import { DEFAULT_LADDER_BARRIER, type LadderBarrier } from '../labels/ladder-barrier.js';
import { parseModelManifest, type ModelManifest } from '../onnx/model-manifest.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { nextRetrainDue, retrainSchedule, RETRAIN_INTERVAL_MS } from '../schedule/retrain-schedule.js';
import { OnnxSignalScorer } from '../serving/onnx-signal-scorer.js';
import { ScoringModel } from '../serving/scoring-model.js';
import { gbdtTrainer } from '../train/gbdt/gbdt-trainer.js';
import type { TrainedModel, Trainer } from '../train/trainer.js';
import { ChampionServer, message } from './champion-server.js';
import type { ClmStatus, ContinuousLearningOptions, RetrainResult } from './continuous-learning-options.js';
import { judgeCandidate } from './judge-candidate.js';
import { prepareRunData, type RunData } from './run-data.js';

const LAST_RUN_KEY = 'clm.lastRunAt';
const MIN_TRAIN_ROWS = 100;
const MIN_HOLDOUT_ROWS = 30;

type Trigger = RetrainResult['trigger'];

/**
 * The Continuous Learning Module: keeps the signal model improving from the bot's own results and never deploys a
 * model worse than the one it replaces. It counts closed trades (the labelled samples), retrains on the injected
 * scheduler — first 1 h after the first trades, then every 168 h, only with at least 100 samples — or on demand
 * ({@link triggerRetrain}), validates each challenger walk-forward against the champion, keeps every version in
 * the registry, serves the champion (or an ensemble) through {@link scorer}, and rolls back when the champion's live
 * hit rate collapses. It never reads the wall clock.
 *
 * @example
 * ```ts
 * const clm = new ContinuousLearning({ dataDir, journal, history, strategy: () => momentumStrategy(), scheduler, logger });
 * const kernel = new TradingKernel({ …, scorer: clm.scorer });
 * await clm.start(kernel.events$);
 * await kernel.start();
 * // later, e.g. from POST /api/ai/retrain:
 * const result = await clm.triggerRetrain();
 * ```
 */
export class ContinuousLearning {
  /** The signal scorer to hand to the kernel; it serves whatever the CLM deploys. */
  readonly scorer: OnnxSignalScorer;
  private readonly scheduler: SchedulerLike;
  private readonly log: KernelLogger;
  private readonly spec: FeatureSpec;
  private readonly trainer: Trainer;
  private readonly barrier: LadderBarrier;
  private readonly datasets: DatasetStore;
  private readonly firstTrade$ = new ReplaySubject<UnixMillis>(1);
  private readonly subs: Subscription[] = [];
  private registryRef: ModelRegistry | undefined;
  private server: ChampionServer | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private samples = 0;
  private firstTradeAt: UnixMillis | undefined;
  private lastRun: RetrainResult | undefined;
  private rollbackQueued = false;
  private runSeq = 0;

  constructor(private readonly options: ContinuousLearningOptions) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.log = options.logger ?? silentLogger;
    this.spec = { timeframe: options.history.timeframe, names: options.features ?? DEFAULT_FEATURES };
    this.trainer = options.trainer ?? gbdtTrainer();
    this.barrier = { ...DEFAULT_LADDER_BARRIER, ...options.barrier };
    this.datasets = new DatasetStore(join(options.dataDir, 'datasets'), options.datasets?.keep ?? 10);
    this.scorer = new OnnxSignalScorer({
      ...(options.serving?.combine !== undefined ? { combine: options.serving.combine } : {}),
      ...(options.serving?.whenNotReady !== undefined ? { whenNotReady: options.serving.whenNotReady } : {}),
      logger: this.log,
    });
  }

  /** The model registry (available after {@link start}). */
  get registry(): ModelRegistry {
    if (this.registryRef === undefined) throw new Error('ContinuousLearning.start() has not been called');
    return this.registryRef;
  }

  /**
   * Call before the kernel starts. Opens the registry, warms the scorer up from history, deploys the champion,
   * counts the journal's closed trades, arms the retrain schedule (catching up a run missed while the process was
   * down) and, given the kernel's events, follows new trades.
   */
  async start(events$?: Observable<DomainEvent>): Promise<void> {
    const now = this.scheduler.now();
    const registry = await ModelRegistry.open(join(this.options.dataDir, 'models'), this.options.registry ?? {});
    this.registryRef = registry;
    const server = new ChampionServer({
      scorer: this.scorer,
      registry,
      timeframe: this.options.history.timeframe,
      metric: this.options.gate?.metric ?? 'auc',
      serving: this.options.serving,
      rollback: this.options.rollback,
      log: this.log,
      record: async (event) => {
        const sink = this.options.record ?? ((events: readonly DomainEvent[]) => this.options.journal.append(events));
        await sink([event]);
      },
    });
    this.server = server;
    this.scorer.preload(this.options.history, now);
    await server.serveChampion(now);
    const trades = await this.options.journal.trades();
    this.samples = trades.length;
    let collapse: string | undefined;
    for (const t of [...trades].sort((a, b) => a.closedAt - b.closedAt)) {
      if (this.firstTradeAt === undefined) this.firstTradeAt = t.closedAt;
      collapse = server.observe(t) ?? collapse;
    }
    if (collapse !== undefined) this.queueRollback(collapse);
    const timing = this.options.schedule ?? {};
    if (timing.enabled !== false) {
      this.subs.push(retrainSchedule(this.firstTrade$, timing, this.scheduler).subscribe((due) => void this.enqueue('schedule', false, due)));
      if (this.firstTradeAt !== undefined) {
        const next = nextRetrainDue(this.firstTradeAt, now, timing);
        const previousDue = next - (timing.intervalMs ?? RETRAIN_INTERVAL_MS);
        const firstDue = nextRetrainDue(this.firstTradeAt, this.firstTradeAt, timing);
        const lastRunAt = Number((await this.options.journal.getState(LAST_RUN_KEY)) ?? Number.NaN);
        if (next !== now && previousDue >= firstDue && !(lastRunAt >= previousDue)) void this.enqueue('catch-up', false);
        this.firstTrade$.next(this.firstTradeAt);
      }
    }
    if (events$ !== undefined) {
      this.subs.push(
        events$.pipe(filter((e): e is PositionClosed => e.type === 'PositionClosed')).subscribe((e) => this.onTradeClosed(e)),
      );
    }
  }

  /** Stops the schedule and the event subscription (a run in progress finishes). */
  stop(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs.length = 0;
  }

  /** Stops, waits for queued runs, and frees every loaded model. */
  async close(): Promise<void> {
    this.stop();
    await this.idle();
    this.server?.close();
  }

  /**
   * Retrains now (the runner's `POST /api/ai/retrain`). Queued behind a run in progress. Unless `force`, it is
   * skipped (with the reason) while there are fewer labelled samples than `minSamples`.
   */
  triggerRetrain(options: { readonly force?: boolean } = {}): Promise<RetrainResult> {
    return this.enqueue('manual', options.force ?? false);
  }

  /** Resolves when every queued run has finished. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.chain;
  }

  /** Rolls the champion back to the previous one now (queued behind a run in progress). */
  rollback(reason = 'requested'): Promise<{ readonly from: string | undefined; readonly to: string | undefined }> {
    return this.queue(() => this.requireServer().rollback(reason, this.scheduler.now()));
  }

  /**
   * Imports an ONNX model trained elsewhere (with its manifest, or the path of its `manifest.json`) as a candidate
   * and puts it through the same gate as a trained one. A model whose inputs do not match its manifest is refused
   * with the mismatch named.
   */
  importModel(onnxPath: string, manifest: ModelManifest | string): Promise<RetrainResult> {
    return this.queue(async () => {
      const onnx = await readFile(onnxPath);
      const m =
        typeof manifest === 'string' ? parseModelManifest(JSON.parse(await readFile(manifest, 'utf8')) as unknown, manifest) : manifest;
      this.requireServer().checkTimeframe(m, onnxPath);
      ScoringModel.load(onnx, m, onnxPath).dispose(); // refuse early, naming the mismatch
      return this.runOnce('import', true, async () => ({ onnx, manifest: m, trainer: 'imported', params: { path: onnxPath } }));
    });
  }

  /** A snapshot for the status page. */
  status(): ClmStatus {
    const timing = this.options.schedule ?? {};
    const now = this.scheduler.now();
    return {
      champion: this.registryRef?.champion,
      serving: this.scorer.serving,
      samples: this.samples,
      minSamples: timing.minSamples ?? 100,
      nextRunAt:
        this.firstTradeAt === undefined || timing.enabled === false ? undefined : nextRetrainDue(this.firstTradeAt, now, timing),
      running: this.pending > 0,
      lastRun: this.lastRun,
      liveHitRate: this.server?.liveHitRate ?? { trades: 0, rate: Number.NaN, window: this.options.rollback?.window ?? 50 },
    };
  }

  private requireServer(): ChampionServer {
    if (this.server === undefined) throw new Error('ContinuousLearning.start() has not been called');
    return this.server;
  }

  private onTradeClosed(e: PositionClosed): void {
    this.samples++;
    if (this.firstTradeAt === undefined) {
      this.firstTradeAt = e.ts;
      this.firstTrade$.next(e.ts);
    }
    const collapse = this.server?.observe(e);
    if (collapse !== undefined) this.queueRollback(collapse);
  }

  private queueRollback(reason: string): void {
    if (this.rollbackQueued) return;
    this.rollbackQueued = true;
    void this.rollback(reason).finally(() => (this.rollbackQueued = false));
  }

  private queue<T>(work: () => Promise<T>): Promise<T> {
    this.pending++;
    const p = this.chain.then(work).finally(() => this.pending--);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private enqueue(trigger: Trigger, force: boolean, due?: UnixMillis): Promise<RetrainResult> {
    return this.queue(() => this.runOnce(trigger, force, undefined, due));
  }

  private async runOnce(
    trigger: Trigger,
    force: boolean,
    produce?: (data: RunData) => Promise<TrainedModel>,
    due?: UnixMillis,
  ): Promise<RetrainResult> {
    const now = due ?? this.scheduler.now();
    const minSamples = this.options.schedule?.minSamples ?? 100;
    const done = async (r: Omit<RetrainResult, 'trigger' | 'startedAt' | 'champion'>): Promise<RetrainResult> => {
      const result: RetrainResult = { ...r, trigger, startedAt: now, champion: this.registryRef?.champion };
      this.lastRun = result;
      if (trigger !== 'import') await this.options.journal.setState(LAST_RUN_KEY, String(now));
      return result;
    };
    if (!force && this.samples < minSamples) {
      const reason = `${this.samples} labelled samples (closed trades), need ${minSamples}`;
      this.log.info({ ts: now, samples: this.samples, minSamples }, `[CLM] retraining skipped: ${reason}`);
      return done({ status: 'skipped', promoted: false, reason });
    }
    const workDir = join(this.options.dataDir, 'work', `run-${now}-${++this.runSeq}`);
    try {
      const data = await prepareRunData({
        now,
        journal: this.options.journal,
        history: this.options.history,
        strategy: this.options.strategy,
        spec: this.spec,
        barrier: this.barrier,
        source: this.options.labels?.source ?? 'auto',
        journalMin: this.options.labels?.journalMin ?? 500,
        closedTrades: this.samples,
        holdoutFraction: this.options.gate?.holdoutFraction ?? 0.25,
      });
      const { train, holdout } = data.split;
      if (train.rows < MIN_TRAIN_ROWS || holdout.rows < MIN_HOLDOUT_ROWS) {
        const reason = `only ${train.rows} training and ${holdout.rows} holdout rows (${data.source} labels); need ${MIN_TRAIN_ROWS} and ${MIN_HOLDOUT_ROWS}`;
        this.log.info({ ts: now }, `[CLM] retraining skipped: ${reason}`);
        return done({ status: 'skipped', promoted: false, reason });
      }
      const stored = await this.datasets.save(data.dataset, now);
      await mkdir(workDir, { recursive: true });
      const trained = await (produce ?? ((d: RunData) => this.trainer.train({ train: d.split.train, workDir })))(data);
      return done(
        await judgeCandidate(trained, data, stored.id, {
          registry: this.registry,
          server: this.requireServer(),
          log: this.log,
          gate: this.options.gate ?? {},
          threshold: this.options.threshold ?? 'break-even',
        }),
      );
    } catch (err) {
      this.log.error({ ts: now, err }, `[CLM] retraining failed: ${message(err)}; ${this.scorer.serving} keeps serving`);
      return done({ status: 'failed', promoted: false, reason: message(err) });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
