/**
 * Sleeps that end early when the owner stops (so background loops exit promptly on `close()`).
 *
 * @example
 * ```ts
 * const stopper = new Stopper();
 * while (!stopper.stopped) { await poll(); await stopper.sleep(1000); }
 * ```
 */
export class Stopper {
  stopped = false;
  private readonly waiting = new Set<() => void>();

  /** Waits `ms` milliseconds, or until {@link Stopper.stop}. */
  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiting.add(done);
    });
  }

  /** Ends every pending sleep; later sleeps return at once. */
  stop(): void {
    this.stopped = true;
    for (const done of [...this.waiting]) done();
  }
}
