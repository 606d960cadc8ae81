import type { SchedulerLike } from 'rxjs';
import type { DomainEvent, Journal, KernelLogger, MaybePromise, Strategy, UnixMillis } from '@quantum-trader/core';
import type { GateOptions } from '../gate/promotion-gate.js';
import type { CandleHistory } from '../history/candle-history.js';
import type { LadderBarrier } from '../labels/ladder-barrier.js';
import type { ValidationMetrics } from '../registry/model-metadata.js';
import type { RetrainTiming } from '../schedule/retrain-schedule.js';
import type { Trainer } from '../train/trainer.js';

/**
 * Everything {@link ContinuousLearning} is configured with. Only `dataDir`, `journal`, `history` and `strategy`
 * are required; the rest defaults to the user's numbers (168 h, 100 samples, first run 1 h after the first
 * trades, last 10 versions).
 *
 * @example
 * ```ts
 * const options: ContinuousLearningOptions = {
 *   dataDir: '.quantum-trader/clm', journal, history, strategy: () => momentumStrategy(), scheduler,
 *   trainer: gbdtTrainer({ trees: 100 }), gate: { metric: 'auc' }, serving: { mode: 'ensemble', k: 3 },
 * };
 * ```
 */
export interface ContinuousLearningOptions {
  /** Folder of the registry (`models/`), datasets (`datasets/`) and scratch space (`work/`). */
  readonly dataDir: string;
  /** The journal: closed trades are the labelled samples, and where the CLM keeps its small state. */
  readonly journal: Journal;
  /** Market history the datasets are built from. */
  readonly history: CandleHistory;
  /** A fresh instance of the strategy whose signals the model filters (replayed for simulated labels). */
  readonly strategy: () => Strategy;
  /** The only clock (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
  readonly logger?: KernelLogger;
  /** Feature names of newly trained models (default {@link DEFAULT_FEATURES}), on `history.timeframe`. */
  readonly features?: readonly string[];
  /** The trainer (default the built-in GBDT). */
  readonly trainer?: Trainer;
  /** The exit rule simulated labels follow (default: STANDARD_LADDER, 2 % stop, futures fees). */
  readonly barrier?: Partial<LadderBarrier>;
  readonly labels?: {
    /** `auto` (default): journal trades once there are `journalMin` of them, simulated history before. */
    readonly source?: 'auto' | 'journal' | 'simulated';
    /** Closed trades needed before labels come from the journal alone (default 500). */
    readonly journalMin?: number;
  };
  readonly schedule?: RetrainTiming & {
    /** Labelled samples (closed trades) needed before a scheduled run trains (default 100). */
    readonly minSamples?: number;
    /** Set false to train only on demand (default true). */
    readonly enabled?: boolean;
  };
  readonly gate?: GateOptions;
  /** Decision threshold of new models: a probability, or `break-even` from the training rows (default). */
  readonly threshold?: number | 'break-even';
  readonly registry?: { readonly keep?: number };
  readonly datasets?: { readonly keep?: number };
  readonly serving?: {
    /** `champion` (default) or an `ensemble` of the best `k` champions, past and present. */
    readonly mode?: 'champion' | 'ensemble';
    readonly k?: number;
    readonly combine?: 'mean' | 'vote';
    readonly whenNotReady?: 'accept' | 'reject';
  };
  readonly rollback?: {
    /** Trades the live hit rate is measured over (default 50). */
    readonly window?: number;
    /**
     * Roll back when the hit rate over the window falls below this. Default: 0.75 × the champion's validated win
     * rate on its holdout (`(m) => 0.75 * m.winRate`).
     */
    readonly minHitRate?: number | ((validated: ValidationMetrics) => number);
  };
  /** Where `ModelPromoted` events go (default: appended to the journal). The runner may pass `kernel.record`. */
  readonly record?: (events: readonly DomainEvent[]) => MaybePromise<unknown>;
}

/**
 * The outcome of one retraining run.
 *
 * @example
 * ```ts
 * const r: RetrainResult = await clm.triggerRetrain();
 * if (r.status === 'completed') console.log(r.version, r.promoted, r.reason);
 * ```
 */
export interface RetrainResult {
  readonly status: 'completed' | 'skipped' | 'failed';
  readonly trigger: 'schedule' | 'manual' | 'catch-up' | 'import';
  readonly startedAt: UnixMillis;
  /** The candidate's version (completed runs). */
  readonly version?: string;
  readonly promoted: boolean;
  /** Why: the gate's reason, why it was skipped, or the error. */
  readonly reason: string;
  readonly metrics?: ValidationMetrics;
  /** The champion after the run. */
  readonly champion: string | undefined;
  readonly dataset?: string;
}

/**
 * What the status page shows about the CLM.
 *
 * @example
 * ```ts
 * const s: ClmStatus = clm.status();
 * console.log(`CLM next run ${s.nextRunAt === undefined ? 'after the first trade' : new Date(s.nextRunAt).toISOString()}`);
 * ```
 */
export interface ClmStatus {
  readonly champion: string | undefined;
  readonly serving: string;
  readonly samples: number;
  readonly minSamples: number;
  readonly nextRunAt: UnixMillis | undefined;
  readonly running: boolean;
  readonly lastRun: RetrainResult | undefined;
  readonly liveHitRate: { readonly trades: number; readonly rate: number; readonly window: number };
}
