import type { Candle } from '../../model/candle.js';

/**
 * How the simulated exchange assumes price travelled inside one candle, which only records open, high, low and
 * close:
 * - `'conservative'` (default): open → adverse extreme → favourable extreme → close, where *adverse* is relative
 *   to the symbol's net position at the start of the candle (long: low first; short: high first). When flat,
 *   the extreme nearer the open comes first (a tie goes low first).
 * - `'ohlc'`: open → high → low → close.
 * - `'olhc'`: open → low → high → close.
 *
 * Orders trigger in the order the path reaches their prices, so with `'conservative'` a long whose take profit and
 * stop loss both lie inside one candle exits at the stop loss.
 *
 * @example
 * ```ts
 * const exchange = new SimulatedExchange({ instruments, balances: { USDT: 10_000 }, scheduler, intrabar: 'ohlc' });
 * ```
 */
export type IntrabarMode = 'conservative' | 'ohlc' | 'olhc';

/**
 * The piecewise-linear price path of one candle, parametrised by the distance travelled from the open
 * (so "earlier on the path" is a smaller number). One instance is reused for every candle: no allocation.
 *
 * @internal
 */
export class IntrabarPath {
  private p0 = 0;
  private p1 = 0;
  private p2 = 0;
  private p3 = 0;
  private t1 = 0;
  private t2 = 0;
  private t3 = 0;
  /** Where the last {@link firstCross} found the price (distance from the open; Infinity: never). */
  crossT = 0;
  /** Price at that point. */
  crossPrice = 0;

  /** Sets the path to open → `lowFirst ? low : high` → the other extreme → close. */
  reset(candle: Candle, lowFirst: boolean): void {
    this.p0 = candle.open;
    this.p1 = lowFirst ? candle.low : candle.high;
    this.p2 = lowFirst ? candle.high : candle.low;
    this.p3 = candle.close;
    this.t1 = Math.abs(this.p1 - this.p0);
    this.t2 = this.t1 + Math.abs(this.p2 - this.p1);
    this.t3 = this.t2 + Math.abs(this.p3 - this.p2);
  }

  /**
   * Finds the first point at or after `fromT` where the price is `>= level` (`above`) or `<= level` (`!above`).
   * Returns whether there is one and leaves it in {@link crossT} (Infinity if none) and {@link crossPrice}:
   * `level` when the path crosses it, or the price at `fromT` when the condition already holds there (a gap).
   * Results go to fields rather than a return value so that the hot loop boxes no doubles.
   */
  firstCross(level: number, above: boolean, fromT: number): boolean {
    if (this.segmentCross(this.p0, this.p1, 0, this.t1, level, above, fromT)) return true;
    if (this.segmentCross(this.p1, this.p2, this.t1, this.t2, level, above, fromT)) return true;
    if (this.segmentCross(this.p2, this.p3, this.t2, this.t3, level, above, fromT)) return true;
    this.crossT = Infinity;
    return false;
  }

  private segmentCross(
    a: number,
    b: number,
    ta: number,
    tb: number,
    level: number,
    above: boolean,
    fromT: number,
  ): boolean {
    if (tb < fromT) return false;
    const start = fromT > ta ? fromT : ta;
    const pStart = start === ta ? a : b >= a ? a + (start - ta) : a - (start - ta);
    if (above ? pStart >= level : pStart <= level) {
      this.crossT = start;
      this.crossPrice = pStart;
      return true;
    }
    if (above ? b >= level : b <= level) {
      this.crossT = ta + Math.abs(level - a);
      this.crossPrice = level;
      return true;
    }
    return false;
  }
}
