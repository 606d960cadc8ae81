import type {
  DomainEvent,
  ExitLeg,
  ExitPlanCompleted,
  ExitPlanCreated,
  ModelPromoted,
  OrderAccepted,
  OrderCanceled,
  OrderFilled,
  OrderRejected,
  OrderSubmitting,
  PortfolioSnapshotTaken,
  PositionChanged,
  PositionClosed,
  PositionOpened,
  SignalGenerated,
} from '../../src/model/events.js';
import type {
  ClientOrderId,
  ModelVersion,
  PlanId,
  PositionId,
  SymbolId,
  UnixMillis,
  VenueOrderId,
} from '../../src/model/ids.js';
import type { SubmitOrder } from '../../src/model/orders.js';
import type { Journal } from '../../src/ports/journal.js';
import { eventIdOf, strategyId, symbolId } from '../../src/model/ids.js';

/** Event builders shared by the journal contract suite and the adapters' own journal tests. */

export const T0: UnixMillis = 1_700_000_000_000;
export const BTC: SymbolId = symbolId('BTC/USDT:USDT');
export const ETH: SymbolId = symbolId('ETH/USDT');
export const MOMENTUM = strategyId('momentum-24h');

export const coid = (s: string): ClientOrderId => `qt-${s}` as ClientOrderId;
export const pid = (s: string): PositionId => `pos-${s}` as PositionId;
export const planId = (s: string): PlanId => `plan-${s}` as PlanId;

export function submitting(id: ClientOrderId, order: Partial<SubmitOrder> = {}, ts: UnixMillis = T0): OrderSubmitting {
  return {
    id: eventIdOf('OrderSubmitting', id),
    type: 'OrderSubmitting',
    ts,
    order: { clientOrderId: id, symbol: BTC, side: 'buy', type: 'market', qty: 1, reduceOnly: false, ...order },
  };
}

export function accepted(id: ClientOrderId, ts: UnixMillis = T0 + 1, symbol: SymbolId = BTC): OrderAccepted {
  return {
    id: eventIdOf('OrderAccepted', id),
    type: 'OrderAccepted',
    ts,
    clientOrderId: id,
    venueOrderId: `v-${id}` as VenueOrderId,
    symbol,
  };
}

export function filled(
  id: ClientOrderId,
  fill: { fillSeq: number; qty: number; price: number; fee: number; remainingQty: number },
  ts: UnixMillis = T0 + 2,
): OrderFilled {
  return {
    id: eventIdOf('OrderFilled', id, fill.fillSeq),
    type: 'OrderFilled',
    ts,
    clientOrderId: id,
    venueOrderId: `v-${id}` as VenueOrderId,
    symbol: BTC,
    side: 'buy',
    orderType: 'market',
    fillSeq: fill.fillSeq,
    qty: fill.qty,
    price: fill.price,
    fee: fill.fee,
    feeCurrency: 'USDT',
    liquidity: 'taker',
    remainingQty: fill.remainingQty,
    reduceOnly: false,
  };
}

export function rejected(id: ClientOrderId, code: string, reason: string, ts: UnixMillis = T0 + 1): OrderRejected {
  return { id: eventIdOf('OrderRejected', id), type: 'OrderRejected', ts, clientOrderId: id, symbol: BTC, code, reason };
}

export function canceled(id: ClientOrderId, reason: string, ts: UnixMillis = T0 + 3): OrderCanceled {
  return { id: eventIdOf('OrderCanceled', id), type: 'OrderCanceled', ts, clientOrderId: id, symbol: BTC, reason };
}

export function positionOpened(p: PositionId, qty: number, entryPrice: number, ts: UnixMillis = T0): PositionOpened {
  return {
    id: eventIdOf('PositionOpened', p),
    type: 'PositionOpened',
    ts,
    positionId: p,
    symbol: BTC,
    side: 'long',
    qty,
    entryPrice,
    leverage: 3,
    strategyId: MOMENTUM,
  };
}

export function positionChanged(
  p: PositionId,
  change: { qty: number; entryPrice: number; realizedPnl: number },
  ts: UnixMillis,
): PositionChanged {
  return { id: eventIdOf('PositionChanged', p, ts), type: 'PositionChanged', ts, positionId: p, symbol: BTC, ...change };
}

export function positionClosed(
  p: PositionId,
  close: { qty: number; entryPrice: number; exitPrice: number; realizedPnl: number; fees: number; exitReason: string },
  openedAt: UnixMillis,
  ts: UnixMillis,
): PositionClosed {
  return {
    id: eventIdOf('PositionClosed', p),
    type: 'PositionClosed',
    ts,
    positionId: p,
    symbol: BTC,
    side: 'long',
    openedAt,
    ...close,
  };
}

