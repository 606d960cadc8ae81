import { QuantumTraderError } from '@quantum-trader/core';
import type { Dataset } from '../dataset/dataset.js';
import { classificationMetrics } from '../metrics/classification-metrics.js';
import { backtestSignals } from '../metrics/signal-backtest.js';
import type { ValidationMetrics } from '../registry/model-metadata.js';

/**
 * Metrics the gate can rank models by.
 *
 * @example
 * ```ts
 * const metric: GateMetric = 'logLoss';
 * ```
 */
export type GateMetric = 'auc' | 'logLoss' | 'accuracy' | 'brier' | 'pnl';

/**
 * How the promotion gate decides.
 *
 * @example
 * ```ts
 * const gate: GateOptions = { metric: 'logLoss', requirePnl: true, minImprovement: 0.001 };
 * ```
 */
export interface GateOptions {
  /** The metric a challenger must beat the champion on (default `auc`). */
  readonly metric?: GateMetric;
  /** Also require a backtested PnL of the accepted holdout signals at least the champion's (default true). */
  readonly requirePnl?: boolean;
  /** How much better the metric must be (default 0: strictly better). */
  readonly minImprovement?: number;
  /** Notional per backtested trade, in the quote currency (default 1000, the runner's max notional per trade). */
  readonly notional?: number;
  /** Share of the newest rows held out for validation (default 0.25). */
  readonly holdoutFraction?: number;
}

/**
 * The gate's verdict.
 *
 * @example
 * ```ts
 * const d: GateDecision = decidePromotion(challenger, champion);
 * if (!d.promote) console.log(d.reason);
 * ```
 */
export interface GateDecision {
  readonly promote: boolean;
  /** Short form for the log line: `beats momentum alone`, `beats v6`, `worse than v6` … */
  readonly summary: string;
  /** The full reason, with the numbers. */
  readonly reason: string;
}

const HIGHER_IS_BETTER: Readonly<Record<GateMetric, boolean>> = {
  auc: true,
  accuracy: true,
  pnl: true,
  logLoss: false,
  brier: false,
};

/**
 * The break-even probability of the training rows: with the average winning return `w > 0` and average losing
 * return `l ≤ 0`, a signal is worth taking when `p·w + (1 − p)·l > 0`, i.e. `p > −l / (w − l)`. Clamped to
 * [0.05, 0.95]; 0.5 when the rows have no wins or no losses.
 *
 * @example
 * ```ts
 * const threshold = breakEvenThreshold(split.train); // e.g. 0.41 for +2.9 % wins and −2.0 % losses
 * ```
 */
export function breakEvenThreshold(train: Dataset): number {
  let w = 0;
  let nw = 0;
  let l = 0;
  let nl = 0;
  for (let r = 0; r < train.rows; r++) {
    const x = train.returns[r]!;
    if (x > 0) {
      w += x;
      nw++;
    } else {
      l += x;
      nl++;
    }
  }
  if (nw === 0 || nl === 0) return 0.5;
  const avgW = w / nw;
  const avgL = l / nl;
  return Math.min(0.95, Math.max(0.05, -avgL / (avgW - avgL)));
}

/**
 * Scores a model's holdout probabilities: classification metrics, and the backtest of the signals it accepts
 * (probability ≥ `threshold`) next to the backtest of every signal.
 *
 * @example
 * ```ts
 * const metrics = evaluateOnHoldout(model.predict(holdout.features, holdout.rows), threshold, holdout, 1000);
 * ```
 */
export function evaluateOnHoldout(
  probabilities: ArrayLike<number>,
  threshold: number,
  holdout: Dataset,
  notional: number,
): ValidationMetrics {
  if (probabilities.length !== holdout.rows) {
    throw new QuantumTraderError('INVARIANT_VIOLATED', `evaluateOnHoldout: ${probabilities.length} probabilities for ${holdout.rows} rows`);
  }
  const c = classificationMetrics(probabilities, holdout.labels);
  const accept = new Uint8Array(holdout.rows);
  for (let r = 0; r < holdout.rows; r++) accept[r] = probabilities[r]! >= threshold ? 1 : 0;
  const taken = backtestSignals(holdout, accept, notional);
  const all = backtestSignals(holdout, new Uint8Array(holdout.rows).fill(1), notional);
  return {
    rows: c.rows,
    accuracy: c.accuracy,
    auc: c.auc,
    logLoss: c.logLoss,
    brier: c.brier,
    positiveRate: c.positiveRate,
    pnl: taken.pnl,
    trades: taken.trades,
    winRate: taken.winRate,
    maxDrawdown: taken.maxDrawdown,
    baselinePnl: all.pnl,
    baselineTrades: all.trades,
    baselineWinRate: all.winRate,
  };
}

