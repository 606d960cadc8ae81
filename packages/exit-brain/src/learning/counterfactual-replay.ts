import { FAVOURABLE_STEP } from './adverse-levels.js';
import type { LearnerSample } from './learner-state.js';

// Internal (not re-exported): the learner's replay of one closed position with other multipliers.

/**
 * What a position would have returned, in base-stop units, with take profits at `a ×` their levels and the stop at
 * `b` (= `ADVERSE_LEVELS[j]`) base-stop distances — see {@link ExitLearner} for the rules.
 */
export function counterfactualR(s: LearnerSample, a: number, b: number, j: number): number {
  const stopHit = s.d >= b - 1e-9;
  const fav = stopHit ? (s.p[j] ?? s.m) : s.m;
  let gain = 0;
  let rest = 1;
  for (let k = 0; k < s.t.length; k++) {
    const f = s.f[k] ?? 0;
    if (f > 0 && fav >= a * s.t[k]! - 1e-9) {
      gain += f * a * s.t[k]!;
      rest -= f;
    }
  }
  if (rest <= 1e-9) return gain;
  // a stop that is hit fills as far beyond its level as the position's own stop did (a gap is a gap)
  return stopHit || s.s === 1 ? gain - rest * (b + s.g) : gain + rest * s.x;
}

/**
 * How long the position of a sample would have stayed open with take profits at `a ×` and the stop at `b`
 * (= `ADVERSE_LEVELS[j]`), in minutes: until the stop was reached, or until the last take profit was reached (the
 * time the excursion first reached the highest recorded level at or below it), or as long as it actually lasted.
 */
export function counterfactualMinutes(s: LearnerSample, a: number, b: number, j: number): number {
  const stopHit = s.d >= b - 1e-9 && (s.ta[j] ?? -1) >= 0;
  const fav = stopHit ? (s.p[j] ?? s.m) : s.m;
  let last = -1;
  for (let k = 0; k < s.t.length; k++) if ((s.f[k] ?? 0) > 0) last = k;
  const allTaken = last >= 0 && fav >= a * s.t[last]! - 1e-9;
  if (allTaken) {
    const level = Math.floor((a * s.t[last]!) / FAVOURABLE_STEP + 1e-9);
    const at = level <= 0 ? 0 : (s.tf[Math.min(level, s.tf.length) - 1] ?? s.te);
    return stopHit ? Math.min(at, s.ta[j]!) : at;
  }
  return stopHit ? s.ta[j]! : s.te;
}
