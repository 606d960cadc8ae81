import {
  clientOrderIdOf,
  isQuantumTraderError,
  type ClientOrderId,
  type DomainEvent,
  type ExitPlanCompleted,
  type ExitPlanCreated,
  type ExitPlanRow,
  type OrderRow,
  type PlanId,
  type PositionChanged,
  type PositionClosed,
  type PositionOpened,
  type VenueOrderId,
} from '@quantum-trader/core';
import { describe, expect, it } from 'vitest';
import { ExitBrain, reconcilePlanRows, type ExitBrainOptions } from '@quantum-trader/exit-brain';
import { BTC, FakeContext, POSITION, type FakeContextOptions } from './fixtures.js';

const PLAN = `plan-${POSITION}` as PlanId;
const coid = (leg: string): ClientOrderId => clientOrderIdOf(PLAN, leg);
const T0 = 1_700_000_000_000;

const opened = (side: 'long' | 'short' = 'long', qty = 0.01): PositionOpened => ({
  id: `PositionOpened:${POSITION}`,
  type: 'PositionOpened',
  ts: T0,
  positionId: POSITION,
  symbol: BTC.symbol,
  side,
  qty,
  entryPrice: 50_000,
  leverage: 3,
});

const changed = (qty: number, ts = T0 + 60_000): PositionChanged => ({
  id: `PositionChanged:${POSITION}:${ts}`,
  type: 'PositionChanged',
  ts,
  positionId: POSITION,
  symbol: BTC.symbol,
  qty,
  entryPrice: 50_000,
  realizedPnl: 2.9,
});

const closed = (exitReason: string, ts = T0 + 120_000): PositionClosed => ({
  id: `PositionClosed:${POSITION}`,
  type: 'PositionClosed',
  ts,
  positionId: POSITION,
  symbol: BTC.symbol,
  side: 'long',
  entryPrice: 50_000,
  exitPrice: 49_000,
  qty: 0.01,
  openedAt: T0,
  realizedPnl: -10,
  fees: 0.4,
  exitReason,
});

const filled = (leg: string, qty: number, remainingQty: number, ts = T0 + 30_000): DomainEvent => ({
  id: `OrderFilled:${coid(leg)}:1`,
  type: 'OrderFilled',
  ts,
  clientOrderId: coid(leg),
  venueOrderId: `v-${coid(leg)}` as VenueOrderId,
  symbol: BTC.symbol,
  side: 'sell',
  orderType: leg.startsWith('sl') ? 'stop_market' : 'limit',
  fillSeq: 1,
  qty,
  price: 50_975,
  fee: 0.06,
  feeCurrency: 'USDT',
  liquidity: 'maker',
  remainingQty,
  reduceOnly: true,
});

/** Feeds events one by one like the kernel (awaiting each when the context is asynchronous). */
async function feed(brain: ExitBrain, events: readonly DomainEvent[]): Promise<void> {
  for (const e of events) await brain.onEvent(e);
}

function setup(options: FakeContextOptions = {}, brainOptions?: ExitBrainOptions) {
  const ctx = new FakeContext(options);
  return { ctx, brain: new ExitBrain(ctx, brainOptions) };
}

