interface Waiting<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Coalesces the calls made in one tick into one command: a consumer that acks a whole read in a loop costs one
 * `XACK` round trip, not one per message. Each caller's promise settles with its batch.
 */
export class Batcher<T> {
  private waiting: Array<Waiting<T>> = [];
  private scheduled = false;

  constructor(
    private readonly flush: (items: readonly T[]) => Promise<unknown>,
    private readonly maxBatch = 1_000,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.drain());
      }
    });
  }

  private drain(): void {
    this.scheduled = false;
    const all = this.waiting;
    this.waiting = [];
    for (let start = 0; start < all.length; start += this.maxBatch) {
      const batch = all.slice(start, start + this.maxBatch);
      this.flush(batch.map((w) => w.item)).then(
        () => {
          for (const w of batch) w.resolve();
        },
        (err: unknown) => {
          for (const w of batch) w.reject(err);
        },
      );
    }
  }
}
