import {
  QuantumTraderError,
  eventIdOf,
  type DomainEvent,
  type KernelLogger,
  type ModelVersion,
  type PositionClosed,
  type Timeframe,
  type UnixMillis,
} from '@quantum-trader/core';
import type { GateMetric } from '../gate/promotion-gate.js';
import type { ModelManifest } from '../onnx/model-manifest.js';
import type { ModelMetadata, ValidationMetrics } from '../registry/model-metadata.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import { LiveHitRate } from '../serving/live-hit-rate.js';
import type { OnnxSignalScorer, ScorerMember } from '../serving/onnx-signal-scorer.js';
import { ScoringModel } from '../serving/scoring-model.js';
import type { ContinuousLearningOptions } from './continuous-learning-options.js';

/** @internal */
export interface ChampionServerOptions {
  readonly scorer: OnnxSignalScorer;
  readonly registry: ModelRegistry;
  readonly timeframe: Timeframe;
  readonly metric: GateMetric;
  readonly serving: ContinuousLearningOptions['serving'];
  readonly rollback: ContinuousLearningOptions['rollback'];
  readonly log: KernelLogger;
  readonly record: (event: DomainEvent) => Promise<void>;
}

/**
 * The serving side of the CLM: loads registry versions into ONNX Runtime, deploys the champion (or ensemble) to
 * the scorer, promotes and rolls back, and watches the live hit rate. A model that cannot be loaded never replaces
 * the one serving.
 *
 * @internal
 */
export class ChampionServer {
  private readonly loaded = new Map<string, ScorerMember>();
  private readonly hits: LiveHitRate;
  private servingSince = Number.POSITIVE_INFINITY;
  private minHitRate = 0;

  constructor(private readonly o: ChampionServerOptions) {
    this.hits = new LiveHitRate(o.rollback?.window ?? 50);
  }

  /** The live hit rate of the serving model. */
  get liveHitRate(): { readonly trades: number; readonly rate: number; readonly window: number } {
    return { trades: this.hits.count, rate: this.hits.rate, window: this.hits.window };
  }

  /** Deploys the registry's champion (at start-up); logs and serves nothing if it cannot be loaded. */
  async serveChampion(now: UnixMillis): Promise<void> {
    const champion = this.o.registry.champion;
    if (champion === undefined) return;
    try {
      const meta = await this.o.registry.get(champion);
      this.swap(await this.membersFor(champion), meta?.promotedAt ?? now, meta);
      this.o.log.info({ ts: now, version: champion }, `[CLM] serving ${this.o.scorer.serving}`);
    } catch (err) {
      this.o.log.error({ ts: now, err }, `[CLM] cannot serve champion ${champion}: ${message(err)}; signals pass unfiltered until a model loads`);
    }
  }

  /** Counts a closed trade toward the serving model's live hit rate; returns a rollback reason when it collapsed. */
  observe(trade: Pick<PositionClosed, 'openedAt' | 'realizedPnl'>): string | undefined {
    if (this.o.scorer.serving === 'none' || trade.openedAt < this.servingSince) return undefined;
    this.hits.record(trade.realizedPnl > 0);
    if (this.hits.full && this.hits.rate < this.minHitRate) {
      return `live hit rate ${this.hits.rate.toFixed(2)} over the last ${this.hits.count} trades < ${this.minHitRate.toFixed(2)}`;
    }
    return undefined;
  }

  /** A loaded version (cached while it serves), checked against the market's timeframe. */
  async member(version: string): Promise<ScorerMember> {
    const cached = this.loaded.get(version);
    if (cached !== undefined) return cached;
    const { meta, onnx } = await this.o.registry.readModel(version);
    this.checkTimeframe(meta.manifest, `model ${version}`);
    const member = { version, model: ScoringModel.load(onnx, meta.manifest, version), threshold: meta.threshold };
    this.loaded.set(version, member);
    return member;
  }