describe.each(['sync', 'async'] as const)('ExitBrain with a %s context', (mode) => {
  it('records ExitPlanCreated, then submits three reduce-only limits and a reduce-only stop for the full size', async () => {
    const { ctx, brain } = setup({ mode });
    await feed(brain, [opened()]);

    expect(ctx.trace()).toEqual(['record:ExitPlanCreated', 'submit:tp1', 'submit:tp2', 'submit:tp3', 'submit:sl']);
    const created = ctx.recorded()[0] as ExitPlanCreated;
    expect(created).toMatchObject({
      id: `ExitPlanCreated:${PLAN}`,
      ts: T0,
      planId: PLAN,
      positionId: POSITION,
      symbol: BTC.symbol,
      side: 'long',
      profile: 'STANDARD_LADDER',
      entryPrice: 50_000,
      volatility: 0.01,
    });
    expect(created.legs.map((l) => [l.leg, l.qty, l.price])).toEqual([
      ['tp1', 0.003, 50_975],
      ['tp2', 0.003, 51_625],
      ['tp3', 0.004, 52_600],
      ['sl', 0.01, 49_000],
    ]);

    const base = { symbol: BTC.symbol, side: 'sell', reduceOnly: true, positionId: POSITION };
    expect(ctx.sent()).toEqual([
      { ...base, clientOrderId: coid('tp1'), type: 'limit', qty: 0.003, price: 50_975, leg: 'tp1' },
      { ...base, clientOrderId: coid('tp2'), type: 'limit', qty: 0.003, price: 51_625, leg: 'tp2' },
      { ...base, clientOrderId: coid('tp3'), type: 'limit', qty: 0.004, price: 52_600, leg: 'tp3' },
      { ...base, clientOrderId: coid('sl'), type: 'stop_market', qty: 0.01, stopPrice: 49_000, leg: 'sl' },
    ]);
    expect(ctx.calls.every((c) => c.op !== 'submit' || c.ts === T0)).toBe(true);
    expect(brain.activePlans()).toBe(1);
  });

  it('places a short plan with buy orders, targets below and the stop above', async () => {
    const { ctx, brain } = setup({ mode });
    await feed(brain, [opened('short')]);
    expect(ctx.sent().map((o) => [o.leg, o.side, o.price ?? o.stopPrice])).toEqual([
      ['tp1', 'buy', 49_025],
      ['tp2', 'buy', 48_375],
      ['tp3', 'buy', 47_400],
      ['sl', 'buy', 51_000],
    ]);
  });

  it('uses the volatility of the symbol at the event time and the configured stop and ladder', async () => {
    const { ctx, brain } = setup({ mode, volatility: 0.08 }, { stopLossPct: 0.03, ladder: [0.5, 0.3, 0.2] });
    await feed(brain, [opened()]);
    expect(ctx.sent().map((o) => [o.leg, o.qty, o.price ?? o.stopPrice])).toEqual([
      ['tp1', 0.005, 51_500],
      ['tp2', 0.003, 52_500],
      ['tp3', 0.002, 54_000],
      ['sl', 0.01, 48_500],
    ]);
  });

  it('keeps going when a take profit is rejected', async () => {
    const { ctx, brain } = setup({ mode, rejectLegs: ['tp2'] });
    await feed(brain, [opened()]);
    expect(ctx.trace()).toEqual(['record:ExitPlanCreated', 'submit:tp1', 'submit:tp2', 'submit:tp3', 'submit:sl']);
    await feed(brain, [closed('sl')]);
    expect(ctx.cancels()).toEqual([coid('tp1'), coid('tp3'), coid('sl')]);
  });

  it('closes at market when the stop is rejected', async () => {
    const { ctx, brain } = setup({ mode, rejectLegs: ['sl'] });
    await feed(brain, [opened()]);
    expect(ctx.sent().at(-1)).toEqual({
      clientOrderId: coid('sl-fallback'),
      symbol: BTC.symbol,
      side: 'sell',
      type: 'market',
      qty: 0.01,
      reduceOnly: true,
      positionId: POSITION,
      leg: 'sl-fallback',
    });
    // The position is on its way out: no stop resizing any more.
    await feed(brain, [changed(0.007)]);
    expect(ctx.trace().filter((t) => t.startsWith('submit:sl-2'))).toEqual([]);
  });

  it('places a stop for what remains, then cancels the old one, after each take profit fills', async () => {
    const { ctx, brain } = setup({ mode });
    await feed(brain, [opened(), filled('tp1', 0.003, 0), changed(0.007)]);
    // The new stop goes out before the old one is canceled: the position is never without a stop.
    expect(ctx.trace().slice(5)).toEqual(['submit:sl-2', `cancel:${coid('sl')}`]);
    expect(ctx.sent().at(-1)).toEqual({
      clientOrderId: coid('sl-2'),
      symbol: BTC.symbol,
      side: 'sell',
      type: 'stop_market',
      qty: 0.007,
      stopPrice: 49_000,
      reduceOnly: true,
      positionId: POSITION,
      leg: 'sl-2',
    });

    await feed(brain, [filled('tp2', 0.003, 0, T0 + 90_000), changed(0.004, T0 + 90_000)]);
    expect(ctx.trace().slice(7)).toEqual(['submit:sl-3', `cancel:${coid('sl-2')}`]);
    expect(ctx.sent().at(-1)).toMatchObject({ clientOrderId: coid('sl-3'), qty: 0.004 });
    expect(ctx.calls.at(-2)).toMatchObject({ op: 'submit', ts: T0 + 90_000 });

    // An unchanged size changes nothing.
    await feed(brain, [changed(0.004, T0 + 95_000)]);
    expect(ctx.calls).toHaveLength(9);
  });

  it('cancels every leg still working when the position closes, then records ExitPlanCompleted', async () => {
    const { ctx, brain } = setup({ mode });
    await feed(brain, [opened(), filled('tp1', 0.003, 0), changed(0.007), filled('sl-2', 0.007, 0, T0 + 100_000)]);
    const before = ctx.calls.length;
    await feed(brain, [closed('sl')]);
    expect(ctx.trace().slice(before)).toEqual([
      `cancel:${coid('tp2')}`,
      `cancel:${coid('tp3')}`,
      'record:ExitPlanCompleted',
    ]);
    const completed = ctx.recorded().at(-1) as ExitPlanCompleted;
    expect(completed).toEqual({
      id: `ExitPlanCompleted:${PLAN}`,
      type: 'ExitPlanCompleted',
      ts: T0 + 120_000,
      planId: PLAN,
      positionId: POSITION,
      reason: 'sl',
    });
    expect(ctx.calls.slice(before).every((c) => c.op !== 'cancel' || c.ts === T0 + 120_000)).toBe(true);
    expect(brain.activePlans()).toBe(0);
  });

  it('cancels the stop when the last take profit closes the position', async () => {
    const { ctx, brain } = setup({ mode });
    await feed(brain, [opened(), filled('tp1', 0.003, 0), filled('tp2', 0.003, 0), filled('tp3', 0.004, 0)]);
    const before = ctx.calls.length;
    await feed(brain, [closed('tp3')]);
    expect(ctx.trace().slice(before)).toEqual([`cancel:${coid('sl')}`, 'record:ExitPlanCompleted']);
  });

  it('ignores a redelivered PositionOpened and events of positions it has no plan for', async () => {
    const { ctx, brain } = setup({ mode });
    await feed(brain, [opened(), opened()]);
    expect(ctx.calls).toHaveLength(5);
    await feed(brain, [{ ...changed(1), positionId: 'pos-other' as never }, { ...closed('sl'), positionId: 'pos-other' as never }]);
    expect(ctx.calls).toHaveLength(5);
  });

  it('rearms from journal rows and still cancels the right orders when the position closes', async () => {
    const first = setup({ mode });
    await feed(first.brain, [opened(), filled('tp1', 0.003, 0), changed(0.007)]);
    const created = first.ctx.recorded()[0] as ExitPlanCreated;

    // Restart: a new brain on the same gateway (which remembers every client order id it journalled).
    const brain = new ExitBrain(first.ctx);
    const orders = orderRows(first.ctx.sent(), { [coid('tp1')]: 'filled', [coid('sl')]: 'canceled' });
    const before = first.ctx.calls.length;
    await brain.rearm([planRow(created)], T0 + 200_000, orders);
    expect(brain.activePlans()).toBe(1);
    // Every leg was journalled before the restart: nothing is sent twice.
    expect(first.ctx.trace().slice(before)).toEqual(['submit:tp2(dup)', 'submit:tp3(dup)', 'submit:sl-2(dup)']);

    await feed(brain, [filled('tp2', 0.003, 0, T0 + 210_000), changed(0.004, T0 + 210_000)]);
    expect(first.ctx.trace().slice(before + 3)).toEqual(['submit:sl-3', `cancel:${coid('sl-2')}`]);

    const mid = first.ctx.calls.length;
    await feed(brain, [closed('sl', T0 + 300_000)]);
    expect(first.ctx.trace().slice(mid)).toEqual([
      `cancel:${coid('tp3')}`,
      `cancel:${coid('sl-3')}`,
      'record:ExitPlanCompleted',
    ]);
    expect(brain.activePlans()).toBe(0);
  });

  it('rearms from rows passed through reconcilePlanRows just as from rows and orders', async () => {
    const first = setup({ mode });
    await feed(first.brain, [opened(), filled('tp1', 0.003, 0), changed(0.007)]);
    const created = first.ctx.recorded()[0] as ExitPlanCreated;
    const brain = new ExitBrain(first.ctx);
    await brain.rearm(reconcilePlanRows([planRow(created)], orderRows(first.ctx.sent(), { [coid('tp1')]: 'filled' })), T0 + 200_000);
    const before = first.ctx.calls.length;
    await feed(brain, [closed('sl', T0 + 300_000)]);
    expect(first.ctx.trace().slice(before)).toEqual([`cancel:${coid('tp2')}`, `cancel:${coid('tp3')}`, `cancel:${coid('sl-2')}`, 'record:ExitPlanCompleted']);
  });

  it('without orders, rearm trusts the rows: the plan legs are canceled at close', async () => {
    const first = setup({ mode });
    await feed(first.brain, [opened()]);
    const brain = new ExitBrain(first.ctx);
    await brain.rearm([planRow(first.ctx.recorded()[0] as ExitPlanCreated)], T0 + 200_000);
    const before = first.ctx.calls.length;
    await feed(brain, [closed('tp3', T0 + 300_000)]);
    expect(first.ctx.trace().slice(before)).toEqual([
      ...['tp1', 'tp2', 'tp3', 'sl'].map((l) => `cancel:${coid(l)}`),
      'record:ExitPlanCompleted',
    ]);
  });

  it('rearm places the legs that a crash kept from being sent', async () => {
    const first = setup({ mode });
    await feed(first.brain, [opened()]);
    const created = first.ctx.recorded()[0] as ExitPlanCreated;
    // As if the process died after tp1: the gateway never journalled tp2, tp3 or sl.
    for (const leg of ['tp2', 'tp3', 'sl']) first.ctx.outcomes.delete(coid(leg));

    const brain = new ExitBrain(first.ctx);
    const before = first.ctx.calls.length;
    await brain.rearm([planRow(created), { ...planRow(created), status: 'completed' }], T0 + 5_000);
    expect(first.ctx.trace().slice(before)).toEqual(['submit:tp1(dup)', 'submit:tp2', 'submit:tp3', 'submit:sl']);
    expect(first.ctx.calls.slice(before).every((c) => c.op === 'submit' && c.ts === T0 + 5_000)).toBe(true);
  });
});

