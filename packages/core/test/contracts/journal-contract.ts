import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isQuantumTraderError } from '../../src/errors/quantum-trader-error.js';
import type { DomainEvent, OrderSubmitting } from '../../src/model/events.js';
import type { IntentId } from '../../src/model/ids.js';
import type { Journal } from '../../src/ports/journal.js';
import type { MaybePromise } from '../../src/ports/maybe-promise.js';
import {
  accepted,
  BTC,
  canceled,
  coid,
  ETH,
  exitPlanCompleted,
  exitPlanCreated,
  filled,
  fullSession,
  LEGS,
  MOMENTUM,
  modelPromoted,
  pid,
  planId,
  positionChanged,
  positionClosed,
  positionOpened,
  readAll,
  rejected,
  signal,
  snapshot,
  submitting,
  T0,
} from './journal-fixtures.js';

/** What a journal implementation hands the contract suite. */
export interface JournalUnderTest {
  readonly journal: Journal;
  /** Given by durable implementations: opens the same storage again (the suite closes `journal` first). */
  readonly reopen?: () => Promise<Journal>;
  /** Closes whatever is still open and removes the storage. */
  readonly cleanup: () => Promise<void>;
}

async function refused(act: () => MaybePromise<unknown>): Promise<Error> {
  try {
    await act();
  } catch (err) {
    expect(isQuantumTraderError(err, 'JOURNAL_FAILED'), String(err)).toBe(true);
    return err as Error;
  }
  throw new Error('expected the journal to refuse the append');
}

/**
 * The Journal contract: the same tests for every implementation (memory, SQLite, PostgreSQL …).
 *
 * @example
 * ```ts
 * describeJournalContract('MemoryJournal', async () => ({ journal: new MemoryJournal(), cleanup: async () => {} }));
 * ```
 */
