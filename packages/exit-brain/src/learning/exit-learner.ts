import { roundToDecimals, thenMaybe, type MaybePromise, type SymbolId } from '@quantum-trader/core';
import type { VolatilityRegime } from '../levels/regime-take-profits.js';
import { outOfRange } from '../plans/ladder-validation.js';
import { NO_ADJUSTMENT, type LearnedAdjustment } from './learned-adjustment.js';
import {
  LEARNER_STATE_KEY,
  LEARNER_STATE_SCHEMA,
  parseLearnerState,
  type ExitLearnerState,
  type LearnerChange,
  type LearnerKeyState,
  type LearnerSample,
} from './learner-state.js';
import type { PositionOutcome } from './position-outcome.js';
import { ADVERSE_LEVELS } from './adverse-levels.js';
import { counterfactualMinutes, counterfactualR } from './counterfactual-replay.js';
import type { StateStore } from './state-store.js';

/**
 * Settings of an {@link ExitLearner}. The defaults are deliberately cautious: a key needs 10 closed positions
 * before anything changes, a change moves a multiplier by at most 0.05, and one key changes at most once per day of
 * market time.
 *
 * @example
 * ```ts
 * const learner = new ExitLearner({ priorStrength: 30, maxStep: 0.03 });
 * ```
 */
export interface ExitLearnerOptions {
  /** Pseudo-count of the default (multiplier 1): the learned target gets weight `n / (n + priorStrength)`. Default 20. */
  readonly priorStrength?: number;
  /** Closed positions a key needs before its multipliers move. Default 10. */
  readonly minSamples?: number;
  /** Latest samples kept per key. Default 200. */
  readonly windowSize?: number;
  /** Largest change of a multiplier in one step. Default 0.05. */
  readonly maxStep?: number;
  /** Least market time between two changes of one key. Default 24 h. */
  readonly minChangeIntervalMs?: number;
  /** Range of the take-profit multiplier. Default [0.6, 1.6]. */
  readonly takeProfitBounds?: readonly [number, number];
  /** Range of the stop-loss multiplier. Default [0.5, 1.5]. */
  readonly stopLossBounds?: readonly [number, number];
  /**
   * Market time a symbol's slot typically stays empty after an exit before the next entry (the reference bot's
   * cooldown), added to every position's duration when R is weighed per unit of time. Default 1 h.
   */
  readonly idleMsPerTrade?: number;
}

const DEFAULTS = {
  priorStrength: 20,
  minSamples: 10,
  windowSize: 200,
  maxStep: 0.05,
  minChangeIntervalMs: 86_400_000,
  takeProfitBounds: [0.6, 1.6] as const,
  stopLossBounds: [0.5, 1.5] as const,
  idleMsPerTrade: 3_600_000,
};
/** Take-profit multipliers the learner compares (within its bounds). */
const TP_GRID = Array.from({ length: 41 }, (_, i) => Number((0.5 + i * 0.05).toFixed(2)));
const HISTORY = 50;

const round = (x: number, d: number): number => roundToDecimals(x, d);
const clamp = (x: number, [lo, hi]: readonly [number, number]): number => Math.min(hi, Math.max(lo, x));

