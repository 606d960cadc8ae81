import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import type { UnixMillis } from '../model/ids.js';

interface HeapEntry {
  due: number;
  /** Lower runs first among actions due at the same instant (see {@link ReplayScheduler.scheduleFirst}). */
  rank: number;
  seq: number;
  action: ReplayAction<unknown>;
  version: number;
}

class ReplayAction<T> extends Subscription implements SchedulerAction<T> {
  state: T | undefined;
  version = 0;
  /** 0, or -1 for an action that runs before the others due at the same instant. */
  rank = 0;

  constructor(
    private readonly scheduler: ReplayScheduler,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.version++;
    this.scheduler.enqueue(this as ReplayAction<unknown>, Math.max(0, delay), this.version, this.rank);
    return this;
  }

  execute(): void {
    this.work.call(this, this.state);
  }
}

/**
 * A virtual-time RxJS scheduler for replays and backtests: `now()` is the replayed market time, and
 * {@link ReplayScheduler.runUntil} executes every scheduled action due up to a time, in due-time order (ties:
 * actions scheduled with {@link ReplayScheduler.scheduleFirst} first, then in the order they were scheduled). Backed by a binary heap, so millions of timer ticks stay O(log n) each; a
 * periodic action (`timer`, `interval`) is rescheduled in place without allocating a new action.
 *
 * Unlike `VirtualTimeScheduler`, it starts at an absolute time (epoch milliseconds) and can be advanced in
 * chunks, which lets a runner show progress or pace a paper session against the wall clock between chunks.
 *
 * @example
 * ```ts
 * const scheduler = new ReplayScheduler(Date.UTC(2021, 0, 1));
 * timer(0, 60_000, scheduler).subscribe((n) => console.log(n, scheduler.now()));
 * scheduler.runUntil(Date.UTC(2021, 0, 1, 0, 5)); // logs ticks 0..5
 * ```
 */
export class ReplayScheduler implements SchedulerLike {
  private current: number;
  private seq = 0;
  /** End of the `runUntil` in progress (`Infinity` outside one): quiet runs do not go past it. */
  private limit = Number.POSITIVE_INFINITY;
  private readonly heap: HeapEntry[] = [];
  /** Entries popped from the heap, reused by the next enqueue: a periodic action allocates nothing per tick. */
  private readonly spare: HeapEntry[] = [];

  constructor(start: UnixMillis) {
    this.current = start;
  }

  /** The current virtual time. */
  now(): number {
    return this.current;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    return new ReplayAction<T>(this, work).schedule(state, delay);
  }

  /**
   * Like {@link ReplayScheduler.schedule}, but the action (and every reschedule of it) runs **before** the actions
   * scheduled with `schedule` that fall due at the same instant. A candle replay uses it so that a candle closing
   * at 12:00 is delivered before the 12:00 tick of a timer, whatever order they were scheduled in: a 60 s cycle
   * always sees the candle that has just closed.
   *
   * @example
   * ```ts
   * scheduler.schedule(() => log.push('tick'), 60_000);
   * scheduler.scheduleFirst(() => log.push('candle'), 60_000);
   * scheduler.runAll(); // log: ['candle', 'tick']
   * ```
   */
  scheduleFirst<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    const action = new ReplayAction<T>(this, work);
    action.rank = -1;
    return action.schedule(state, delay);
  }

  /**
   * How far a replay may hand over a quiet run of candles at once: the due time of the next live action other than
   * `ignore` (timers whose ticks the caller accounts for itself), or the end of the {@link ReplayScheduler.runUntil}
   * in progress, whichever comes first; `Infinity` when neither bounds it.
   *
   * @example
   * ```ts
   * const until = scheduler.quietHorizon(new Set([cycleTimer]));
   * ```
   */
  quietHorizon(ignore: ReadonlySet<Subscription>): UnixMillis {
    this.dropStale();
    let best = this.limit;
    for (const e of this.heap) {
      const a = e.action;
      if (a.closed || e.version !== a.version || ignore.has(a)) continue;
      if (e.due < best) best = e.due;
    }
    return best;
  }

  /** @internal */
  enqueue(action: ReplayAction<unknown>, delay: number, version: number, rank: number): void {
    let entry = this.spare.pop();
    if (entry === undefined) {
      entry = { due: this.current + delay, rank, seq: this.seq++, action, version };
    } else {
      entry.due = this.current + delay;
      entry.rank = rank;
      entry.seq = this.seq++;
      entry.action = action;
      entry.version = version;
    }
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(entry, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = entry;
  }

  /** Number of actions waiting (including stale entries of rescheduled actions). */
  get pending(): number {
    return this.heap.length;
  }

  /** Due time of the next live action, or `undefined` when nothing is scheduled. */
  nextDue(): UnixMillis | undefined {
    this.dropStale();
    return this.heap[0]?.due;
  }

  /**
   * Executes every action due at or before `time`, then sets the clock to `time`. Returns the number of actions
   * executed. An error thrown by an action propagates after the clock is left at that action's time.
   */
  runUntil(time: UnixMillis): number {
    const outer = this.limit;
    this.limit = Math.min(outer, time);
    try {
      return this.runActions(time);
    } finally {
      this.limit = outer;
    }
  }

  private runActions(time: UnixMillis): number {
    let n = 0;
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (top === undefined || top.due > time) break;
      this.pop();
      const action = top.action;
      if (top.due > this.current) this.current = top.due;
      this.recycle(top);
      n++;
      action.execute();
    }
    if (Number.isFinite(time) && time > this.current) this.current = time;
    return n;
  }

  /** Executes actions until none is left or the next one is after `limit` (default: no limit). */
  runAll(limit: UnixMillis = Number.POSITIVE_INFINITY): number {
    return this.runUntil(limit);
  }

  private dropStale(): void {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined) return;
      if (!top.action.closed && top.version === top.action.version) return;
      this.pop();
      this.recycle(top);
    }
  }

  private recycle(entry: HeapEntry): void {
    // A few spares are enough: the heap of a replay holds a handful of live actions at a time.
    if (this.spare.length < 64) this.spare.push(entry);
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && less(h[r]!, h[l]!) ? r : l;
      if (!less(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

function less(a: HeapEntry, b: HeapEntry): boolean {
  return a.due < b.due || (a.due === b.due && (a.rank < b.rank || (a.rank === b.rank && a.seq < b.seq)));
}