/**
 * The promotion gate. With a champion, the challenger must beat it on the configured metric (by `minImprovement`)
 * and, unless `requirePnl` is false, backtest at least its PnL on the same holdout. Without one, it must show skill
 * (AUC above 0.5; log-loss or Brier below the constant base-rate forecast; accuracy above the majority class) and
 * backtest at least the PnL of taking every signal — a model is only worth deploying if it beats "no model".
 *
 * @example
 * ```ts
 * const d = decidePromotion(challenger, { version: 'v6', metrics: v6OnSameHoldout }, { metric: 'auc' });
 * if (!d.promote) console.log(d.reason); // "auc 0.58 ≤ v6's 0.61"
 * ```
 */
export function decidePromotion(
  challenger: ValidationMetrics,
  champion: { readonly version: string; readonly metrics: ValidationMetrics } | undefined,
  options: GateOptions = {},
): GateDecision {
  const metric = options.metric ?? 'auc';
  const requirePnl = options.requirePnl ?? true;
  const minImp = options.minImprovement ?? 0;
  const higher = HIGHER_IS_BETTER[metric];
  const value = challenger[metric];
  const fmt = (x: number) => (metric === 'pnl' ? x.toFixed(2) : x.toFixed(4));
  const better = (a: number, b: number) => (higher ? a > b + minImp : a < b - minImp);
  const failures: string[] = [];
  let against: string;
  if (champion !== undefined) {
    against = champion.version;
    const ref = champion.metrics[metric];
    if (!(Number.isFinite(value) && (!Number.isFinite(ref) || better(value, ref)))) {
      failures.push(`${metric} ${fmt(value)} ${higher ? '≤' : '≥'} ${champion.version}'s ${fmt(ref)}${minImp > 0 ? ` + ${minImp}` : ''}`);
    }
    if (requirePnl && !(challenger.pnl >= champion.metrics.pnl)) {
      failures.push(`backtested PnL ${challenger.pnl.toFixed(2)} < ${champion.version}'s ${champion.metrics.pnl.toFixed(2)}`);
    }
  } else {
    against = 'momentum alone';
    const rate = challenger.positiveRate;
    const noSkill: Record<GateMetric, number> = {
      auc: 0.5,
      accuracy: Math.max(rate, 1 - rate),
      logLoss: -(rate * Math.log(rate) + (1 - rate) * Math.log(1 - rate)),
      brier: rate * (1 - rate),
      pnl: challenger.baselinePnl,
    };
    if (!(Number.isFinite(value) && better(value, noSkill[metric]))) {
      failures.push(`${metric} ${fmt(value)} shows no skill (no-skill level ${fmt(noSkill[metric])})`);
    }
    if (requirePnl && !(challenger.pnl >= challenger.baselinePnl)) {
      failures.push(`backtested PnL ${challenger.pnl.toFixed(2)} < ${challenger.baselinePnl.toFixed(2)} taking every signal`);
    }
  }
  if (failures.length > 0) {
    return { promote: false, summary: `worse than ${against}`, reason: `worse than ${against}: ${failures.join('; ')}` };
  }
  const detail = `${metric} ${fmt(value)}, backtested PnL ${challenger.pnl.toFixed(2)}`;
  return champion === undefined
    ? {
        promote: true,
        summary: 'beats momentum alone',
        reason: `no champion serving; beats momentum alone: ${detail} vs ${challenger.baselinePnl.toFixed(2)} taking every signal`,
      }
    : { promote: true, summary: `beats ${champion.version}`, reason: `beats ${champion.version}: ${detail}` };
}