/**
 * The Exit Brain's learning loop: turns closed positions ({@link PositionOutcome}) into take-profit and stop-loss
 * multipliers per symbol and volatility regime, which the {@link TpSlCalculator} applies to new plans.
 *
 * The rule is a counterfactual MAE/MFE analysis. Every closed position leaves a sample: its take-profit levels
 * and shares, its maximum favourable and adverse excursions, and — the path order — how far it had gone in its
 * favour before it first went 0.5, 0.75, 1, 1.25 and 1.5 base-stop distances against it ({@link ADVERSE_LEVELS}).
 * For each candidate pair (take-profit multiplier `a` on a 0.05 grid, stop multiplier `b` on those levels) the
 * learner replays every sample of the key: the stop is hit if the MAE reached `b`; the take profits reached before
 * it (or before the end) fill at `a ×` their level; what is left leaves at `−b` (minus the slippage the position's
 * own stop suffered) if the stop was hit, or as the position actually left. A position its own stop closed is
 * assumed to hit any wider stop as well: what happened beyond the stop is unknown, so a wider stop is never credited
 * with it, and the target stop is never wider than the stops the positions were traded with (targets can widen;
 * only the shrinkage brings a tightened stop back toward 1). Each replay is charged the position's fees, and also gives the position's duration (from
 * the recorded times at which the excursions first reached each level): with one position per symbol, an exit that
 * ends a trade sooner makes room for other trades, and one that ends it later takes that room from them. That time
 * is valued at what the strategy actually earned per minute of a busy slot over the window (each position's duration
 * plus `idleMsPerTrade`), negative for a losing strategy. The target is the pair with the best mean of
 * `replayed R − fees − rate × replayed time` — the same total over the same stretch of time. Then:
 * - each multiplier moves toward its target **shrunk toward 1** by `n / (n + priorStrength)`, clamped to its
 *   bounds; a key moves only once it has `minSamples` positions, at most `maxStep` per change and at most once per
 *   `minChangeIntervalMs` of market time (the outcome's close time; no wall clock).
 *
 * Every change bumps the state `version` and is kept in a short history; {@link ExitLearner.save} persists the
 * state (JSON, `schema` 1) in the journal's key-value state and {@link ExitLearner.load} reads it back.
 *
 * @example
 * ```ts
 * const learner = await ExitLearner.load(journal);           // or new ExitLearner() to start afresh
 * const exits = (ctx: ExitManagerContext) => new ExitBrain(ctx, { learner, store: journal });
 * // … later
 * learner.adjustment(symbolId('BTC/USDT:USDT'), 'low');     // { takeProfitMultiplier: 0.9, stopLossMultiplier: 0.95, … }
 * ```
 */
export class ExitLearner {
  private readonly options: typeof DEFAULTS;
  private state: { version: number; keys: Map<string, LearnerKeyState>; history: LearnerChange[] };

  /**
   * A learner with the given settings, starting from `state` (for example one read with
   * {@link parseLearnerState}) or from nothing. Throws `PARAMETER_OUT_OF_RANGE` for a bad setting.
   *
   * @example
   * ```ts
   * const fresh = new ExitLearner();
   * const resumed = new ExitLearner({}, parseLearnerState(savedJson));
   * ```
   */
  constructor(options: ExitLearnerOptions = {}, state?: ExitLearnerState) {
    const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS;
    const where = 'ExitLearner';
    if (!(o.priorStrength >= 0 && Number.isFinite(o.priorStrength))) throw outOfRange(where, 'priorStrength', o.priorStrength, 'a number >= 0');
    if (!(Number.isInteger(o.minSamples) && o.minSamples >= 1)) throw outOfRange(where, 'minSamples', o.minSamples, 'an integer >= 1');
    if (!(Number.isInteger(o.windowSize) && o.windowSize >= o.minSamples)) throw outOfRange(where, 'windowSize', o.windowSize, `an integer >= minSamples (${o.minSamples})`);
    if (!(o.maxStep > 0 && o.maxStep <= 1)) throw outOfRange(where, 'maxStep', o.maxStep, 'a number > 0 and <= 1');
    if (!(o.minChangeIntervalMs >= 0 && Number.isFinite(o.minChangeIntervalMs))) throw outOfRange(where, 'minChangeIntervalMs', o.minChangeIntervalMs, 'a number of milliseconds >= 0');
    if (!(o.idleMsPerTrade >= 0 && Number.isFinite(o.idleMsPerTrade))) throw outOfRange(where, 'idleMsPerTrade', o.idleMsPerTrade, 'a number of milliseconds >= 0');
    for (const field of ['takeProfitBounds', 'stopLossBounds'] as const) {
      const [lo, hi] = o[field];
      if (!(lo > 0 && lo <= 1 && hi >= 1 && hi <= 10)) throw outOfRange(where, field, o[field], '[low, high] with 0 < low <= 1 <= high <= 10');
    }
    this.options = o;
    const s = state === undefined ? undefined : parseLearnerState(state);
    this.state = {
      version: s?.version ?? 0,
      keys: new Map(Object.entries(s?.keys ?? {})),
      history: [...(s?.history ?? [])],
    };
  }

