/**
 * Features quantised into at most 256 bins each, the input of histogram-based tree growing.
 *
 * @internal
 */
export interface BinnedFeatures {
  /** Row-major bin indices (`rows × features`). */
  readonly bins: Uint8Array;
  /**
   * Per feature, the float32 upper edge of each bin but the last: a value `x` falls in the first bin `b` with
   * `x <= thresholds[b]` (or the last bin when there is none). A split "bin ≤ b" is the test `x <= thresholds[b]`,
   * exactly what ONNX's `BRANCH_LEQ` evaluates.
   */
  readonly thresholds: readonly Float32Array[];
}

/**
 * Quantises row-major float32 features into bins by quantiles of (a sample of) each column.
 *
 * @internal
 */
export function binFeatures(features: Float32Array, rows: number, nFeatures: number, maxBins: number): BinnedFeatures {
  const bins = new Uint8Array(rows * nFeatures);
  const thresholds: Float32Array[] = [];
  const stride = Math.max(1, Math.floor(rows / 200_000));
  const sample = new Float32Array(Math.ceil(rows / stride));
  for (let j = 0; j < nFeatures; j++) {
    let m = 0;
    for (let r = 0; r < rows; r += stride) sample[m++] = features[r * nFeatures + j]!;
    const sorted = sample.subarray(0, m).sort();
    const edges: number[] = [];
    // Distinct values first: a column with few of them gets one bin per value.
    const distinct: number[] = [];
    for (let i = 0; i < m && distinct.length <= maxBins; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
    }
    if (distinct.length <= maxBins) {
      for (let i = 0; i + 1 < distinct.length; i++) edges.push(Math.fround((distinct[i]! + distinct[i + 1]!) / 2));
    } else {
      for (let k = 1; k < maxBins; k++) edges.push(sorted[Math.min(m - 1, Math.floor((k * m) / maxBins))]!);
    }
    const t = Float32Array.from(dedupeIncreasing(edges.map(Math.fround)));
    // An edge at or above the largest value would send nothing right; drop it.
    thresholds.push(trimTop(t, sorted[m - 1]!));
  }
  for (let j = 0; j < nFeatures; j++) {
    const t = thresholds[j]!;
    for (let r = 0; r < rows; r++) bins[r * nFeatures + j] = binOf(t, features[r * nFeatures + j]!);
  }
  return { bins, thresholds };
}

/** First bin `b` with `x <= t[b]`, else `t.length`. */
function binOf(t: Float32Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= t[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function dedupeIncreasing(xs: number[]): number[] {
  const out: number[] = [];
  for (const x of xs) if (out.length === 0 || x > out[out.length - 1]!) out.push(x);
  return out;
}

function trimTop(t: Float32Array, max: number): Float32Array {
  let n = t.length;
  while (n > 0 && t[n - 1]! >= max) n--;
  return t.slice(0, n);
}
