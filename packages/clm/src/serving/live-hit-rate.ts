/**
 * The hit rate of the last `window` trades (wins / trades), kept in a ring: what the CLM watches to roll a
 * champion back when it stops working live.
 *
 * @example
 * ```ts
 * const hits = new LiveHitRate(50);
 * hits.record(trade.realizedPnl > 0);
 * if (hits.full && hits.rate < 0.4) rollback();
 * ```
 */
export class LiveHitRate {
  private readonly ring: Uint8Array;
  private head = 0;
  private n = 0;
  private wins = 0;

  constructor(readonly window: number) {
    this.ring = new Uint8Array(Math.max(1, window));
  }

  /** Adds one closed trade. */
  record(win: boolean): void {
    const w = win ? 1 : 0;
    if (this.n === this.ring.length) this.wins -= this.ring[this.head]!;
    else this.n++;
    this.ring[this.head] = w;
    this.wins += w;
    this.head = (this.head + 1) % this.ring.length;
  }

  /** Trades in the window. */
  get count(): number {
    return this.n;
  }

  /** True once `window` trades have been recorded. */
  get full(): boolean {
    return this.n === this.ring.length;
  }

  /** Wins / trades over the window (NaN when empty). */
  get rate(): number {
    return this.n === 0 ? Number.NaN : this.wins / this.n;
  }

  /** Forgets every trade (a new champion starts afresh). */
  reset(): void {
    this.head = 0;
    this.n = 0;
    this.wins = 0;
  }
}