  /**
   * Reads the learner persisted under {@link LEARNER_STATE_KEY}, or starts a fresh one when there is none.
   * Synchronous with a synchronous store (memory, SQLite), a promise otherwise.
   *
   * @example
   * ```ts
   * const learner = await ExitLearner.load(journal, { maxStep: 0.03 });
   * ```
   */
  static load(store: StateStore, options: ExitLearnerOptions = {}): MaybePromise<ExitLearner> {
    return thenMaybe(store.getState(LEARNER_STATE_KEY), (raw) =>
      new ExitLearner(options, raw === undefined || raw === '' ? undefined : parseLearnerState(raw)),
    );
  }

  /**
   * The state version: 0 until the first change, then +1 per change of any key.
   *
   * @example
   * ```ts
   * if (learner.version > before) console.log('the learner adjusted a ladder');
   * ```
   */
  get version(): number {
    return this.state.version;
  }

  /**
   * The adjustment for new plans of a symbol in a regime; {@link NO_ADJUSTMENT} (version aside) for a key with
   * nothing learned.
   *
   * @example
   * ```ts
   * const a = learner.adjustment(symbolId('ETH/USDT:USDT'), 'transition');
   * ```
   */
  adjustment(symbol: SymbolId, regime: VolatilityRegime): LearnedAdjustment {
    const k = this.state.keys.get(keyOf(symbol, regime));
    if (k === undefined) return { ...NO_ADJUSTMENT, version: this.state.version };
    return {
      takeProfitMultiplier: k.takeProfitMultiplier,
      stopLossMultiplier: k.stopLossMultiplier,
      samples: k.observed,
      version: this.state.version,
    };
  }

  /**
   * Learns from one closed position. Returns the change it caused, if any (most outcomes only add a sample).
   *
   * @example
   * ```ts
   * brain.outcomes$.subscribe((o) => learner.observe(o)); // what the Exit Brain does when given a learner
   * ```
   */
  observe(outcome: PositionOutcome): LearnerChange | undefined {
    const key = keyOf(outcome.symbol, outcome.regime);
    const prev: LearnerKeyState = this.state.keys.get(key) ?? {
      takeProfitMultiplier: 1,
      stopLossMultiplier: 1,
      observed: 0,
      lastChangeAt: null,
      window: [],
    };
    const sample = sampleOf(outcome);
    const window = [...prev.window, sample].slice(-this.options.windowSize);
    let next: LearnerKeyState = { ...prev, observed: prev.observed + 1, window };
    let change: LearnerChange | undefined;
    const due = prev.lastChangeAt === null || outcome.closedAt - prev.lastChangeAt >= this.options.minChangeIntervalMs;
    if (window.length >= this.options.minSamples && due) {
      const target = this.target(window);
      const tp = this.step(prev.takeProfitMultiplier, target.tp, window.length, this.options.takeProfitBounds);
      const sl = this.step(prev.stopLossMultiplier, target.sl, window.length, this.options.stopLossBounds);
      if (tp !== prev.takeProfitMultiplier || sl !== prev.stopLossMultiplier) {
        const version = this.state.version + 1;
        next = { ...next, takeProfitMultiplier: tp, stopLossMultiplier: sl, lastChangeAt: outcome.closedAt };
        change = { version, ts: outcome.closedAt, key, takeProfitMultiplier: tp, stopLossMultiplier: sl, samples: next.observed };
        this.state.version = version;
        this.state.history = [...this.state.history, change].slice(-HISTORY);
      }
    }
    this.state.keys.set(key, next);
    return change;
  }

