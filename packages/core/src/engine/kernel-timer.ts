import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

/**
 * A periodic timer of the kernel on its scheduler, which knows when it is next due, so that a quiet run of
 * candles can pass its ticks and move it on (internal).
 *
 * @internal
 */
export class KernelTimer {
  /** Scheduler time of the next tick. */
  due: number;
  readonly action: Subscription;

  constructor(
    private readonly scheduler: SchedulerLike,
    readonly periodMs: number,
    tick: () => void,
  ) {
    this.due = scheduler.now() + periodMs;
    const self = this;
    // Work first, then the next tick, so that ties on the scheduler keep their order.
    this.action = scheduler.schedule(function (this: SchedulerAction<undefined>) {
      tick();
      self.due = self.scheduler.now() + periodMs;
      this.schedule(undefined, periodMs);
    }, periodMs);
  }

  /**
   * The last tick due at or before `until`, or `undefined` when none is; with `skip`, the timer then moves on to
   * its first tick after `until` (those ticks are passed, not run).
   */
  lastTickBy(until: number, skip = false): number | undefined {
    if (this.due > until) return undefined;
    const n = Math.floor((until - this.due) / this.periodMs);
    const last = this.due + n * this.periodMs;
    if (skip) {
      this.due = last + this.periodMs;
      (this.action as SchedulerAction<undefined>).schedule(undefined, this.due - this.scheduler.now());
    }
    return last;
  }
}
