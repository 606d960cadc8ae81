import type {
  DomainEvent,
  OrderFilled,
  PortfolioSnapshotTaken,
  PositionChanged,
  PositionClosed,
  PositionOpened,
} from '../model/events.js';
import {
  eventIdOf,
  positionIdOf,
  type ClientOrderId,
  type IntentId,
  type PositionId,
  type StrategyId,
  type SymbolId,
  type UnixMillis,
} from '../model/ids.js';
import { isLiveOrderStatus, type PositionSide } from '../model/orders.js';
import type { FillRow, OrderRow, PositionRow, TradeRow } from '../ports/journal.js';
import type { RiskContext } from '../risk/risk-rule.js';

/** A position as the portfolio tracks it. */
export interface PortfolioPosition {
  readonly positionId: PositionId;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  qty: number;
  maxQty: number;
  entryPrice: number;
  leverage: number;
  /** Realized PnL so far, net of fees. */
  realizedPnl: number;
  fees: number;
  /** Sum of exit qty × price, for the average exit price. */
  exitNotional: number;
  exitQty: number;
  readonly openedAt: UnixMillis;
  readonly strategyId: StrategyId | undefined;
  readonly intentId: IntentId | undefined;
}

interface OrderMeta {
  readonly leg: string | undefined;
  readonly intentId: IntentId | undefined;
  readonly leverage: number;
}

/** The strategy of an intent: the first `|`-separated part of its id (see `intentIdOf`); read when a position opens. */
function strategyOfIntent(intentId: IntentId | undefined): StrategyId | undefined {
  if (intentId === undefined) return undefined;
  const bar = intentId.indexOf('|');
  return (bar < 0 ? intentId : intentId.slice(0, bar)) as StrategyId;
}

/** Summary statistics of closed trades and equity. */
export interface PortfolioStats {
  readonly closedTrades: number;
  readonly wins: number;
  readonly losses: number;
  /** 0..1, NaN without trades. */
  readonly winRate: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly equity: number;
  readonly peakEquity: number;
  /** Largest peak-to-trough fall of sampled equity, as a fraction of the peak. */
  readonly maxDrawdown: number;
  readonly openPositions: number;
  readonly fees: number;
}

const EPS = 1e-12;
/** What most events cause: nothing (shared, so the kernel's per-event path allocates no empty array). */
const NONE: readonly (PositionOpened | PositionChanged | PositionClosed)[] = Object.freeze([]);

/**
 * Portfolio tracking: turns fills into positions (net per symbol), realized and unrealized PnL, win rate, peak
 * equity and max drawdown. It is a pure state machine over events: `apply(event)` returns the position events
 * the event causes (`PositionOpened` / `PositionChanged` / `PositionClosed`), which the kernel journals. It keeps no
 * equity curve: the curve is the journal's `PortfolioSnapshotTaken` events (and a backtest's own equity recorder).
 *
 * Equity = initial balance + realized PnL (net of every fee) + unrealized PnL at the last mark. This holds for
 * spot longs and for linear perpetuals alike.
 *
 * @example
 * ```ts
 * const portfolio = new Portfolio(10_000);
 * const derived = portfolio.apply(fillEvent); // [PositionOpened]
 * portfolio.mark(symbol, 51_000);
 * portfolio.stats().equity;
 * ```
 */
export class Portfolio {
  private readonly positions = new Map<SymbolId, PortfolioPosition>();
  /** What a fill needs to know of its order, for orders that may still fill (a finished order's entry is dropped). */
  private readonly orders = new Map<ClientOrderId, OrderMeta>();
  /** Last price per symbol, in a mutable cell so that marking a symbol every candle allocates nothing. */
  private readonly marks = new Map<SymbolId, { price: number }>();
  private lastMarked: SymbolId | undefined;
  private lastMark: { price: number } | undefined;
  /**
   * Cached valuation (the sums of {@link realizedPnl} and {@link unrealizedPnl}), valid while nothing they read has
   * changed: the sync and the risk checks ask for equity far more often than a fill or a new price changes it.
   */
  private cacheValid = false;
  private fundingTotal = 0;
  private cachedRealized = 0;
  private cachedUnrealized = 0;
  private readonly lastClosed = new Map<SymbolId, UnixMillis>();
  private readonly closedPnl: number[] = [];
  private readonly closedAt: number[] = [];
  private realizedClosed = 0;
  private feesTotal = 0;
  private wins = 0;
  private peak: number;
  private maxDd = 0;

  constructor(readonly initialBalance: number) {
    this.peak = initialBalance;
  }

