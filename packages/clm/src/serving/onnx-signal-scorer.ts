import { Subject, type Observable } from 'rxjs';
import {
  silentLogger,
  type Candle,
  type KernelLogger,
  type SignalGenerated,
  type SignalScore,
  type SignalScorer,
  type SymbolId,
  type UnixMillis,
} from '@quantum-trader/core';
import type { CandleHistory } from '../history/candle-history.js';
import { FeaturePipeline } from '../features/feature-pipeline.js';
import type { ScoringModel } from './scoring-model.js';

/**
 * One model the scorer serves, with its decision threshold.
 *
 * @example
 * ```ts
 * const member: ScorerMember = { version: 'v7', model, threshold: 0.42 };
 * ```
 */
export interface ScorerMember {
  readonly version: string;
  readonly model: ScoringModel;
  readonly threshold: number;
}

/**
 * Options of {@link OnnxSignalScorer}.
 *
 * @example
 * ```ts
 * const scorer = new OnnxSignalScorer({ combine: 'vote', whenNotReady: 'reject', historyCandles: 5000 });
 * ```
 */
export interface OnnxSignalScorerOptions {
  /** How an ensemble decides: `mean` probability vs mean threshold (default) or majority `vote`. */
  readonly combine?: 'mean' | 'vote';
  /**
   * What to do while a symbol's features are still warming up, or if inference fails (default `accept`: the
   * strategy alone decides, as it did before any model).
   */
  readonly whenNotReady?: 'accept' | 'reject';
  /** Candles kept per symbol to warm up a newly deployed model's features (default 3000: the default features need 2890). */
  readonly historyCandles?: number;
  readonly logger?: KernelLogger;
}

/**
 * One scored signal, for logs and tests.
 *
 * @example
 * ```ts
 * scorer.scored$.subscribe((s: ScoredSignal) => console.log(s.signal.symbol, s.score.probability, s.score.accept));
 * ```
 */
export interface ScoredSignal {
  readonly signal: SignalGenerated;
  readonly score: SignalScore;
  /** The feature row the (first) model saw (a copy). */
  readonly features: Float32Array;
}

interface Bundle {
  readonly label: string;
  readonly members: readonly ScorerMember[];
  readonly pipelines: readonly FeaturePipeline[];
  /** Index into `pipelines` per member. */
  readonly pipelineOf: Int32Array;
  readonly rows: readonly Float32Array[];
}

/**
 * The CLM's signal scorer (core's `SignalScorer` port): runs the champion — or an ensemble of models, averaged or
 * voted — through onnxruntime-node on the feature row of the signal's symbol, and accepts the signal when the
 * probability of a win reaches the model's threshold. Scoring is synchronous, so it happens inside the kernel's
 * event and a replay stays deterministic.
 *
 * {@link OnnxSignalScorer.deploy} swaps models *and* their feature pipelines in one assignment, between two
 * events: the new pipelines are first warmed up from the candles the scorer has kept, so the first signal after
 * the swap is scored on complete features.
 *
 * @example
 * ```ts
 * const scorer = new OnnxSignalScorer({ combine: 'mean' });
 * scorer.deploy([{ version: 'v7', model, threshold: 0.42 }]);
 * const kernel = new TradingKernel({ …, scorer });
 * ```
 */
export class OnnxSignalScorer implements SignalScorer {
  private bundle: Bundle | undefined;
  private readonly buffers = new Map<string, Candle[]>();
  private readonly heads = new Map<string, number>();
  private readonly lastTs = new Map<string, number>();
  private readonly capacity: number;
  private readonly log: KernelLogger;
  private readonly scoredSubject = new Subject<ScoredSignal>();

  constructor(private readonly options: OnnxSignalScorerOptions = {}) {
    this.capacity = options.historyCandles ?? 3000;
    this.log = options.logger ?? silentLogger;
  }

  /** Every scored signal (emitted only while observed). */
  get scored$(): Observable<ScoredSignal> {
    return this.scoredSubject.asObservable();
  }

  /** What is serving: `v7`, `ensemble(v5,v6,v7)` or `none`. */
  get serving(): string {
    return this.bundle?.label ?? 'none';
  }

  /** The versions serving now. */
  get members(): readonly ScorerMember[] {
    return this.bundle?.members ?? [];
  }