  /** Features are counted in candles of the market data's timeframe: a model built on another one is refused. */
  checkTimeframe(manifest: ModelManifest, label: string): void {
    if (manifest.timeframe !== this.o.timeframe) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `${label} refused: its features are computed on ${manifest.timeframe} candles but this bot's market data is ${this.o.timeframe}`,
      );
    }
  }

  /** Deploys `version` as champion; returns the failure in words, or undefined on success. */
  async promote(version: string, reason: string, now: UnixMillis, metrics: ValidationMetrics): Promise<string | undefined> {
    let members: ScorerMember[];
    try {
      members = await this.membersFor(version);
    } catch (err) {
      const why = `could not be deployed: ${message(err)}`;
      this.o.log.error({ ts: now, version, err }, `[CLM] ${version} ${why}; ${this.o.scorer.serving} keeps serving`);
      await this.o.registry.reject(version, why, now);
      return why;
    }
    await this.o.registry.promote(version, reason, now);
    this.swap(members, now, await this.o.registry.get(version));
    const value = metrics[this.o.metric];
    await this.o.record({
      id: eventIdOf('ModelPromoted', version),
      type: 'ModelPromoted',
      ts: now,
      version: version as ModelVersion,
      metric: this.o.metric,
      value,
    });
    return undefined;
  }

  /** Serves the previous champion (or no model) instead of the current one, unless it cannot be loaded. */
  async rollback(reason: string, now: UnixMillis): Promise<{ from: string | undefined; to: string | undefined }> {
    const registry = this.o.registry;
    const from = registry.champion;
    if (from === undefined) {
      this.o.log.warn({ ts: now }, '[CLM] rollback requested but no champion is serving');
      return { from: undefined, to: undefined };
    }
    const to = registry.previousChampion;
    let members: ScorerMember[] = [];
    if (to !== undefined) {
      try {
        members = await this.membersFor(to, from);
      } catch (err) {
        this.o.log.error({ ts: now, err }, `[CLM] rollback from ${from} to ${to} failed: ${message(err)}; ${from} keeps serving`);
        this.hits.reset();
        return { from, to: from };
      }
    }
    await registry.rollback(reason, now);
    this.swap(members, now, to === undefined ? undefined : await registry.get(to));
    this.o.log.warn({ ts: now, from, to: to ?? null, reason }, `[CLM] rolled back: ${from} → ${to ?? 'no model'} (${reason})`);
    return { from, to };
  }

  /** Stops serving and frees every loaded model. */
  close(): void {
    this.o.scorer.deploy([]);
    for (const m of this.loaded.values()) m.model.dispose();
    this.loaded.clear();
  }

  /** The members to serve with `champion`: itself, or it and the best past champions for an ensemble. */
  private async membersFor(champion: string, exclude?: string): Promise<ScorerMember[]> {
    const first = await this.member(champion);
    const serving = this.o.serving ?? {};
    const k = serving.k ?? 3;
    if (serving.mode !== 'ensemble' || k <= 1) return [first];
    const metric = this.o.metric;
    const sign = metric === 'logLoss' || metric === 'brier' ? 1 : -1;
    const others = (await this.o.registry.list())
      .filter((m) => m.version !== champion && m.version !== exclude && (m.status === 'champion' || m.status === 'retired'))
      .sort((a, b) => sign * ((a.metrics?.[metric] ?? Number.NaN) - (b.metrics?.[metric] ?? Number.NaN)) || 0);
    const members = [first];
    for (const m of others) {
      if (members.length >= k) break;
      try {
        members.push(await this.member(m.version));
      } catch (err) {
        this.o.log.error({ err }, `[CLM] ensemble member ${m.version} left out: ${message(err)}`);
      }
    }
    return members;
  }

  private swap(members: readonly ScorerMember[], since: UnixMillis, championMeta: ModelMetadata | undefined): void {
    this.o.scorer.deploy(members);
    const keep = new Set(members.map((m) => m.version));
    // Replaced members, and versions loaded only to be evaluated, are freed.
    for (const [v, m] of this.loaded) {
      if (!keep.has(v)) {
        m.model.dispose();
        this.loaded.delete(v);
      }
    }
    this.servingSince = members.length === 0 ? Number.POSITIVE_INFINITY : since;
    this.hits.reset();
    const rule = this.o.rollback?.minHitRate ?? ((m: ValidationMetrics) => 0.75 * m.winRate);
    const validated = championMeta?.metrics;
    this.minHitRate = typeof rule === 'number' ? rule : validated === undefined ? 0 : rule(validated) || 0;
  }
}

/** @internal */
export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