  /** Applies one journalled event; returns the position events it causes. */
  apply(event: DomainEvent): readonly (PositionOpened | PositionChanged | PositionClosed)[] {
    switch (event.type) {
      case 'OrderSubmitting': {
        const o = event.order;
        this.orders.set(o.clientOrderId, {
          leg: o.leg,
          intentId: o.intentId,
          leverage: o.leverage ?? 1,
        });
        return NONE;
      }
      case 'OrderFilled': {
        this.cacheValid = false;
        const derived = this.applyFill(event);
        if (event.remainingQty <= 0) this.orders.delete(event.clientOrderId); // filled: no later fill needs it
        return derived;
      }
      case 'OrderCanceled':
      case 'OrderRejected':
        this.orders.delete(event.clientOrderId); // finished: no fill follows
        return NONE;
      case 'FundingPaid':
        this.fundingTotal += event.amount;
        return NONE;
      default:
        return NONE;
    }
  }

  /** Sets the mark price of a symbol (the last close). */
  mark(symbol: SymbolId, price: number): void {
    let cell = this.lastMark;
    if (symbol !== this.lastMarked || cell === undefined) {
      cell = this.marks.get(symbol);
      if (cell === undefined) {
        cell = { price: Number.NaN };
        this.marks.set(symbol, cell);
      }
      this.lastMarked = symbol;
      this.lastMark = cell;
    }
    if (cell.price === price) return;
    cell.price = price;
    if (this.cacheValid && this.positions.has(symbol)) this.cacheValid = false;
  }

  /**
   * Number of open positions (without building the list {@link openPositions} returns).
   *
   * @example
   * ```ts
   * if (portfolio.openPositionCount === 0) console.log('flat');
   * ```
   */
  get openPositionCount(): number {
    return this.positions.size;
  }

  /** The open position of a symbol, if any. */
  position(symbol: SymbolId): Readonly<PortfolioPosition> | undefined {
    return this.positions.get(symbol);
  }

  /** All open positions. */
  openPositions(): readonly Readonly<PortfolioPosition>[] {
    return [...this.positions.values()];
  }

  /** Unrealized PnL of all open positions at the last marks. */
  unrealizedPnl(): number {
    if (!this.cacheValid) this.revalue();
    return this.cachedUnrealized;
  }

  /** Realized PnL of everything (closed trades and partial closes of open ones), net of fees. */
  realizedPnl(): number {
    if (!this.cacheValid) this.revalue();
    return this.cachedRealized;
  }

  private revalue(): void {
    let u = 0;
    let r = this.realizedClosed;
    for (const p of this.positions.values()) {
      const m = this.marks.get(p.symbol)?.price ?? p.entryPrice;
      u += (p.side === 'long' ? m - p.entryPrice : p.entryPrice - m) * p.qty;
      r += p.realizedPnl;
    }
    this.cachedUnrealized = u;
    this.cachedRealized = r;
    this.cacheValid = true;
  }

  /** Equity = initial balance + realized + unrealized PnL. */
  equity(): number {
    return this.initialBalance + this.realizedPnl() + this.unrealizedPnl() + this.fundingTotal;
  }

  /** Funding received (positive) or paid (negative) so far, from `FundingPaid` events: in equity, not in trade PnL. */
  funding(): number {
    return this.fundingTotal;
  }

  /** Takes one equity sample (the portfolio sync): updates peak equity and max drawdown, and returns the equity. */
  sample(ts: UnixMillis): number {
    const e = this.equity();
    if (e > this.peak) this.peak = e;
    const dd = this.peak > 0 ? (this.peak - e) / this.peak : 0;
    if (dd > this.maxDd) this.maxDd = dd;
    return e;
  }

  /** Builds the snapshot event of the current state (not journalled by itself). */
  snapshot(ts: UnixMillis): PortfolioSnapshotTaken {
    const equity = this.equity();
    const realized = this.realizedPnl();
    return {
      id: eventIdOf('PortfolioSnapshotTaken', ts),
      type: 'PortfolioSnapshotTaken',
      ts,
      equity: round8(equity),
      balance: round8(this.initialBalance + realized + this.fundingTotal),
      unrealizedPnl: round8(equity - this.initialBalance - realized - this.fundingTotal),
      realizedPnl: round8(realized),
      openPositions: this.positions.size,
      drawdown: round8(this.peak > 0 ? Math.max(0, (this.peak - equity) / this.peak) : 0),
    };
  }

  /** Statistics so far. */
  stats(): PortfolioStats {
    const n = this.closedPnl.length;
    return {
      closedTrades: n,
      wins: this.wins,
      losses: n - this.wins,
      winRate: n === 0 ? Number.NaN : this.wins / n,
      realizedPnl: this.realizedPnl(),
      unrealizedPnl: this.unrealizedPnl(),
      equity: this.equity(),
      peakEquity: this.peak,
      maxDrawdown: this.maxDd,
      openPositions: this.positions.size,
      fees: this.feesTotal,
    };
  }

