import { asyncScheduler, map, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { UnixMillis } from '../model/ids.js';

/**
 * The autonomous cycle: emits the scheduler's time every `periodMs` (first tick one period after subscription).
 * Virtual in backtests, wall-clock live — the caller's scheduler decides.
 *
 * @example
 * ```ts
 * cycle(60_000, scheduler).subscribe((now) => evaluateStrategies(now));
 * ```
 */
export function cycle(periodMs: number, scheduler: SchedulerLike = asyncScheduler): Observable<UnixMillis> {
  return timer(periodMs, periodMs, scheduler).pipe(map(() => scheduler.now()));
}
