import type { Candle, UnixMillis } from '@quantum-trader/core';

/**
 * The most recent closed candles of one symbol, oldest first, at most `capacity` of them; answers "the last n
 * candles closed by time t" without look-ahead.
 *
 * @example
 * ```ts
 * const h = new CandleHistory(60_000, 500);
 * h.push(candle);
 * const closes = h.lastClosed(288, now);
 * ```
 */
export class CandleHistory {
  private candles: Candle[] = [];

  constructor(
    private readonly timeframeMs: number,
    private readonly capacity: number,
  ) {}

  /** Open time of the newest candle held (−∞ when empty). */
  get lastTs(): number {
    return this.candles[this.candles.length - 1]?.ts ?? Number.NEGATIVE_INFINITY;
  }

  get length(): number {
    return this.candles.length;
  }

  /** Appends a candle newer than every candle held (older or equal ones are ignored). */
  push(c: Candle): boolean {
    if (c.ts <= this.lastTs) return false;
    this.candles.push(c);
    // trim in batches so that pushing stays O(1) amortised
    if (this.candles.length > this.capacity * 2) this.candles = this.candles.slice(-this.capacity);
    return true;
  }

  /** Up to `count` most recent candles that had closed by `asOf` (`ts + timeframe <= asOf`), oldest first. */
  lastClosed(count: number, asOf: UnixMillis): readonly Candle[] {
    const list = this.candles;
    const limit = asOf - this.timeframeMs;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.ts <= limit) lo = mid + 1;
      else hi = mid;
    }
    const n = Math.min(count, this.capacity);
    return list.slice(Math.max(0, lo - n), lo);
  }
}