export function describeJournalContract(name: string, open: () => Promise<JournalUnderTest>): void {
  describe(`Journal contract: ${name}`, () => {
    let h: JournalUnderTest;
    let j: Journal;
    beforeEach(async () => {
      h = await open();
      j = h.journal;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    describe('event log', () => {
      it('starts empty', async () => {
        expect(await j.events()).toEqual([]);
        expect(await j.orders()).toEqual([]);
        expect(await j.positions()).toEqual([]);
        expect(await j.snapshots()).toEqual([]);
        expect(await j.getState('nothing')).toBeUndefined();
      });

      it('reads appended events back in append order with seq 1..n', async () => {
        const events = fullSession();
        expect(await j.append(events.slice(0, 5))).toEqual({ appended: 5, duplicates: 0 });
        expect(await j.append(events.slice(5))).toEqual({ appended: events.length - 5, duplicates: 0 });
        const log = await j.events();
        expect(log.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
        expect(log.map((e) => e.event)).toEqual(events);
      });

      it('stores events without a projection only in the log', async () => {
        const funding: DomainEvent = { id: `FundingPaid:${BTC}:${T0 + 3}`, type: 'FundingPaid', ts: T0 + 3, symbol: BTC, rate: 0.0001, markPrice: 30_000, positionQty: -0.5, amount: 1.5 };
        await j.append([signal(1), modelPromoted(T0 + 2), funding]);
        expect((await j.events()).map((e) => e.event.type)).toEqual(['SignalGenerated', 'ModelPromoted', 'FundingPaid']);
        expect((await j.events({ types: ['FundingPaid'] })).map((e) => e.event)).toEqual([funding]);
        expect(await readAll(j)).toMatchObject({ orders: [], fills: [], positions: [], trades: [], exitPlans: [] });
      });

      it('filters by afterSeq, types and limit, alone and combined', async () => {
        const events = fullSession();
        await j.append(events);
        const seqs = async (q: Parameters<Journal['events']>[0]) => (await j.events(q)).map((e) => e.seq);
        expect(await seqs({ afterSeq: 15 })).toEqual([16, 17, 18]);
        expect(await seqs({ afterSeq: 18 })).toEqual([]);
        expect(await seqs({ limit: 3 })).toEqual([1, 2, 3]);
        expect(await seqs({ limit: 0 })).toEqual([]);
        expect(await seqs({ types: ['OrderFilled'] })).toEqual([4, 5]);
        expect(await seqs({ types: ['OrderSubmitting', 'OrderAccepted'] })).toEqual([2, 3, 8, 10, 11]);
        expect(await seqs({ types: ['OrderSubmitting', 'OrderAccepted'], afterSeq: 3, limit: 2 })).toEqual([8, 10]);
        expect(await seqs({ types: [] })).toEqual([]);
        expect(await seqs({ afterSeq: 16.5 })).toEqual([17, 18]);
        expect(await seqs({ afterSeq: -3, limit: 2 })).toEqual([1, 2]);
        expect(await seqs({ limit: -1 })).toEqual([]);
        const filledEvents = await j.events({ types: ['OrderFilled'], limit: 1 });
        expect(filledEvents).toEqual([{ seq: 4, event: events[3] }]);
      });

      it('appends a batch of 2 000 events in one call', async () => {
        const events = Array.from({ length: 2_000 }, (_, i) => signal(i));
        expect(await j.append(events)).toEqual({ appended: 2_000, duplicates: 0 });
        const tail = await j.events({ afterSeq: 1_998 });
        expect(tail.map((e) => [e.seq, e.event.id])).toEqual([
          [1_999, events[1_998]!.id],
          [2_000, events[1_999]!.id],
        ]);
      });
    });

    describe('idempotent re-append', () => {
      it('skips events whose id is already stored and counts them as duplicates', async () => {
        const [a, b, c] = [signal(1), signal(2), signal(3)];
        await j.append([a, b]);
        expect(await j.append([b, c])).toEqual({ appended: 1, duplicates: 1 });
        expect(await j.append([a, b, c])).toEqual({ appended: 0, duplicates: 3 });
        expect((await j.events()).map((e) => [e.seq, e.event.id])).toEqual([
          [1, a.id],
          [2, b.id],
          [3, c.id],
        ]);
      });

      it('skips a duplicate inside one batch', async () => {
        const a = signal(1);
        expect(await j.append([a, signal(2), a])).toEqual({ appended: 2, duplicates: 1 });
        expect((await j.events()).length).toBe(2);
      });

      it('never applies the projection of a duplicate twice', async () => {
        const fill = filled(coid('a'), { fillSeq: 1, qty: 0.4, price: 50_000, fee: 8, remainingQty: 0.6 });
        await j.append([submitting(coid('a')), fill]);
        expect(await j.append([fill])).toEqual({ appended: 0, duplicates: 1 });
        expect(await j.append([submitting(coid('a')), fill, fill])).toEqual({ appended: 0, duplicates: 3 });
        const order = await j.order(coid('a'));
        expect(order).toMatchObject({ filledQty: 0.4, fees: 8, status: 'partially_filled' });
        expect(await j.fills(coid('a'))).toHaveLength(1);
      });
    });

    describe('a refused batch writes nothing', () => {
      const before = [signal(1), submitting(coid('a'))];

      it('refuses a fill for an unknown order, naming the event and the field', async () => {
        await j.append(before);
        const bad = filled(coid('ghost'), { fillSeq: 1, qty: 1, price: 100, fee: 0, remainingQty: 0 });
        const err = await refused(() =>
          j.append([submitting(coid('b')), filled(coid('a'), { fillSeq: 1, qty: 1, price: 1, fee: 0, remainingQty: 0 }), bad]),
        );
        expect(err.message).toContain(bad.id);
        expect(err.message).toContain('clientOrderId');
        expect(err.message).toContain(coid('ghost'));
        expect((await j.events()).map((e) => e.event.id)).toEqual(before.map((e) => e.id));
        expect(await j.order(coid('b'))).toBeUndefined();
        expect(await j.order(coid('a'))).toMatchObject({ status: 'submitting', filledQty: 0 });
        expect(await j.fills()).toEqual([]);
      });

      it('refuses an event with an invalid field', async () => {
        await j.append(before);
        const bad = filled(coid('a'), { fillSeq: 2, qty: Number.NaN, price: 100, fee: 0, remainingQty: 0 });
        const err = await refused(() => j.append([positionOpened(pid('x'), 1, 100), bad]));
        expect(err.message).toContain(bad.id);
        expect(err.message).toContain('"qty"');
        expect(await j.positions()).toEqual([]);
        expect(await j.events()).toHaveLength(2);
      });

      it('refuses an event whose row conflicts with an existing one', async () => {
        await j.append(before);
        const again: OrderSubmitting = { ...submitting(coid('a')), id: 'OrderSubmitting:other-id' };
        const err = await refused(() => j.append([snapshot(T0, 1), again]));
        expect(err.message).toContain('OrderSubmitting:other-id');
        expect(err.message).toContain('clientOrderId');
        expect(await j.snapshots()).toEqual([]);
        expect(await j.events()).toHaveLength(2);
      });

      it('refuses patches of unknown positions and exit plans', async () => {
        const change = positionChanged(pid('ghost'), { qty: 1, entryPrice: 1, realizedPnl: 0 }, T0);
        expect((await refused(() => j.append([change]))).message).toContain('positionId');
        const done = exitPlanCompleted(planId('ghost'), pid('ghost'), 'flat', T0);
        expect((await refused(() => j.append([done]))).message).toContain('planId');
        expect(await j.events()).toEqual([]);
      });

      it('keeps working after a refused batch, continuing seq without gaps', async () => {
        await j.append(before);
        await refused(() => j.append([signal(5), accepted(coid('ghost'))]));
        expect(await j.append([signal(5), accepted(coid('a'))])).toEqual({ appended: 2, duplicates: 0 });
        expect((await j.events()).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
        expect(await j.order(coid('a'))).toMatchObject({ status: 'open' });
      });
    });

    describe('orders and fills', () => {
      it('projects submitting → accepted → partially_filled → filled with average price and fees', async () => {
        const id = coid('a');
        await j.append([submitting(id, { intentId: 'i-a' as IntentId, leg: 'entry', leverage: 3 })]);
        expect(await j.order(id)).toEqual({
          clientOrderId: id,
          venueOrderId: null,
          symbol: BTC,
          side: 'buy',
          type: 'market',
          qty: 1,
          price: null,
          stopPrice: null,
          reduceOnly: false,
          leverage: 3,
          status: 'submitting',
          filledQty: 0,
          avgFillPrice: 0,
          fees: 0,
          intentId: 'i-a',
          positionId: null,
          leg: 'entry',
          statusReason: null,
          createdAt: T0,
          updatedAt: T0,
        });
        await j.append([accepted(id)]);
        expect(await j.order(id)).toMatchObject({ status: 'open', venueOrderId: `v-${id}`, updatedAt: T0 + 1 });
        await j.append([filled(id, { fillSeq: 1, qty: 0.4, price: 50_000, fee: 8, remainingQty: 0.6 })]);
        expect(await j.order(id)).toMatchObject({ status: 'partially_filled', filledQty: 0.4, avgFillPrice: 50_000 });
        await j.append([filled(id, { fillSeq: 2, qty: 0.6, price: 50_100, fee: 12.02, remainingQty: 0 }, T0 + 3)]);
        const order = (await j.order(id))!;
        expect(order).toMatchObject({ status: 'filled', updatedAt: T0 + 3, createdAt: T0 });
        expect(order.filledQty).toBeCloseTo(1, 12);
        expect(order.avgFillPrice).toBeCloseTo(50_060, 8);
        expect(order.fees).toBeCloseTo(20.02, 10);
        expect(await j.fills(id)).toEqual([
          { clientOrderId: id, fillSeq: 1, symbol: BTC, side: 'buy', qty: 0.4, price: 50_000, fee: 8, liquidity: 'taker', ts: T0 + 2 },
          { clientOrderId: id, fillSeq: 2, symbol: BTC, side: 'buy', qty: 0.6, price: 50_100, fee: 12.02, liquidity: 'taker', ts: T0 + 3 },
        ]);
        expect(await j.order(coid('other'))).toBeUndefined();
      });

      it('keeps limit, stop and reduce-only details of the submitted order', async () => {
        await j.append([
          submitting(coid('sl'), { type: 'stop_market', stopPrice: 49_000, reduceOnly: true, side: 'sell', positionId: pid('a'), leg: 'sl' }),
          submitting(coid('tp'), { type: 'limit', price: 51_000, reduceOnly: true, side: 'sell', leg: 'tp1' }),
        ]);
        expect(await j.order(coid('sl'))).toMatchObject({ type: 'stop_market', stopPrice: 49_000, price: null, reduceOnly: true, positionId: pid('a'), side: 'sell' });
        expect(await j.order(coid('tp'))).toMatchObject({ type: 'limit', price: 51_000, stopPrice: null, reduceOnly: true, leverage: null });
      });

      it('records a rejected order with the venue code and reason', async () => {
        await j.append([submitting(coid('b')), rejected(coid('b'), '-2010', 'insufficient balance', T0 + 6)]);
        expect(await j.order(coid('b'))).toMatchObject({
          status: 'rejected',
          statusReason: '-2010: insufficient balance',
          updatedAt: T0 + 6,
        });
      });

      it('records a canceled order with its reason, keeping its partial fills', async () => {
        const id = coid('c');
        await j.append([
          submitting(id, { type: 'limit', price: 49_000 }),
          accepted(id),
          filled(id, { fillSeq: 1, qty: 0.25, price: 49_000, fee: 1, remainingQty: 0.75 }),
          canceled(id, 'exit plan completed', T0 + 9),
        ]);
        expect(await j.order(id)).toMatchObject({
          status: 'canceled',
          statusReason: 'exit plan completed',
          filledQty: 0.25,
          avgFillPrice: 49_000,
          updatedAt: T0 + 9,
        });
      });

      it('never moves an order status backwards on a late event', async () => {
        const id = coid('a');
        await j.append([submitting(id), filled(id, { fillSeq: 1, qty: 1, price: 100, fee: 0.1, remainingQty: 0 }), accepted(id, T0 + 5)]);
        expect(await j.order(id)).toMatchObject({ status: 'filled', venueOrderId: `v-${id}`, filledQty: 1 });
        await j.append([canceled(id, 'too late', T0 + 6)]);
        expect(await j.order(id)).toMatchObject({ status: 'filled', statusReason: null });
      });

      it('filters orders by status and symbol, in creation order', async () => {
        await j.append(fullSession());
        const ids = async (f: Parameters<Journal['orders']>[0]) => (await j.orders(f)).map((o) => o.clientOrderId);
        expect(await ids(undefined)).toEqual([coid('a'), coid('b'), coid('c')]);
        expect(await ids({ status: ['filled'] })).toEqual([coid('a')]);
        expect(await ids({ status: ['rejected', 'canceled'] })).toEqual([coid('b'), coid('c')]);
        expect(await ids({ status: ['submitting'] })).toEqual([]);
        expect(await ids({ symbol: ETH })).toEqual([coid('c')]);
        expect(await ids({ symbol: BTC, status: ['rejected'] })).toEqual([coid('b')]);
        expect(await j.fills()).toHaveLength(2);
      });
    });

    describe('positions, trades, exit plans, snapshots', () => {
      it('projects a position open → changed → closed and records the trade', async () => {
        const p = pid('a');
        await j.append([positionOpened(p, 1, 50_000, T0)]);
        expect(await j.positions()).toEqual([
          {
            positionId: p,
            symbol: BTC,
            side: 'long',
            status: 'open',
            qty: 1,
            maxQty: 1,
            entryPrice: 50_000,
            leverage: 3,
            realizedPnl: 0,
            fees: 0,
            exitPrice: null,
            exitReason: null,
            strategyId: MOMENTUM,
            intentId: null,
            openedAt: T0,
            closedAt: null,
          },
        ]);
        await j.append([positionChanged(p, { qty: 1.5, entryPrice: 50_200, realizedPnl: 0 }, T0 + 1)]);
        await j.append([positionChanged(p, { qty: 0.5, entryPrice: 50_200, realizedPnl: 300 }, T0 + 2)]);
        expect(await j.positions({ status: 'open' })).toMatchObject([{ qty: 0.5, maxQty: 1.5, entryPrice: 50_200, realizedPnl: 300 }]);
        const close = { qty: 1.5, entryPrice: 50_200, exitPrice: 50_900, realizedPnl: 950, fees: 45, exitReason: 'tp3' };
        await j.append([positionClosed(p, close, T0, T0 + 3)]);
        expect(await j.positions({ status: 'open' })).toEqual([]);
        expect(await j.positions({ status: 'closed' })).toMatchObject([
          { status: 'closed', qty: 0, maxQty: 1.5, exitPrice: 50_900, exitReason: 'tp3', realizedPnl: 950, fees: 45, closedAt: T0 + 3, openedAt: T0, leverage: 3 },
        ]);
        expect(await j.trades()).toEqual([
          { positionId: p, symbol: BTC, side: 'long', qty: 1.5, entryPrice: 50_200, exitPrice: 50_900, realizedPnl: 950, fees: 45, exitReason: 'tp3', openedAt: T0, closedAt: T0 + 3 },
        ]);
      });

      it('lists positions and trades in the order they were opened and closed', async () => {
        const close = { qty: 1, entryPrice: 1, exitPrice: 2, realizedPnl: 1, fees: 0, exitReason: 'sl' };
        await j.append([positionOpened(pid('1'), 1, 1), positionOpened(pid('2'), 1, 1), positionOpened(pid('3'), 1, 1)]);
        await j.append([positionClosed(pid('3'), close, T0, T0 + 1), positionClosed(pid('1'), close, T0, T0 + 2)]);
        expect((await j.positions()).map((p) => p.positionId)).toEqual([pid('1'), pid('2'), pid('3')]);
        expect((await j.positions({ status: 'open' })).map((p) => p.positionId)).toEqual([pid('2')]);
        expect((await j.trades()).map((t) => t.positionId)).toEqual([pid('3'), pid('1')]);
      });

      it('projects exit plans active → completed with their legs', async () => {
        await j.append([exitPlanCreated(planId('a'), pid('a'), T0), exitPlanCreated(planId('b'), pid('b'), T0 + 1)]);
        expect(await j.exitPlans({ status: 'active' })).toEqual([
          {
            planId: planId('a'),
            positionId: pid('a'),
            symbol: BTC,
            side: 'long',
            profile: 'STANDARD_LADDER',
            status: 'active',
            entryPrice: 50_000,
            volatility: 0.021,
            legs: LEGS,
            createdAt: T0,
            completedAt: null,
            completedReason: null,
          },
          expect.objectContaining({ planId: planId('b'), status: 'active' }),
        ]);
        await j.append([exitPlanCompleted(planId('a'), pid('a'), 'position flat', T0 + 5)]);
        expect((await j.exitPlans({ status: 'active' })).map((p) => p.planId)).toEqual([planId('b')]);
        expect(await j.exitPlans({ status: 'completed' })).toMatchObject([
          { planId: planId('a'), status: 'completed', completedAt: T0 + 5, completedReason: 'position flat', legs: LEGS },
        ]);
        expect(await j.exitPlans()).toHaveLength(2);
      });

      it('stores portfolio snapshots in journal order', async () => {
        await j.append([snapshot(T0 + 60_000, 10_100), signal(1), snapshot(T0 + 30_000, 10_050)]);
        expect(await j.snapshots()).toEqual([
          { ts: T0 + 60_000, equity: 10_100, balance: 10_000, unrealizedPnl: 100, realizedPnl: 0, openPositions: 1, drawdown: 0.01 },
          { ts: T0 + 30_000, equity: 10_050, balance: 10_000, unrealizedPnl: 50, realizedPnl: 0, openPositions: 1, drawdown: 0.01 },
        ]);
      });
    });

    describe('state', () => {
      it('reads back state values and overwrites them', async () => {
        expect(await j.getState('portfolio')).toBeUndefined();
        await j.setState('portfolio', '{"equity":10000}');
        await j.setState('learner', '');
        expect(await j.getState('portfolio')).toBe('{"equity":10000}');
        expect(await j.getState('learner')).toBe('');
        await j.setState('portfolio', '{"equity":10500}');
        expect(await j.getState('portfolio')).toBe('{"equity":10500}');
      });
    });

    describe('durability', () => {
      it('keeps the log, every projection and the state across close and reopen', async ({ skip }) => {
        if (h.reopen === undefined) return skip('not a durable implementation');
        await j.append(fullSession());
        await j.setState('portfolio', 'ünïcode ✓ state');
        const before = await readAll(j);
        await j.close();
        const again = await h.reopen();
        try {
          expect(await readAll(again)).toEqual(before);
          expect(await again.getState('portfolio')).toBe('ünïcode ✓ state');
        } finally {
          await again.close();
        }
      });

      it('continues seq and recognises duplicates after reopen', async ({ skip }) => {
        if (h.reopen === undefined) return skip('not a durable implementation');
        const events: DomainEvent[] = fullSession();
        await j.append(events.slice(0, 10));
        await j.close();
        const again = await h.reopen();
        try {
          expect(await again.append(events)).toEqual({ appended: events.length - 10, duplicates: 10 });
          expect((await again.events()).map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
          expect(await again.order(coid('a'))).toMatchObject({ status: 'filled', filledQty: 1 });
        } finally {
          await again.close();
        }
      });
    });
  });
}
