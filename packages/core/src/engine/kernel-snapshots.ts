import type { PortfolioSnapshotTaken } from '../model/events.js';
import type { UnixMillis } from '../model/ids.js';
import type { Portfolio } from '../portfolio/portfolio.js';

/**
 * The kernel's Portfolio Intelligence sync (internal): at every sync tick the portfolio samples its equity, and a
 * `PortfolioSnapshotTaken` is due only when the valuation changed since the last journalled one — between candles
 * nothing moves, and storing it again says nothing. Compared as the snapshot would journal them (equity and realized
 * PnL rounded to 1e-8, open positions), before any event is built.
 *
 * @internal
 */
export class SnapshotSync {
  #equity = Number.NaN;
  #realized = Number.NaN;
  #open = -1;

  constructor(private readonly portfolio: Portfolio) {}

  /** Samples the portfolio at `now`; the snapshot to journal, or `undefined` when nothing changed. */
  due(now: UnixMillis): PortfolioSnapshotTaken | undefined {
    const portfolio = this.portfolio;
    portfolio.sample(now);
    const equity = round8(portfolio.equity());
    const realized = round8(portfolio.realizedPnl());
    const open = portfolio.openPositionCount;
    if (sameNumber(equity, this.#equity) && sameNumber(realized, this.#realized) && open === this.#open) return undefined;
    this.#equity = equity;
    this.#realized = realized;
    this.#open = open;
    return portfolio.snapshot(now);
  }
}

function round8(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

/** Equal as journalled text would be: NaN equals NaN, and 0 equals -0. */
function sameNumber(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}
