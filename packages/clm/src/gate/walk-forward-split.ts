import type { UnixMillis } from '@quantum-trader/core';
import type { Dataset } from '../dataset/dataset.js';
import { sliceDataset } from '../dataset/dataset.js';

/**
 * A walk-forward split: train on the past, validate on what came after it.
 *
 * @example
 * ```ts
 * const { train, holdout, holdoutStart } = walkForwardSplit(dataset, 0.25);
 * ```
 */
export interface WalkForwardSplit {
  readonly train: Dataset;
  readonly holdout: Dataset;
  /** Decision time of the first holdout row. */
  readonly holdoutStart: UnixMillis;
  /** Training rows left out because their trade was still open when the holdout began (purged). */
  readonly purged: number;
}

/**
 * Splits a time-sorted dataset: the last `holdoutFraction` of rows is the holdout; the training rows are the ones
 * before it whose trade had closed by the holdout's first decision — a row whose outcome overlaps the holdout would
 * leak its future into training.
 *
 * @example
 * ```ts
 * const split = walkForwardSplit(dataset, 0.25);
 * console.log(split.train.rows, split.holdout.rows, split.purged);
 * ```
 */
export function walkForwardSplit(d: Dataset, holdoutFraction: number): WalkForwardSplit {
  const h = Math.min(d.rows, Math.max(0, Math.floor(d.rows * (1 - holdoutFraction))));
  let start = h;
  // Rows decided at the same instant stay on the same side.
  while (start > 0 && start < d.rows && d.ts[start - 1] === d.ts[start]) start--;
  const holdoutStart = start < d.rows ? d.ts[start]! : Number.POSITIVE_INFINITY;
  const keep: number[] = [];
  for (let r = 0; r < start; r++) if (d.exitTs[r]! <= holdoutStart) keep.push(r);
  return {
    train: selectRows(d, keep),
    holdout: sliceDataset(d, start, d.rows),
    holdoutStart,
    purged: start - keep.length,
  };
}

/**
 * Rows of a dataset decided at or after `from` (a time-based holdout, to align datasets built with other features).
 *
 * @example
 * ```ts
 * const holdout = rowsFrom(championDataset, split.holdoutStart);
 * ```
 */
export function rowsFrom(d: Dataset, from: UnixMillis): Dataset {
  let lo = 0;
  let hi = d.rows;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (d.ts[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return sliceDataset(d, lo, d.rows);
}

/**
 * A copy of the given rows of a dataset.
 *
 * @example
 * ```ts
 * const longs = selectRows(d, [...Array(d.rows).keys()].filter((r) => d.direction[r] === 1));
 * ```
 */
export function selectRows(d: Dataset, rows: readonly number[]): Dataset {
  const f = d.spec.names.length;
  const n = rows.length;
  const out = {
    spec: d.spec,
    rows: n,
    features: new Float32Array(n * f),
    labels: new Uint8Array(n),
    returns: new Float32Array(n),
    ts: new Float64Array(n),
    exitTs: new Float64Array(n),
    direction: new Int8Array(n),
    symbolIndex: new Uint16Array(n),
    symbols: d.symbols,
    labelSource: d.labelSource,
  };
  rows.forEach((r, i) => {
    out.features.set(d.features.subarray(r * f, (r + 1) * f), i * f);
    out.labels[i] = d.labels[r]!;
    out.returns[i] = d.returns[r]!;
    out.ts[i] = d.ts[r]!;
    out.exitTs[i] = d.exitTs[r]!;
    out.direction[i] = d.direction[r]!;
    out.symbolIndex[i] = d.symbolIndex[r]!;
  });
  return out;
}
