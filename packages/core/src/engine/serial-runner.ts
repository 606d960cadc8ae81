import type { MaybePromise } from '../ports/maybe-promise.js';

/**
 * Runs `work` for each pushed item, one at a time and in push order: what
 * `source.pipe(concatMap((x) => fromMaybe(work(x))))` does, without an inner Observable, subscriber and
 * subscription per item. An item pushed while another is being worked on — re-entrantly from inside `work`, or
 * while its promise is pending — waits in a queue and runs right after it. A synchronous `work` allocates nothing
 * here. The first throw or rejection goes to `onError` and the runner stops for good (later items are dropped),
 * like an Observable that errored; {@link SerialRunner.stop} drops what is queued, like an unsubscribe.
 *
 * @internal
 */
export class SerialRunner<T> {
  private readonly queue: T[] = [];
  private head = 0;
  private busy = false;
  private stopped = false;

  constructor(
    private readonly work: (item: T) => MaybePromise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** True when nothing is being worked on or waiting. */
  get idle(): boolean {
    return !this.busy && this.head === this.queue.length;
  }

  /** Works on `item` now, or after the items before it. */
  push(item: T): void {
    if (this.stopped) return;
    if (this.busy) {
      this.queue.push(item);
      return;
    }
    this.busy = true;
    this.drain(item);
  }

  /** Drops queued items and ignores everything pushed or settled from now on. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.head = 0;
  }

  private drain(first: T): void {
    let item = first;
    for (;;) {
      let r: MaybePromise<void>;
      try {
        r = this.work(item);
      } catch (err) {
        this.fail(err);
        return;
      }
      if (r instanceof Promise) {
        r.then(
          () => this.resume(),
          (err: unknown) => this.fail(err),
        );
        return;
      }
      if (this.stopped) return;
      if (this.head === this.queue.length) break;
      item = this.queue[this.head++]!;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
        // `item` is safe in a local: the queue is empty again, and new pushes go to a fresh slot 0.
      }
    }
    this.busy = false;
  }

  private resume(): void {
    if (this.stopped) return;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      this.busy = false;
      return;
    }
    const item = this.queue[this.head++]!;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    this.drain(item);
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.busy = false;
    this.onError(err);
  }
}
