import type { UnixMillis } from '@quantum-trader/core';
import type { FeatureSpec } from '../features/feature-spec.js';

/**
 * Where a dataset's labels came from: the bot's own closed trades, or trades simulated on history.
 *
 * @example
 * ```ts
 * const source: LabelSource = closedTrades >= 500 ? 'journal' : 'simulated';
 * ```
 */
export type LabelSource = 'simulated' | 'journal';

/**
 * A training dataset held in columns: one row per labelled signal, sorted by decision time. `features` is
 * row-major (`rows × spec.names.length` float32, the layout an ONNX model takes).
 *
 * @example
 * ```ts
 * const x0 = dataset.features.subarray(0, dataset.spec.names.length); // the first row
 * const y0 = dataset.labels[0]; // 1 = the trade ended in profit
 * ```
 */
export interface Dataset {
  readonly spec: FeatureSpec;
  readonly rows: number;
  readonly features: Float32Array;
  /** 1 when the trade ended in profit (net return > 0), else 0. */
  readonly labels: Uint8Array;
  /** Net return of the trade on its entry notional. */
  readonly returns: Float32Array;
  /** Decision time of each row (close time of the signal's candle). */
  readonly ts: Float64Array;
  /** When each row's trade was flat again. */
  readonly exitTs: Float64Array;
  /** +1 long, −1 short. */
  readonly direction: Int8Array;
  /** Index into {@link symbols}. */
  readonly symbolIndex: Uint16Array;
  readonly symbols: readonly string[];
  readonly labelSource: LabelSource;
}

/**
 * The rows `[start, end)` of a dataset as a dataset (views, no copy).
 *
 * @example
 * ```ts
 * const holdout = sliceDataset(dataset, split, dataset.rows);
 * ```
 */
export function sliceDataset(d: Dataset, start: number, end: number): Dataset {
  const f = d.spec.names.length;
  return {
    spec: d.spec,
    rows: end - start,
    features: d.features.subarray(start * f, end * f),
    labels: d.labels.subarray(start, end),
    returns: d.returns.subarray(start, end),
    ts: d.ts.subarray(start, end),
    exitTs: d.exitTs.subarray(start, end),
    direction: d.direction.subarray(start, end),
    symbolIndex: d.symbolIndex.subarray(start, end),
    symbols: d.symbols,
    labelSource: d.labelSource,
  };
}

/**
 * First and last decision time of a dataset (NaN when empty).
 *
 * @example
 * ```ts
 * const { from, to } = datasetRange(dataset);
 * ```
 */
export function datasetRange(d: Dataset): { readonly from: UnixMillis; readonly to: UnixMillis } {
  return d.rows === 0 ? { from: Number.NaN, to: Number.NaN } : { from: d.ts[0]!, to: d.ts[d.rows - 1]! };
}