export const LEGS: readonly ExitLeg[] = [
  { leg: 'tp1', kind: 'take_profit', clientOrderId: coid('tp1'), price: 51_000, qty: 0.3, fraction: 0.3 },
  { leg: 'tp2', kind: 'take_profit', clientOrderId: coid('tp2'), price: 52_000, qty: 0.3, fraction: 0.3 },
  { leg: 'sl', kind: 'stop_loss', clientOrderId: coid('sl'), price: 49_000, qty: 1, fraction: 1 },
];

export function exitPlanCreated(plan: PlanId, p: PositionId, ts: UnixMillis = T0): ExitPlanCreated {
  return {
    id: eventIdOf('ExitPlanCreated', plan),
    type: 'ExitPlanCreated',
    ts,
    planId: plan,
    positionId: p,
    symbol: BTC,
    side: 'long',
    profile: 'STANDARD_LADDER',
    entryPrice: 50_000,
    volatility: 0.021,
    legs: LEGS,
  };
}

export function exitPlanCompleted(plan: PlanId, p: PositionId, reason: string, ts: UnixMillis): ExitPlanCompleted {
  return { id: eventIdOf('ExitPlanCompleted', plan), type: 'ExitPlanCompleted', ts, planId: plan, positionId: p, reason };
}

export function snapshot(ts: UnixMillis, equity: number): PortfolioSnapshotTaken {
  return {
    id: eventIdOf('PortfolioSnapshotTaken', ts),
    type: 'PortfolioSnapshotTaken',
    ts,
    equity,
    balance: 10_000,
    unrealizedPnl: equity - 10_000,
    realizedPnl: 0,
    openPositions: 1,
    drawdown: 0.01,
  };
}

export function signal(n: number): SignalGenerated {
  return {
    id: eventIdOf('SignalGenerated', MOMENTUM, BTC, T0 + n),
    type: 'SignalGenerated',
    ts: T0 + n,
    strategyId: MOMENTUM,
    symbol: BTC,
    direction: 'long',
    candleTs: T0 + n,
    price: 50_000 + n,
    strength: 0.012,
    reason: 'momentum above +1 %',
  };
}

export function modelPromoted(ts: UnixMillis): ModelPromoted {
  return { id: eventIdOf('ModelPromoted', 'v7'), type: 'ModelPromoted', ts, version: 'v7' as ModelVersion, metric: 'sharpe', value: 1.4 };
}

/** A session touching every projection: an order life cycle, a rejected and a canceled order, a position, a plan. */
export function fullSession(): DomainEvent[] {
  const p = pid('a');
  return [
    signal(0),
    submitting(coid('a'), { intentId: 'i-a' as never, leg: 'entry', leverage: 3 }),
    accepted(coid('a')),
    filled(coid('a'), { fillSeq: 1, qty: 0.4, price: 50_000, fee: 8, remainingQty: 0.6 }),
    filled(coid('a'), { fillSeq: 2, qty: 0.6, price: 50_100, fee: 12.02, remainingQty: 0 }, T0 + 3),
    positionOpened(p, 1, 50_060, T0 + 3),
    exitPlanCreated(planId('a'), p, T0 + 4),
    submitting(coid('b'), { side: 'sell', type: 'limit', price: 60_000, qty: 2 }, T0 + 5),
    rejected(coid('b'), '-2010', 'insufficient balance', T0 + 6),
    submitting(coid('c'), { type: 'limit', price: 49_000, qty: 0.5, symbol: ETH }, T0 + 7),
    accepted(coid('c'), T0 + 8, ETH),
    canceled(coid('c'), 'user', T0 + 9),
    positionChanged(p, { qty: 0.7, entryPrice: 50_060, realizedPnl: 250 }, T0 + 10),
    snapshot(T0 + 11, 10_250),
    positionClosed(p, { qty: 1, entryPrice: 50_060, exitPrice: 50_800, realizedPnl: 700, fees: 40, exitReason: 'tp3' }, T0 + 3, T0 + 12),
    exitPlanCompleted(planId('a'), p, 'position flat', T0 + 12),
    snapshot(T0 + 13, 10_700),
    modelPromoted(T0 + 14),
  ];
}

/** Everything a journal can read back, for comparing two journals or one journal across a reopen. */
export async function readAll(journal: Journal): Promise<Record<string, unknown>> {
  return {
    events: await journal.events(),
    orders: await journal.orders(),
    fills: await journal.fills(),
    positions: await journal.positions(),
    trades: await journal.trades(),
    exitPlans: await journal.exitPlans(),
    snapshots: await journal.snapshots(),
  };
}
