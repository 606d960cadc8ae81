import { asyncScheduler, map, switchMap, take, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { UnixMillis } from '@quantum-trader/core';

/**
 * One hour: the first run comes this long after the first trades (the user's number).
 *
 * @example
 * ```ts
 * retrainSchedule(firstTrade$, { firstRunDelayMs: FIRST_RETRAIN_DELAY_MS });
 * ```
 */
export const FIRST_RETRAIN_DELAY_MS = 3_600_000;
/**
 * 168 hours: the retraining interval (the user's number).
 *
 * @example
 * ```ts
 * retrainSchedule(firstTrade$, { intervalMs: RETRAIN_INTERVAL_MS });
 * ```
 */
export const RETRAIN_INTERVAL_MS = 168 * 3_600_000;

/**
 * Timing of {@link retrainSchedule}.
 *
 * @example
 * ```ts
 * const timing: RetrainTiming = { firstRunDelayMs: FIRST_RETRAIN_DELAY_MS, intervalMs: RETRAIN_INTERVAL_MS };
 * ```
 */
export interface RetrainTiming {
  readonly firstRunDelayMs?: number;
  readonly intervalMs?: number;
}

/**
 * The retrain clock: once the first trade time is known, emits the due time of each run — `firstTradeAt + 1 h`,
 * then every 168 h — on the given scheduler (virtual time in tests and replays). Started late (after a restart),
 * it continues on the same grid from the next due time at or after `now`.
 *
 * @example
 * ```ts
 * retrainSchedule(firstTrade$, {}, scheduler).subscribe((due) => clm.runScheduled(due));
 * ```
 */
export function retrainSchedule(
  firstTradeAt$: Observable<UnixMillis>,
  timing: RetrainTiming = {},
  scheduler: SchedulerLike = asyncScheduler,
): Observable<UnixMillis> {
  const delay = timing.firstRunDelayMs ?? FIRST_RETRAIN_DELAY_MS;
  const interval = timing.intervalMs ?? RETRAIN_INTERVAL_MS;
  return firstTradeAt$.pipe(
    take(1),
    switchMap((t0) => {
      const now = scheduler.now();
      const due = nextRetrainDue(t0, now, { firstRunDelayMs: delay, intervalMs: interval });
      return timer(due - now, interval, scheduler).pipe(map((i) => due + i * interval));
    }),
  );
}

/**
 * The first due time of the retrain grid (`firstTradeAt + firstRunDelay + k × interval`) at or after `now`.
 *
 * @example
 * ```ts
 * nextRetrainDue(t0, t0 + 2 * 3_600_000); // t0 + 1 h + 168 h
 * ```
 */
export function nextRetrainDue(firstTradeAt: UnixMillis, now: UnixMillis, timing: RetrainTiming = {}): UnixMillis {
  const first = firstTradeAt + (timing.firstRunDelayMs ?? FIRST_RETRAIN_DELAY_MS);
  const interval = timing.intervalMs ?? RETRAIN_INTERVAL_MS;
  const k = first >= now ? 0 : Math.ceil((now - first) / interval);
  return first + k * interval;
}
