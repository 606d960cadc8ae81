import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { asyncScheduler, filter, ReplaySubject, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import {
  eventIdOf,
  silentLogger,
  type DomainEvent,
  type KernelLogger,
  type ModelVersion,
  type PositionClosed,
  type UnixMillis,
} from '@quantum-trader/core';
import { DatasetStore } from '../dataset/dataset-store.js';
import { DEFAULT_FEATURES, type FeatureSpec } from '../features/feature-spec.js';
import { breakEvenThreshold, decidePromotion, evaluateOnHoldout } from '../gate/promotion-gate.js';
import { DEFAULT_LADDER_BARRIER, type LadderBarrier } from '../labels/ladder-barrier.js';
import { parseModelManifest, type ModelManifest } from '../onnx/model-manifest.js';
import type { ModelMetadata, ValidationMetrics } from '../registry/model-metadata.js';
import { ModelRegistry } from '../registry/model-registry.js';
import { nextRetrainDue, retrainSchedule } from '../schedule/retrain-schedule.js';
import { LiveHitRate } from '../serving/live-hit-rate.js';
import { OnnxSignalScorer, type ScorerMember } from '../serving/onnx-signal-scorer.js';
import { ScoringModel } from '../serving/scoring-model.js';
import { gbdtTrainer } from '../train/gbdt/gbdt-trainer.js';
import type { TrainedModel, Trainer } from '../train/trainer.js';
import type { ClmStatus, ContinuousLearningOptions, RetrainResult } from './continuous-learning-options.js';
import { holdoutFor, prepareRunData, type RunData } from './run-data.js';

const LAST_RUN_KEY = 'clm.lastRunAt';
const MIN_TRAIN_ROWS = 100;
const MIN_HOLDOUT_ROWS = 30;
/** Largest difference between a trainer's own probabilities and ONNX Runtime's that the CLM accepts. */
const PARITY_TOLERANCE = 1e-4;

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
  private readonly hits: LiveHitRate;
  private readonly firstTrade$ = new ReplaySubject<UnixMillis>(1);
  private readonly loaded = new Map<string, ScorerMember>();
  private readonly subs: Subscription[] = [];
  private registryRef: ModelRegistry | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private samples = 0;
  private firstTradeAt: UnixMillis | undefined;
  private lastRun: RetrainResult | undefined;
  private servingSince = Number.POSITIVE_INFINITY;
  private minHitRate = 0;
  private rollbackQueued = false;
  private runSeq = 0;

  constructor(private readonly options: ContinuousLearningOptions) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.log = options.logger ?? silentLogger;
    this.spec = { timeframe: options.history.timeframe, names: options.features ?? DEFAULT_FEATURES };
    this.trainer = options.trainer ?? gbdtTrainer();
    this.barrier = { ...DEFAULT_LADDER_BARRIER, ...options.barrier };
    this.datasets = new DatasetStore(join(options.dataDir, 'datasets'), options.datasets?.keep ?? 10);
    this.hits = new LiveHitRate(options.rollback?.window ?? 50);
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
   * Call before the kernel starts. Opens the registry, warms the scorer up from history, deploys the champion, counts the journal's closed trades, arms the retrain
   * schedule (catching up a run missed while the process was down) and, given the kernel's events, follows new
   * trades.
   */
  async start(events$?: Observable<DomainEvent>): Promise<void> {
    const now = this.scheduler.now();
    this.registryRef = await ModelRegistry.open(join(this.options.dataDir, 'models'), this.options.registry ?? {});
    this.scorer.preload(this.options.history, now);
    const champion = this.registry.champion;
    if (champion !== undefined) {
      try {
        const meta = await this.registry.get(champion);
        this.swap(await this.membersFor(champion), meta?.promotedAt ?? now, meta);
        this.log.info({ ts: now, version: champion }, `[CLM] serving ${this.scorer.serving}`);
      } catch (err) {
        this.log.error({ ts: now, err }, `[CLM] cannot serve champion ${champion}: ${message(err)}; signals pass unfiltered until a model loads`);
      }
    }
    const trades = await this.options.journal.trades();
    this.samples = trades.length;
    for (const t of [...trades].sort((a, b) => a.closedAt - b.closedAt)) {
      if (this.firstTradeAt === undefined) this.firstTradeAt = t.closedAt;
      if (t.openedAt >= this.servingSince) this.hits.record(t.realizedPnl > 0);
    }
    const timing = this.options.schedule ?? {};
    if (timing.enabled !== false) {
      this.subs.push(retrainSchedule(this.firstTrade$, timing, this.scheduler).subscribe((due) => void this.enqueue('schedule', false, due)));
      if (this.firstTradeAt !== undefined) {
        const interval = timing.intervalMs ?? 168 * 3_600_000;
        const next = nextRetrainDue(this.firstTradeAt, now, timing);
        const previousDue = next - interval;
        const lastRunAt = Number((await this.options.journal.getState(LAST_RUN_KEY)) ?? Number.NaN);
        const firstDue = nextRetrainDue(this.firstTradeAt, this.firstTradeAt, timing);
        if (next !== now && previousDue >= firstDue && !(lastRunAt >= previousDue)) void this.enqueue('catch-up', false);
        this.firstTrade$.next(this.firstTradeAt);
      }
    }
    if (events$ !== undefined) {
      this.subs.push(
        events$
          .pipe(filter((e): e is PositionClosed => e.type === 'PositionClosed'))
          .subscribe((e) => this.onTradeClosed(e)),
      );
    }
  }

  /** Stops the schedule and the event subscription (a run in progress finishes). */
  stop(): void {
    for (const s of this.subs) s.unsubscribe();
    this.subs.length = 0;
  }

  /** Frees every loaded model after {@link stop}. */
  async close(): Promise<void> {
    this.stop();
    await this.idle();
    this.scorer.deploy([]);
    for (const m of this.loaded.values()) m.model.dispose();
    this.loaded.clear();
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
    return this.queue(() => this.doRollback(reason));
  }

  /**
   * Imports an ONNX model trained elsewhere (with its manifest) as a candidate and puts it through the same gate as
   * a trained one. A model whose inputs do not match its manifest is refused with the mismatch named.
   */
  importModel(onnxPath: string, manifest: ModelManifest | string): Promise<RetrainResult> {
    return this.queue(async () => {
      const onnx = await readFile(onnxPath);
      const m =
        typeof manifest === 'string' ? parseModelManifest(JSON.parse(await readFile(manifest, 'utf8')) as unknown, manifest) : manifest;
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
      liveHitRate: { trades: this.hits.count, rate: this.hits.rate, window: this.hits.window },
    };
  }

  private onTradeClosed(e: PositionClosed): void {
    this.samples++;
    if (this.firstTradeAt === undefined) {
      this.firstTradeAt = e.ts;
      this.firstTrade$.next(e.ts);
    }
    if (this.scorer.serving === 'none' || e.openedAt < this.servingSince) return;
    this.hits.record(e.realizedPnl > 0);
    if (this.hits.full && this.hits.rate < this.minHitRate && !this.rollbackQueued) {
      this.rollbackQueued = true;
      const reason = `live hit rate ${this.hits.rate.toFixed(2)} over the last ${this.hits.count} trades < ${this.minHitRate.toFixed(2)}`;
      void this.rollback(reason).finally(() => (this.rollbackQueued = false));
    }
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
      return done(await this.judge(trained, data, stored.id));
    } catch (err) {
      this.log.error({ ts: now, err }, `[CLM] retraining failed: ${message(err)}; ${this.scorer.serving} keeps serving`);
      return done({ status: 'failed', promoted: false, reason: message(err) });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async judge(
    trained: TrainedModel,
    data: RunData,
    datasetId: string,
  ): Promise<Omit<RetrainResult, 'trigger' | 'startedAt' | 'champion'>> {
    const { now, split } = data;
    const gate = this.options.gate ?? {};
    const notional = gate.notional ?? 1000;
    const t = this.options.threshold ?? 'break-even';
    const threshold = typeof t === 'number' ? t : breakEvenThreshold(split.train);
    const base = {
      createdAt: now,
      trainer: trained.trainer,
      params: trained.params,
      manifest: trained.manifest,
      threshold,
      data: {
        dataset: datasetId,
        labelSource: data.source,
        trainRows: split.train.rows,
        trainFrom: split.train.ts[0] ?? Number.NaN,
        trainTo: split.train.ts[split.train.rows - 1] ?? Number.NaN,
        holdoutRows: split.holdout.rows,
        holdoutFrom: split.holdout.ts[0] ?? Number.NaN,
        holdoutTo: split.holdout.ts[split.holdout.rows - 1] ?? Number.NaN,
      },
      ...(trained.details !== undefined ? { details: trained.details } : {}),
    };
    let metrics: ValidationMetrics;
    let refusal: string | undefined;
    const candidate = (() => {
      try {
        return ScoringModel.load(trained.onnx, trained.manifest, `${trained.trainer} candidate`);
      } catch (err) {
        refusal = `refused at load time: ${message(err)}`;
        return undefined;
      }
    })();
    if (candidate === undefined) {
      const meta = await this.registry.add({ ...base, status: 'rejected', reason: refusal! }, trained.onnx);
      this.log.error({ ts: now, version: meta.version }, `[CLM] retraining completed: version=${meta.version} promoted=false (${refusal})`);
      return { status: 'completed', version: meta.version, promoted: false, reason: refusal!, dataset: datasetId };
    }
    try {
      const rows = holdoutFor(data, candidate.spec);
      const p = candidate.predict(rows.features, rows.rows);
      metrics = evaluateOnHoldout(p, threshold, rows, notional);
      if (trained.predict !== undefined) {
        const own = trained.predict(rows.features, rows.rows);
        let worst = 0;
        for (let r = 0; r < rows.rows; r++) worst = Math.max(worst, Math.abs(own[r]! - p[r]!));
        if (!(worst <= PARITY_TOLERANCE)) refusal = `ONNX Runtime's probabilities differ from the trainer's by ${worst.toExponential(2)}`;
      }
    } finally {
      candidate.dispose();
    }
    const championVersion = this.registry.champion;
    let compared: { version: string; metrics: ValidationMetrics } | undefined;
    if (championVersion !== undefined) {
      try {
        const champ = await this.loadMember(championVersion);
        const rows = holdoutFor(data, champ.model.spec);
        compared = { version: championVersion, metrics: evaluateOnHoldout(champ.model.predict(rows.features, rows.rows), champ.threshold, rows, notional) };
      } catch (err) {
        this.log.error({ ts: now, err }, `[CLM] champion ${championVersion} cannot be evaluated (${message(err)}); the candidate is compared with momentum alone`);
      }
    }
    const decision =
      refusal !== undefined
        ? { promote: false, summary: 'export mismatch', reason: refusal }
        : decidePromotion(metrics, compared, gate);
    const meta = await this.registry.add({ ...base, metrics, ...(compared ? { comparedWith: compared } : {}) }, trained.onnx);
    let promoted = false;
    let summary = decision.summary;
    let reason = decision.reason;
    if (decision.promote) {
      const failure = await this.promote(meta.version, decision.reason, now, gate.metric ?? 'auc', metrics);
      promoted = failure === undefined;
      if (failure !== undefined) {
        summary = 'could not be deployed';
        reason = failure;
      }
    } else {
      await this.registry.reject(meta.version, decision.reason, now);
    }
    this.log.info(
      { ts: now, version: meta.version, promoted, reason, dataset: datasetId, pnl: metrics.pnl, baselinePnl: metrics.baselinePnl },
      `[CLM] retraining completed: version=${meta.version} accuracy=${metrics.accuracy.toFixed(2)} auc=${metrics.auc.toFixed(2)} promoted=${promoted} (${summary})`,
    );
    return { status: 'completed', version: meta.version, promoted, reason, metrics, dataset: datasetId };
  }

  /** Deploys `version` as champion; returns the failure in words, or undefined on success. */
  private async promote(
    version: string,
    reason: string,
    now: UnixMillis,
    metric: string,
    metrics: ValidationMetrics,
  ): Promise<string | undefined> {
    let members: ScorerMember[];
    try {
      members = await this.membersFor(version);
    } catch (err) {
      const why = `could not be deployed: ${message(err)}`;
      this.log.error({ ts: now, version, err }, `[CLM] ${version} ${why}; ${this.scorer.serving} keeps serving`);
      await this.registry.reject(version, why, now);
      return why;
    }
    await this.registry.promote(version, reason, now);
    this.swap(members, now, await this.registry.get(version));
    const value = metrics[metric as keyof ValidationMetrics];
    await this.record({
      id: eventIdOf('ModelPromoted', version),
      type: 'ModelPromoted',
      ts: now,
      version: version as ModelVersion,
      metric,
      value: typeof value === 'number' ? value : Number.NaN,
    });
    return undefined;
  }

  private async doRollback(reason: string): Promise<{ from: string | undefined; to: string | undefined }> {
    const now = this.scheduler.now();
    const from = this.registry.champion;
    if (from === undefined) {
      this.log.warn({ ts: now }, '[CLM] rollback requested but no champion is serving');
      return { from: undefined, to: undefined };
    }
    const to = this.registry.previousChampion;
    let members: ScorerMember[] = [];
    if (to !== undefined) {
      try {
        members = await this.membersFor(to, from);
      } catch (err) {
        this.log.error({ ts: now, err }, `[CLM] rollback from ${from} to ${to} failed: ${message(err)}; ${from} keeps serving`);
        this.hits.reset();
        return { from, to: from };
      }
    }
    await this.registry.rollback(reason, now);
    this.swap(members, now, to === undefined ? undefined : await this.registry.get(to));
    this.log.warn({ ts: now, from, to: to ?? null, reason }, `[CLM] rolled back: ${from} → ${to ?? 'no model'} (${reason})`);
    return { from, to };
  }

  /** The members to serve with `champion`: itself, or it and the best past champions for an ensemble. */
  private async membersFor(champion: string, exclude?: string): Promise<ScorerMember[]> {
    const first = await this.loadMember(champion);
    const serving = this.options.serving ?? {};
    if (serving.mode !== 'ensemble' || (serving.k ?? 3) <= 1) return [first];
    const metric = this.options.gate?.metric ?? 'auc';
    const sign = metric === 'logLoss' || metric === 'brier' ? 1 : -1;
    const others = (await this.registry.list())
      .filter((m) => m.version !== champion && m.version !== exclude && (m.status === 'champion' || m.status === 'retired'))
      .sort((a, b) => sign * ((a.metrics?.[metric] ?? Number.NaN) - (b.metrics?.[metric] ?? Number.NaN)) || 0);
    const members = [first];
    for (const m of others) {
      if (members.length >= (serving.k ?? 3)) break;
      try {
        members.push(await this.loadMember(m.version));
      } catch (err) {
        this.log.error({ err }, `[CLM] ensemble member ${m.version} left out: ${message(err)}`);
      }
    }
    return members;
  }

  private async loadMember(version: string): Promise<ScorerMember> {
    const cached = this.loaded.get(version);
    if (cached !== undefined) return cached;
    const { meta, onnx } = await this.registry.readModel(version);
    const member = { version, model: ScoringModel.load(onnx, meta.manifest, version), threshold: meta.threshold };
    this.loaded.set(version, member);
    return member;
  }

  private swap(members: readonly ScorerMember[], since: UnixMillis, championMeta: ModelMetadata | undefined): void {
    const previous = this.scorer.deploy(members);
    const keep = new Set(members.map((m) => m.version));
    for (const p of previous) {
      if (!keep.has(p.version)) {
        p.model.dispose();
        this.loaded.delete(p.version);
      }
    }
    // Loaded for evaluation only and not serving: free them too.
    for (const [v, m] of this.loaded) {
      if (!keep.has(v)) {
        m.model.dispose();
        this.loaded.delete(v);
      }
    }
    this.servingSince = members.length === 0 ? Number.POSITIVE_INFINITY : since;
    this.hits.reset();
    const rule = this.options.rollback?.minHitRate ?? ((m: ValidationMetrics) => 0.75 * m.winRate);
    const validated = championMeta?.metrics;
    this.minHitRate = typeof rule === 'number' ? rule : validated === undefined ? 0 : rule(validated) || 0;
  }

  private async record(event: DomainEvent): Promise<void> {
    const sink = this.options.record ?? ((events: readonly DomainEvent[]) => this.options.journal.append(events));
    await sink([event]);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
