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

  /** The last tick due at or before `until`, or `undefined` when none is. */
  lastTickBy(until: number): number | undefined {
    if (this.due > until) return undefined;
    return this.due + Math.floor((until - this.due) / this.periodMs) * this.periodMs;
  }

  /** Passes every tick due at or before `until` (they are not run): the timer moves on to its first tick after it. */
  passUntil(until: number): void {
    const last = this.lastTickBy(until);
    if (last === undefined) return;
    this.due = last + this.periodMs;
    (this.action as SchedulerAction<undefined>).schedule(undefined, this.due - this.scheduler.now());
  }
}

/**
 * Passes the ticks of several timers up to `until`, moving them on in the order their next ticks would have been
 * enqueued had they run: by the time of their last tick, and at the same time the longer period first (it was
 * enqueued earlier for that instant), then in the order given — so ticks that later fall due at the same instant
 * run in the same order as when every tick runs.
 *
 * @internal
 */
export function passTimers(timers: readonly KernelTimer[], until: number): void {
  // The kernel passes one or two timers after every quiet run: those cases without a filtered, sorted copy.
  if (timers.length === 1) {
    timers[0]!.passUntil(until);
    return;
  }
  if (timers.length === 2) {
    const [a, b] = timers as [KernelTimer, KernelTimer];
    if (b.due > until || (a.due <= until && !before(b, a, until))) {
      a.passUntil(until);
      b.passUntil(until);
    } else {
      b.passUntil(until);
      a.passUntil(until);
    }
    return;
  }
  const moving = timers.filter((t) => t.due <= until);
  const prev = (t: KernelTimer): number => t.lastTickBy(until)!;
  moving.sort((a, b) => prev(a) - prev(b) || b.periodMs - a.periodMs || timers.indexOf(a) - timers.indexOf(b));
  for (const t of moving) t.passUntil(until);
}

/** True when `x` (given after `y`) is passed before `y`: its last tick is earlier, or at the same time its period longer. */
function before(x: KernelTimer, y: KernelTimer, until: number): boolean {
  const px = x.lastTickBy(until)!;
  const py = y.lastTickBy(until)!;
  return px < py || (px === py && x.periodMs > y.periodMs);
}