describe('ExitBrain', () => {
  it('stays synchronous with a synchronous context', () => {
    const { ctx, brain } = setup({ mode: 'sync' });
    expect(brain.onEvent(opened())).toBeUndefined();
    expect(ctx.sent()).toHaveLength(4);
    expect(brain.onEvent(changed(0.007))).toBeUndefined();
    expect(brain.onEvent(closed('sl'))).toBeUndefined();
    expect(brain.rearm([], T0)).toBeUndefined();
    expect(brain.activePlans()).toBe(0);
  });

  it('returns a promise with an asynchronous context', async () => {
    const { brain } = setup({ mode: 'async' });
    const r = brain.onEvent(opened());
    expect(r).toBeInstanceOf(Promise);
    await r;
    expect(brain.activePlans()).toBe(1);
  });

  it('handles events reported from inside a submission after the one in progress, in order', () => {
    let brain: ExitBrain | undefined;
    const ctx = new FakeContext({
      onSubmit: (order) => {
        // The simulated exchange fills tp1 the moment it is placed and the kernel reports it synchronously.
        if (order.leg === 'tp1') {
          brain!.onEvent(filled('tp1', 0.003, 0));
          brain!.onEvent(changed(0.007));
        }
      },
    });
    brain = new ExitBrain(ctx);
    brain.onEvent(opened());
    expect(ctx.trace()).toEqual([
      'record:ExitPlanCreated',
      'submit:tp1',
      'submit:tp2',
      'submit:tp3',
      'submit:sl',
      'submit:sl-2',
      `cancel:${coid('sl')}`,
    ]);
  });

  it('ignores events it has nothing to do with', () => {
    const { ctx, brain } = setup();
    expect(brain.onEvent({ id: 'x', type: 'PortfolioSnapshotTaken', ts: T0, equity: 1, balance: 1, unrealizedPnl: 0, realizedPnl: 0, openPositions: 0, drawdown: 0 })).toBeUndefined();
    expect(ctx.calls).toEqual([]);
  });

  it.each([
    [{ stopLossPct: 1.2 }, /ExitBrain: stopLossPct must be a fraction > 0 and < 1.*got 1\.2/],
    [{ ladder: [0.5, 0.5, 0.5] as const }, /ExitBrain: ladder must be fractions summing to 1 \(they sum to 1\.5\), got \[0\.5, 0\.5, 0\.5\]/],
    [{ ladder: [0.5, 0.5] as unknown as [number, number, number] }, /ExitBrain: ladder must be three fractions/],
    [{ execution: 'remote' as never }, /ExitBrain: execution must be 'auto', 'venue', 'local' or a function of the instrument, got remote/],
    [{ learning: 'sometimes' as never }, /ExitBrain: learning must be 'online' or 'frozen', got sometimes/],
    [{ atrPeriod: 0 }, /ExitBrain: atrPeriod must be an integer >= 1, got 0/],
    [{ riskBudget: { liquidationBuffer: 2 } }, /TpSlCalculator: riskBudget.liquidationBuffer must be a fraction > 0 and < 1 of the way to liquidation, got 2/],
  ])('rejects bad options %j with PARAMETER_OUT_OF_RANGE', (options, message) => {
    const run = () => new ExitBrain(new FakeContext(), options);
    expect(run).toThrow(message);
    try {
      run();
    } catch (err) {
      expect(isQuantumTraderError(err, 'PARAMETER_OUT_OF_RANGE')).toBe(true);
    }
  });

  it('attempts the stop even when a take-profit submission fails, then reports the failure', async () => {
    const ctx = new FakeContext({ mode: 'async' });
    const submit = ctx.orders.submit;
    (ctx as { orders: typeof ctx.orders }).orders = {
      ...ctx.orders,
      submit: (order, ts) => (order.leg === 'tp2' ? Promise.reject(new Error('network down')) : submit(order, ts)),
    };
    const brain = new ExitBrain(ctx);
    await expect(brain.onEvent(opened())).rejects.toThrow('network down');
    expect(ctx.sent().map((o) => o.leg)).toEqual(['tp1', 'tp3', 'sl']);
    // The brain keeps working after the failure.
    await brain.onEvent(closed('sl'));
    expect(ctx.cancels()).toEqual([coid('tp1'), coid('tp3'), coid('sl')]);
  });
});

