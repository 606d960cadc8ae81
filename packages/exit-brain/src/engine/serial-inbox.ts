import type { MaybePromise } from '@quantum-trader/core';

/**
 * Handles items one at a time, in arrival order (internal; not re-exported). An item pushed while another is being
 * handled — for instance a fill that a synchronous simulated exchange reports from inside a submission — is queued
 * and handled by the call already running, right after the current item; that call's result settles once the
 * queue is empty. Stays synchronous while the handler is. After a failure the error is rethrown and the items still
 * queued are handled on the next push.
 */
export class SerialInbox<T> {
  private readonly queue: T[] = [];
  private busy = false;
  private readonly handle: (item: T) => MaybePromise<void>;

  constructor(handle: (item: T) => MaybePromise<void>) {
    this.handle = handle;
  }

  /** True when nothing is being handled or waiting. */
  get idle(): boolean {
    return !this.busy && this.queue.length === 0;
  }

  push(item: T): MaybePromise<void> {
    this.queue.push(item);
    if (this.busy) return undefined;
    return this.drain();
  }

  private drain(): MaybePromise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        const r = this.handle(this.queue.shift()!);
        if (r instanceof Promise) {
          return r.then(
            () => this.drain(),
            (err: unknown) => {
              this.busy = false;
              throw err;
            },
          );
        }
      }
    } catch (err) {
      this.busy = false;
      throw err;
    }
    this.busy = false;
    return undefined;
  }
}