  /**
   * A JSON-ready copy of the state ({@link ExitLearnerState}).
   *
   * @example
   * ```ts
   * const json = JSON.stringify(learner.toJSON());
   * ```
   */
  toJSON(): ExitLearnerState {
    return {
      schema: LEARNER_STATE_SCHEMA,
      version: this.state.version,
      keys: Object.fromEntries([...this.state.keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      history: [...this.state.history],
    };
  }

  /**
   * Persists the state under {@link LEARNER_STATE_KEY}.
   *
   * @example
   * ```ts
   * await learner.save(journal);
   * ```
   */
  save(store: StateStore): MaybePromise<void> {
    return store.setState(LEARNER_STATE_KEY, JSON.stringify(this.toJSON()));
  }

  /** The (take-profit, stop) multipliers with the best replayed result over the window (see the class description). */
  private target(window: readonly LearnerSample[]): { readonly tp: number; readonly sl: number } {
    const [tpLo, tpHi] = this.options.takeProfitBounds;
    const [slLo, slHi] = this.options.stopLossBounds;
    const idle = this.options.idleMsPerTrade / 60_000;
    // What the strategy earns per minute of a busy slot as things are: the time a candidate frees (or takes) is
    // valued at this rate, because it goes to (or is taken from) other trades of the same strategy.
    let actualR = 0;
    let actualTime = 0;
    for (const s of window) {
      actualR += s.n;
      actualTime += s.te + idle;
    }
    const rate = actualTime > 0 ? actualR / actualTime : 0;
    let best = { tp: 1, sl: 1 };
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < ADVERSE_LEVELS.length; j++) {
      const b = ADVERSE_LEVELS[j]!;
      if (b < slLo - 1e-9 || b > slHi + 1e-9) continue;
      for (const a of TP_GRID) {
        if (a < tpLo - 1e-9 || a > tpHi + 1e-9) continue;
        let sum = 0;
        for (const s of window) {
          const time = counterfactualMinutes(s, a, b, j) + idle;
          sum += counterfactualR(s, a, b, j) - s.c - rate * time;
        }
        // ties (and near-ties) go to the pair closest to the defaults
        const score = sum / window.length - 1e-9 * (Math.abs(a - 1) + Math.abs(b - 1));
        if (score > bestScore) {
          bestScore = score;
          best = { tp: a, sl: b };
        }
      }
    }
    return best;
  }

  /** Shrink toward 1, clamp to the bounds, then move at most `maxStep` from where the multiplier is. */
  private step(current: number, target: number, n: number, bounds: readonly [number, number]): number {
    const w = n / (n + this.options.priorStrength);
    const desired = 1 + w * (clamp(target, bounds) - 1);
    const max = this.options.maxStep;
    const moved = current + Math.max(-max, Math.min(max, desired - current));
    const next = round(clamp(moved, bounds), 4);
    return Math.abs(next - current) < 1e-4 ? current : next;
  }
}

function keyOf(symbol: SymbolId, regime: VolatilityRegime): string {
  return `${symbol}|${regime}`;
}

/** The learning sample of an outcome, in base-stop units. */
function sampleOf(o: PositionOutcome): LearnerSample {
  const unit = o.baseStopLossPct > 0 ? o.baseStopLossPct : 1;
  const risk = o.qty * o.entryPrice * unit;
  const u = (x: number): number => round(x / unit, 6);
  const final = o.exitReasons[o.exitReasons.length - 1];
  return {
    t: o.baseTakeProfitPcts.map(u),
    f: o.baseTakeProfitPcts.map((_, i) => round(o.takeProfitFractions[i] ?? 0, 6)),
    m: u(o.mfePct),
    d: u(o.maePct),
    p: ADVERSE_LEVELS.map((_, j) => u(o.mfeBeforeAdverse[j] ?? o.mfePct)),
    x: u(o.lastExitPct),
    s: final === 'stop_loss' || final === 'stop_fallback' ? 1 : 0,
    g: u(o.stopSlippagePct),
    c: risk > 0 ? round(o.fees / risk, 6) : 0,
    n: risk > 0 ? round(o.realizedPnl / risk, 6) : 0,
    ta: ADVERSE_LEVELS.map((_, j) => minutes(o.adverseTimesMs[j] ?? null)),
    tf: o.favourableTimesMs.map((t) => minutes(t)),
    te: minutes(o.closedAt - o.openedAt),
  };
}

function minutes(ms: number | null): number {
  return ms === null || !Number.isFinite(ms) ? -1 : Math.round(ms / 60_000);
}
