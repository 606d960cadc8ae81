import type { ClmStatus } from '@quantum-trader/clm';

/**
 * One line about the CLM for the log and the terminal: champion, samples, next run, last run.
 *
 * @example
 * ```ts
 * describeClm(clm.status()); // 'champion=v3 serving=v3 samples=120/100 next run 2021-03-08T01:00:00.000Z; last run completed v3 (…)'
 * ```
 */
export function describeClm(s: ClmStatus): string {
  const next = s.nextRunAt === undefined ? 'after the first closed trade' : new Date(s.nextRunAt).toISOString();
  const last =
    s.lastRun === undefined
      ? 'no run yet'
      : `last run ${s.lastRun.status}${s.lastRun.version !== undefined ? ` ${s.lastRun.version}` : ''} (${s.lastRun.reason})`;
  return `champion=${s.champion ?? 'none'} serving=${s.serving} samples=${s.samples}/${s.minSamples} next run ${next}; ${last}`;
}
