import type { UnixMillis } from '@quantum-trader/core';
import type { LabelSource } from '../dataset/dataset.js';
import type { ModelManifest } from '../onnx/model-manifest.js';

/**
 * Where a model stands: `candidate` (just added), `champion` (serving), `retired` (a former champion, replaced by a
 * better one), `rejected` (failed the gate, with the reason), `rolled-back` (taken out of service, with the reason).
 *
 * @example
 * ```ts
 * const serving = (await registry.list()).filter((m) => m.status === 'champion');
 * ```
 */
export type ModelStatus = 'candidate' | 'champion' | 'retired' | 'rejected' | 'rolled-back';

/**
 * Out-of-sample quality of a model on the gate's holdout rows.
 *
 * @example
 * ```ts
 * const m: ValidationMetrics = meta.metrics!;
 * console.log(`auc=${m.auc.toFixed(2)} pnl=${m.pnl.toFixed(0)}`);
 * ```
 */
export interface ValidationMetrics {
  readonly rows: number;
  readonly accuracy: number;
  readonly auc: number;
  readonly logLoss: number;
  readonly brier: number;
  /** Share of holdout rows whose trade ended in profit. */
  readonly positiveRate: number;
  /** Backtested PnL of the holdout signals the model accepts (quote currency, `notional` per trade). */
  readonly pnl: number;
  readonly trades: number;
  readonly winRate: number;
  readonly maxDrawdown: number;
  /** The same backtest taking every signal (the strategy alone). */
  readonly baselinePnl: number;
  readonly baselineTrades: number;
  readonly baselineWinRate: number;
}

/**
 * The data a model was trained and validated on.
 *
 * @example
 * ```ts
 * console.log(`${meta.data?.trainRows} rows from ${new Date(meta.data!.trainFrom).toISOString()}`);
 * ```
 */
export interface ModelDataInfo {
  /** Dataset version (`ds-000007`). */
  readonly dataset: string;
  readonly labelSource: LabelSource;
  readonly trainRows: number;
  readonly trainFrom: UnixMillis;
  readonly trainTo: UnixMillis;
  readonly holdoutRows: number;
  readonly holdoutFrom: UnixMillis;
  readonly holdoutTo: UnixMillis;
}

/**
 * `metadata.json` of one registry version.
 *
 * @example
 * ```ts
 * const meta: ModelMetadata | undefined = await registry.get('v7');
 * meta?.status; // 'rejected'
 * meta?.reason; // 'worse than v6: auc 0.58 ≤ 0.61'
 * ```
 */
export interface ModelMetadata {
  /** `v1`, `v2` … never reused. */
  readonly version: string;
  readonly createdAt: UnixMillis;
  /** `gbdt`, `logistic`, `external`, `imported` … */
  readonly trainer: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The features (and tensors) the model takes. */
  readonly manifest: ModelManifest;
  /** A signal is accepted when the model's probability of a win is at least this. */
  readonly threshold: number;
  readonly data?: ModelDataInfo;
  readonly metrics?: ValidationMetrics;
  /** The champion it was compared with, and that champion's metrics on the same holdout. */
  readonly comparedWith?: { readonly version: string; readonly metrics: ValidationMetrics };
  readonly status: ModelStatus;
  /** Why it has its status, in words. */
  readonly reason: string;
  readonly promotedAt?: UnixMillis;
  /** SHA-256 of model.onnx, checked on every load. */
  readonly sha256: string;
  readonly details?: Readonly<Record<string, unknown>>;
}