describe('reconcilePlanRows', () => {
  it('drops finished take profits and points the stop at the latest generation', () => {
    const ctx = new FakeContext();
    const brain = new ExitBrain(ctx);
    brain.onEvent(opened());
    brain.onEvent(changed(0.007));
    brain.onEvent(changed(0.004));
    const row = planRow(ctx.recorded()[0] as ExitPlanCreated);
    const [out] = reconcilePlanRows([row], orderRows(ctx.sent(), { [coid('tp1')]: 'filled', [coid('tp2')]: 'filled' }));
    expect(out!.legs.map((l) => [l.leg, l.clientOrderId, l.qty, l.price])).toEqual([
      ['tp3', coid('tp3'), 0.004, 52_600],
      ['sl-3', coid('sl-3'), 0.004, 49_000],
    ]);
  });

  it('leaves a plan without journalled orders as it is', () => {
    const ctx = new FakeContext();
    new ExitBrain(ctx).onEvent(opened());
    const row = planRow(ctx.recorded()[0] as ExitPlanCreated);
    expect(reconcilePlanRows([row], [])).toEqual([row]);
  });
});

function planRow(created: ExitPlanCreated): ExitPlanRow {
  return {
    planId: created.planId,
    positionId: created.positionId,
    symbol: created.symbol,
    side: created.side,
    profile: created.profile,
    status: 'active',
    entryPrice: created.entryPrice,
    volatility: created.volatility,
    legs: created.legs,
    createdAt: created.ts,
    completedAt: null,
    completedReason: null,
  };
}

function orderRows(sent: ReturnType<FakeContext['sent']>, status: Record<string, OrderRow['status']>): OrderRow[] {
  return sent.map((o) => ({
    clientOrderId: o.clientOrderId,
    venueOrderId: null,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    price: o.price ?? null,
    stopPrice: o.stopPrice ?? null,
    reduceOnly: o.reduceOnly,
    leverage: null,
    status: status[o.clientOrderId] ?? (o.leg?.startsWith('sl') ? 'canceled' : 'open'),
    filledQty: 0,
    avgFillPrice: 0,
    fees: 0,
    intentId: null,
    positionId: o.positionId ?? null,
    leg: o.leg ?? null,
    statusReason: null,
    createdAt: T0,
    updatedAt: T0,
  }));
}
