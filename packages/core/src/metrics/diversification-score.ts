import { correlation } from './statistics.js';

/** Result of {@link diversificationScore}. */
export interface Diversification {
  /** `clamp(1 − ρ̄, 0, 1)`: 1 = uncorrelated or hedged, 0 = every symbol moves together. NaN with < 2 symbols. */
  readonly score: number;
  /** ρ̄: mean Pearson correlation over every pair of symbols whose series vary. */
  readonly averageCorrelation: number;
  /** The full correlation matrix (NaN where a series has no variation). */
  readonly matrix: readonly (readonly number[])[];
}

/**
 * Diversification score of a multi-symbol portfolio from the correlation of the symbols' daily returns (or daily
 * PnL — correlation does not care about scale): `score = clamp(1 − ρ̄, 0, 1)` where ρ̄ is the average pairwise
 * Pearson correlation. A portfolio whose symbols all move together scores 0; uncorrelated (ρ̄ = 0) or hedging
 * (ρ̄ < 0) symbols score 1. Pairs where a series never varies (a symbol that never traded) are left out.
 *
 * @param series - one daily series per symbol, all aligned on the same days.
 *
 * @example
 * ```ts
 * diversificationScore([[0.01, -0.02, 0.03], [0.01, -0.02, 0.03]]).score; // 0
 * diversificationScore([[1, -1, 1, -1], [1, 1, -1, -1]]).score; // 1 (ρ = 0)
 * ```
 */
export function diversificationScore(series: readonly ArrayLike<number>[]): Diversification {
  const k = series.length;
  const matrix: number[][] = [];
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < k; i++) {
    const row: number[] = [];
    for (let j = 0; j < k; j++) {
      if (j < i) {
        row.push(matrix[j]![i]!);
        continue;
      }
      const c = correlation(series[i]!, series[j]!);
      const v = i === j && !Number.isNaN(c) ? 1 : c;
      row.push(v);
      if (j > i && !Number.isNaN(v)) {
        sum += v;
        pairs++;
      }
    }
    matrix.push(row);
  }
  const avg = pairs === 0 ? Number.NaN : sum / pairs;
  const score = Number.isNaN(avg) ? Number.NaN : Math.min(1, Math.max(0, 1 - avg));
  return { score, averageCorrelation: avg, matrix };
}