  /** A risk-context view of the portfolio at `now`; `pending(symbol)` says whether an entry is in flight. */
  riskContext(now: UnixMillis, pendingEntries: ReadonlySet<SymbolId>): RiskContext {
    return {
      now,
      equity: this.equity(),
      openPositions: this.positions.size + countNotIn(pendingEntries, this.positions),
      hasExposure: (s) => this.positions.has(s) || pendingEntries.has(s),
      lastClosedAt: (s) => this.lastClosed.get(s),
      realizedPnlSince: (since) => {
        let sum = 0;
        for (let i = this.closedAt.length - 1; i >= 0 && this.closedAt[i]! >= since; i--) sum += this.closedPnl[i]!;
        return sum;
      },
    };
  }

  /**
   * Rebuilds the state from journal projections after a restart: open positions, closed trades (for realized PnL,
   * win rate and cooldowns) and order metadata (legs, intents).
   */
  restore(rows: {
    readonly positions: readonly PositionRow[];
    readonly trades: readonly TradeRow[];
    readonly orders: readonly OrderRow[];
    /** The journal's fills: they give an open position its fees and exit notional so far. */
    readonly fills?: readonly FillRow[];
    /** The sum of the journal's `FundingPaid` amounts. */
    readonly funding?: number;
  }): void {
    this.cacheValid = false;
    this.fundingTotal = rows.funding ?? 0;
    const positionOf = new Map<ClientOrderId, PositionId>();
    for (const o of rows.orders) {
      positionOf.set(o.clientOrderId, o.positionId ?? positionIdOf(o.clientOrderId));
    }
    const sums = new Map<PositionId, { fees: number; exitNotional: number; exitQty: number }>();
    for (const p of rows.positions) {
      if (p.status === 'open') sums.set(p.positionId, { fees: 0, exitNotional: 0, exitQty: 0 });
    }
    for (const f of rows.fills ?? []) {
      const pid = positionOf.get(f.clientOrderId);
      const sum = pid === undefined ? undefined : sums.get(pid);
      if (sum === undefined) continue;
      sum.fees += f.fee;
      const pos = rows.positions.find((p) => p.positionId === pid);
      const reduces = pos !== undefined && (pos.side === 'long' ? f.side === 'sell' : f.side === 'buy');
      if (reduces) {
        sum.exitNotional += f.qty * f.price;
        sum.exitQty += f.qty;
      }
    }
    for (const o of rows.orders) {
      if (!isLiveOrderStatus(o.status)) continue; // no fill follows
      this.orders.set(o.clientOrderId, {
        leg: o.leg ?? undefined,
        intentId: o.intentId ?? undefined,
        leverage: o.leverage ?? 1,
      });
    }
    const trades = [...rows.trades].sort((a, b) => a.closedAt - b.closedAt);
    for (const t of trades) this.recordClose(t.symbol, t.realizedPnl, t.closedAt);
    for (const p of rows.positions) {
      const sum = sums.get(p.positionId);
      this.feesTotal += sum?.fees ?? p.fees;
      if (p.status !== 'open') continue;
      this.positions.set(p.symbol, {
        positionId: p.positionId,
        symbol: p.symbol,
        side: p.side,
        qty: p.qty,
        maxQty: p.maxQty,
        entryPrice: p.entryPrice,
        leverage: p.leverage,
        realizedPnl: p.realizedPnl,
        fees: sum !== undefined && rows.fills !== undefined ? sum.fees : p.fees,
        exitNotional: sum?.exitNotional ?? 0,
        exitQty: sum !== undefined && rows.fills !== undefined ? sum.exitQty : p.maxQty - p.qty,
        openedAt: p.openedAt,
        strategyId: p.strategyId ?? undefined,
        intentId: p.intentId ?? undefined,
      });
    }
  }