  /**
   * Serves `members` from now on (an empty list: no model, every signal passes). Builds and warms their feature
   * pipelines from the kept candles, then swaps in one assignment. Returns the members it replaced.
   */
  deploy(members: readonly ScorerMember[]): readonly ScorerMember[] {
    const previous = this.bundle?.members ?? [];
    if (members.length === 0) {
      this.bundle = undefined;
      return previous;
    }
    const pipelines: FeaturePipeline[] = [];
    const keys: string[] = [];
    const pipelineOf = new Int32Array(members.length);
    members.forEach((m, i) => {
      const key = `${m.model.spec.timeframe}|${m.model.spec.names.join(',')}`;
      let k = keys.indexOf(key);
      if (k < 0) {
        k = keys.length;
        keys.push(key);
        pipelines.push(new FeaturePipeline(m.model.spec));
      }
      pipelineOf[i] = k;
    });
    for (const p of pipelines) {
      if (p.warmupCandles > this.capacity) {
        this.log.warn({ need: p.warmupCandles, kept: this.capacity }, '[CLM] the scorer keeps fewer candles than the new features need; they warm up live');
      }
      for (const [symbol, buf] of this.buffers) {
        const head = this.heads.get(symbol) ?? 0;
        for (let i = 0; i < buf.length; i++) p.update(symbol, buf[(head + i) % buf.length]!);
      }
    }
    const label = members.length === 1 ? members[0]!.version : `ensemble(${members.map((m) => m.version).join(',')})`;
    this.bundle = { label, members, pipelines, pipelineOf, rows: pipelines.map((p) => new Float32Array(p.size)) };
    return previous;
  }

  /**
   * Feeds each symbol's most recent history (up to the kept number of candles) before the kernel starts, so the
   * features are warm from the first signal. Candles at or before one already seen are ignored, so the kernel's
   * own (shorter) warm-up replay afterwards does no harm.
   */
  preload(history: CandleHistory, asOf: UnixMillis): void {
    for (const symbol of history.symbols) {
      const all = history.candles(symbol, asOf);
      for (let i = Math.max(0, all.length - this.capacity); i < all.length; i++) this.onCandle(symbol, all[i]!);
    }
  }

  /** Keeps the candle (for future warm-ups) and feeds it to the serving feature pipelines; called by the kernel. */
  onCandle(symbol: SymbolId, candle: Candle): void {
    if (candle.ts <= (this.lastTs.get(symbol) ?? Number.NEGATIVE_INFINITY)) return;
    this.lastTs.set(symbol, candle.ts);
    let buf = this.buffers.get(symbol);
    if (buf === undefined) this.buffers.set(symbol, (buf = []));
    if (buf.length < this.capacity) buf.push(candle);
    else {
      const head = this.heads.get(symbol) ?? 0;
      buf[head] = candle;
      this.heads.set(symbol, (head + 1) % this.capacity);
    }
    const b = this.bundle;
    if (b !== undefined) for (const p of b.pipelines) p.update(symbol, candle);
  }

  /**
   * Scores a signal on its symbol's current feature row, synchronously: the probability of a win and whether it
   * reaches the threshold. With no model it accepts (`model: 'none'`); while warming up, or if the runtime fails,
   * it accepts (or refuses, with `whenNotReady: 'reject'`) and says so in `model`.
   */
  score(signal: SignalGenerated): SignalScore {
    const b = this.bundle;
    if (b === undefined) return { probability: Number.NaN, accept: true, model: 'none' };
    let ready = true;
    for (let k = 0; k < b.pipelines.length; k++) {
      if (!b.pipelines[k]!.read(signal.symbol, signal.direction, b.rows[k]!)) ready = false;
    }
    let result: SignalScore;
    if (!ready) {
      result = { probability: Number.NaN, accept: this.options.whenNotReady !== 'reject', model: `${b.label}(warming-up)` };
    } else {
      try {
        result = this.combine(b);
      } catch (err) {
        const accept = this.options.whenNotReady !== 'reject';
        this.log.error(
          { err, model: b.label },
          `[CLM] scoring with ${b.label} failed (${err instanceof Error ? err.message : String(err)}); the signal is ${accept ? 'accepted unfiltered' : 'refused'}`,
        );
        result = { probability: Number.NaN, accept, model: `${b.label}(failed)` };
      }
    }
    if (this.scoredSubject.observed) this.scoredSubject.next({ signal, score: result, features: b.rows[0]!.slice() });
    return result;
  }

  private combine(b: Bundle): SignalScore {
    const n = b.members.length;
    let sumP = 0;
    let sumT = 0;
    let votes = 0;
    for (let i = 0; i < n; i++) {
      const m = b.members[i]!;
      const p = m.model.predictOne(b.rows[b.pipelineOf[i]!]!);
      sumP += p;
      sumT += m.threshold;
      if (p >= m.threshold) votes++;
    }
    const probability = sumP / n;
    const accept = this.options.combine === 'vote' ? votes * 2 > n : probability >= sumT / n;
    return { probability, accept, model: b.label };
  }
}
