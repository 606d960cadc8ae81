/**
 * How well probabilities predict binary labels.
 *
 * @example
 * ```ts
 * const m: ClassificationMetrics = classificationMetrics(probabilities, labels);
 * console.log(m.auc, m.logLoss);
 * ```
 */
export interface ClassificationMetrics {
  readonly rows: number;
  /** Share of rows whose prediction at 0.5 matches the label. */
  readonly accuracy: number;
  /** Area under the ROC curve (0.5 = no skill; ties count half). */
  readonly auc: number;
  /** Mean negative log-likelihood (probabilities clipped to [1e-7, 1 − 1e-7]). */
  readonly logLoss: number;
  /** Mean squared error of the probabilities. */
  readonly brier: number;
  /** Share of positive labels. */
  readonly positiveRate: number;
}

const EPS = 1e-7;

/**
 * Computes accuracy, AUC, log-loss and Brier score of `probabilities` against `labels` (1 = positive).
 *
 * @example
 * ```ts
 * classificationMetrics(Float32Array.of(0.9, 0.2), Uint8Array.of(1, 0)).auc; // 1
 * ```
 */
export function classificationMetrics(probabilities: ArrayLike<number>, labels: ArrayLike<number>): ClassificationMetrics {
  const n = labels.length;
  let correct = 0;
  let ll = 0;
  let brier = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const p = probabilities[i]!;
    if ((p >= 0.5 ? 1 : 0) === y) correct++;
    const q = Math.min(1 - EPS, Math.max(EPS, p));
    ll -= y === 1 ? Math.log(q) : Math.log(1 - q);
    brier += (p - y) * (p - y);
    pos += y;
  }
  return {
    rows: n,
    accuracy: n === 0 ? Number.NaN : correct / n,
    auc: auc(probabilities, labels),
    logLoss: n === 0 ? Number.NaN : ll / n,
    brier: n === 0 ? Number.NaN : brier / n,
    positiveRate: n === 0 ? Number.NaN : pos / n,
  };
}

/**
 * Area under the ROC curve by ranks (Mann–Whitney U), ties averaged; NaN when only one class is present.
 *
 * @example
 * ```ts
 * auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // 0.75
 * ```
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = labels.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!]! === scores[order[i]!]!) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        rankSumPos += rank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