  private applyFill(f: OrderFilled): readonly (PositionOpened | PositionChanged | PositionClosed)[] {
    const meta = this.orders.get(f.clientOrderId);
    this.feesTotal += f.fee;
    const dir = f.side === 'buy' ? 1 : -1;
    const pos = this.positions.get(f.symbol);
    const out: (PositionOpened | PositionChanged | PositionClosed)[] = [];
    if (pos === undefined) {
      out.push(this.open(f, f.qty, f.fee, meta));
      return out;
    }
    const posDir = pos.side === 'long' ? 1 : -1;
    if (dir === posDir) {
      // adding to the position
      const qty = pos.qty + f.qty;
      pos.entryPrice = (pos.entryPrice * pos.qty + f.price * f.qty) / qty;
      pos.qty = qty;
      pos.maxQty = Math.max(pos.maxQty, qty);
      pos.fees += f.fee;
      pos.realizedPnl -= f.fee;
      out.push(this.changed(pos, f));
      return out;
    }
    // reducing (and possibly flipping)
    const closeQty = Math.min(pos.qty, f.qty);
    const feeShare = f.qty > 0 ? f.fee * (closeQty / f.qty) : 0;
    const gross = (f.price - pos.entryPrice) * closeQty * posDir;
    // An isolated position can lose no more than its margin: when a gap carries a liquidation past the
    // bankruptcy price, the venue's insurance fund takes the rest (the fill itself stays inside the candle).
    const margin = (pos.entryPrice * closeQty) / Math.max(1, pos.leverage);
    pos.realizedPnl += f.liquidation === true ? Math.max(gross - feeShare, -margin) : gross - feeShare;
    pos.fees += feeShare;
    pos.exitNotional += f.price * closeQty;
    pos.exitQty += closeQty;
    pos.qty = pos.qty - closeQty;
    if (pos.qty <= EPS * Math.max(1, pos.maxQty)) {
      pos.qty = 0;
      out.push(this.close(pos, f, meta));
      const rest = f.qty - closeQty;
      if (rest > EPS && !f.reduceOnly) out.push(this.open(f, rest, f.fee - feeShare, meta));
    } else {
      out.push(this.changed(pos, f));
    }
    return out;
  }

  private open(f: OrderFilled, qty: number, fee: number, meta: OrderMeta | undefined): PositionOpened {
    const strategyId = strategyOfIntent(meta?.intentId);
    const positionId = positionIdOf(f.clientOrderId);
    const side: PositionSide = f.side === 'buy' ? 'long' : 'short';
    this.positions.set(f.symbol, {
      positionId,
      symbol: f.symbol,
      side,
      qty,
      maxQty: qty,
      entryPrice: f.price,
      leverage: meta?.leverage ?? 1,
      realizedPnl: -fee,
      fees: fee,
      exitNotional: 0,
      exitQty: 0,
      openedAt: f.ts,
      strategyId,
      intentId: meta?.intentId,
    });
    const opened: { -readonly [K in keyof PositionOpened]: PositionOpened[K] } = {
      id: eventIdOf('PositionOpened', positionId),
      type: 'PositionOpened',
      ts: f.ts,
      positionId,
      symbol: f.symbol,
      side,
      qty,
      entryPrice: f.price,
      leverage: meta?.leverage ?? 1,
    };
    // set in this order, only when known (no conditional spreads: no copies)
    if (strategyId !== undefined) opened.strategyId = strategyId;
    if (meta?.intentId !== undefined) opened.intentId = meta.intentId;
    return opened;
  }

  private changed(pos: PortfolioPosition, f: OrderFilled): PositionChanged {
    return {
      id: eventIdOf('PositionChanged', pos.positionId, f.clientOrderId, f.fillSeq),
      type: 'PositionChanged',
      ts: f.ts,
      positionId: pos.positionId,
      symbol: pos.symbol,
      qty: round12(pos.qty),
      entryPrice: pos.entryPrice,
      realizedPnl: round8(pos.realizedPnl),
    };
  }

  private close(pos: PortfolioPosition, f: OrderFilled, meta: OrderMeta | undefined): PositionClosed {
    this.positions.delete(pos.symbol);
    this.recordClose(pos.symbol, pos.realizedPnl, f.ts);
    return {
      id: eventIdOf('PositionClosed', pos.positionId),
      type: 'PositionClosed',
      ts: f.ts,
      positionId: pos.positionId,
      symbol: pos.symbol,
      side: pos.side,
      entryPrice: pos.entryPrice,
      exitPrice: pos.exitQty > 0 ? pos.exitNotional / pos.exitQty : f.price,
      qty: pos.maxQty,
      openedAt: pos.openedAt,
      realizedPnl: round8(pos.realizedPnl),
      fees: round8(pos.fees),
      exitReason: f.liquidation === true ? 'liquidation' : exitReasonOf(meta?.leg),
    };
  }

  private recordClose(symbol: SymbolId, pnl: number, ts: UnixMillis): void {
    this.realizedClosed += pnl;
    this.closedPnl.push(pnl);
    this.closedAt.push(ts);
    if (pnl > 0) this.wins++;
    this.lastClosed.set(symbol, ts);
  }
}

function exitReasonOf(leg: string | undefined): string {
  if (leg === undefined) return 'manual';
  if (leg.startsWith('sl')) return 'stop_loss';
  return leg;
}

function countNotIn(set: ReadonlySet<SymbolId>, map: ReadonlyMap<SymbolId, unknown>): number {
  let n = 0;
  for (const s of set) if (!map.has(s)) n++;
  return n;
}

function round8(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

function round12(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}
