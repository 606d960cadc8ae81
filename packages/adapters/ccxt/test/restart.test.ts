import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clientOrderIdOf,
  ExecutionEngine,
  MemoryJournal,
  type DomainEvent,
  type IntentId,
  type PositionId,
  type PositionRow,
  type SubmitOrder,
} from '@quantum-trader/core';
import { CONTRACT_T0, CONTRACT_VENUE } from '../../../core/test/contracts/broker-contract.js';
import { CcxtBroker } from '../src/broker/ccxt-broker.js';
import type { BinanceStandIn } from '../test-utils/binance-stand-in/binance-stand-in.js';
import { exchangeFor, FAST_RETRY, LINEAR, startStandIn, until } from '../test-utils/stand-in-harness.js';

// Start-up after a stop or a crash: reconciliation with the venue, and recovery of in-flight orders.

const P = 30_000;
const bar = (i: number, volume = 1_000) => ({ ts: CONTRACT_T0 + i * 60_000, open: P, high: P + 50, low: P - 50, close: P, volume });

function journalPosition(qty: number): PositionRow {
  return {
    positionId: 'pos-1' as PositionId,
    symbol: LINEAR,
    side: 'long',
    status: 'open',
    qty,
    maxQty: qty,
    entryPrice: P,
    leverage: 5,
    realizedPnl: 0,
    fees: 0,
    exitPrice: null,
    exitReason: null,
    strategyId: null,
    intentId: null,
    openedAt: CONTRACT_T0,
    closedAt: null,
  };
}

describe('CcxtBroker.reconcile', () => {
  let standIn: BinanceStandIn;
  let broker: CcxtBroker;

  beforeEach(async () => {
    standIn = await startStandIn();
    standIn.pushCandle(LINEAR, '1m', bar(0));
    broker = new CcxtBroker({ exchange: await exchangeFor(standIn, 'linear'), symbols: [LINEAR], retry: FAST_RETRY });
  });
  afterEach(async () => {
    await broker.close();
    await standIn.close();
  });

  async function openLong(qty: number): Promise<void> {
    const coid = clientOrderIdOf('reconcile|long' as IntentId, 'entry');
    await broker.submit({ clientOrderId: coid, symbol: LINEAR, side: 'buy', type: 'market', qty, reduceOnly: false, leverage: 5 });
    standIn.pushCandle(LINEAR, '1m', bar(1));
    await until('the position', () => standIn.venue.simOf('futures')!.positions().length > 0);
  }

  it('finds nothing to do when journal and venue agree', async () => {
    await openLong(0.01);
    const report = await broker.reconcile({ orders: [], positions: [journalPosition(0.01)], ts: CONTRACT_T0 });
    expect(report).toMatchObject({ ok: true, problems: [], events: [] });
    expect(report.venue.positions).toMatchObject([{ symbol: LINEAR, side: 'long', qty: 0.01 }]);
    expect(report.venue.balances.find((b) => b.currency === 'USDT')).toBeDefined();
  });

  it('refuses to trade over a position the journal does not know', async () => {
    await openLong(0.01);
    const report = await broker.reconcile({ orders: [], positions: [], ts: CONTRACT_T0 });
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toContain(`position ${LINEAR}: the journal says flat, the venue says long 0.01`);
    expect(report.events).toMatchObject([{ type: 'ReconciliationPerformed', subject: `position ${LINEAR}`, journal: 'flat', venue: 'long 0.01' }]);
    const again = await broker.reconcile({ orders: [], positions: [], ts: CONTRACT_T0 });
    expect(again.events.map((e) => e.id)).toEqual(report.events.map((e) => e.id)); // deterministic ids
  });

  it("blocks on this bot's orders the journal lost, and leaves other people's alone", async () => {
    const ours = clientOrderIdOf('reconcile|lost' as IntentId, 'tp1');
    await broker.submit({ clientOrderId: ours, symbol: LINEAR, side: 'buy', type: 'limit', qty: 0.01, price: P - 3_000, reduceOnly: false });
    const manual = await exchangeFor(standIn, 'linear');
    await manual.createOrder(LINEAR, 'limit', 'buy', 0.01, P - 4_000, { clientOrderId: 'web-manual-1' });
    await manual.close();
    const report = await broker.reconcile({ orders: [], positions: [], balances: [{ currency: 'USDT', total: 9_000, free: 9_000, used: 0 }], ts: CONTRACT_T0 });
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toContain(ours);
    const actions = Object.fromEntries(report.events.map((e) => [e.subject, e.action]));
    expect(actions[`order ${ours}`]).toContain('refuse to trade');
    expect(actions['order web-manual-1']).toContain('left alone');
    expect(actions['balance USDT']).toBe('use the venue balance');
  });

  it('fails with RECONCILIATION_FAILED when the venue cannot be read', async () => {
    standIn.inject({ path: '/fapi/v3/positionRisk', fault: { kind: 'status', status: 503, text: 'down' }, times: Infinity });
    await expect(broker.reconcile({ orders: [], positions: [], ts: CONTRACT_T0 })).rejects.toMatchObject({ code: 'RECONCILIATION_FAILED' });
  });
});

describe('a bot that crashes mid-order finds its order at the venue by client order id', () => {
  let standIn: BinanceStandIn;
  const brokers: CcxtBroker[] = [];

  afterEach(async () => {
    for (const b of brokers.splice(0)) await b.close();
    await standIn.close();
  });

  async function process(journal: MemoryJournal, crashAt?: 'journalled' | 'sent'): Promise<{ broker: CcxtBroker; engine: ExecutionEngine }> {
    const broker = new CcxtBroker({ exchange: await exchangeFor(standIn, 'linear'), symbols: [LINEAR], retry: FAST_RETRY });
    brokers.push(broker);
    const record = (events: readonly DomainEvent[]): void => {
      journal.append(events);
    };
    broker.events$.subscribe((e) => record([e]));
    const engine = new ExecutionEngine({
      broker,
      record,
      instrument: () => CONTRACT_VENUE.linear,
      ...(crashAt !== undefined
        ? {
            onStep: (step) => {
              if (step === crashAt) throw new Error(`crash after ${step}`);
            },
          }
        : {}),
    });
    await broker.start();
    return { broker, engine };
  }

  async function restart(journal: MemoryJournal): Promise<CcxtBroker> {
    const { broker, engine } = await process(journal);
    const report = await broker.reconcile({ orders: journal.orders(), fills: journal.fills(), positions: journal.positions(), ts: CONTRACT_T0 });
    journal.append(report.events);
    engine.restore(journal.orders(), journal.fills());
    await engine.recover(CONTRACT_T0);
    return broker;
  }

  const order = (qty = 0.01): SubmitOrder => ({
    clientOrderId: clientOrderIdOf('crash|BTC|entry' as IntentId, 'entry'),
    symbol: LINEAR,
    side: 'buy',
    type: 'market',
    qty,
    reduceOnly: false,
    leverage: 2,
  });
  const atVenue = () => standIn.venue.simOf('futures')!.exportState().orders.filter((o) => o.clientOrderId === order().clientOrderId);

  it('adopts the order that reached the venue before the crash (no second order)', async () => {
    standIn = await startStandIn();
    standIn.pushCandle(LINEAR, '1m', bar(0));
    const journal = new MemoryJournal();
    const a = await process(journal, 'sent');
    await expect(a.engine.submit(order(), CONTRACT_T0)).rejects.toThrow('crash after sent');
    await a.broker.close();
    expect(journal.order(order().clientOrderId)?.status).toBe('submitting');

    await restart(journal);
    expect(atVenue()).toHaveLength(1);
    expect(journal.order(order().clientOrderId)?.status).toBe('open');
    expect(journal.order(order().clientOrderId)?.venueOrderId).toMatch(/^\d+$/);
    standIn.pushCandle(LINEAR, '1m', bar(1));
    await until('the fill in the journal', () => journal.order(order().clientOrderId)?.status === 'filled');
    expect(journal.fills(order().clientOrderId)).toHaveLength(1);
    expect(atVenue()).toHaveLength(1);
  });

  it('sends the order again, same client order id, when the crash came before it reached the venue', async () => {
    standIn = await startStandIn();
    standIn.pushCandle(LINEAR, '1m', bar(0));
    const journal = new MemoryJournal();
    const a = await process(journal, 'journalled');
    await expect((async () => a.engine.submit(order(), CONTRACT_T0))()).rejects.toThrow('crash after journalled');
    await a.broker.close();
    expect(atVenue()).toHaveLength(0);

    await restart(journal);
    expect(atVenue()).toHaveLength(1);
    expect(journal.order(order().clientOrderId)?.status).toBe('open');
    expect(journal.events().some((e) => e.event.type === 'ReconciliationPerformed')).toBe(true);
  });

  it('journals the fill missed while down once, and numbers later fills after it', async () => {
    standIn = await startStandIn();
    standIn.pushCandle(LINEAR, '1m', bar(0));
    const journal = new MemoryJournal();
    const a = await process(journal);
    const o = order(0.03);
    await a.engine.submit(o, CONTRACT_T0);
    standIn.pushCandle(LINEAR, '1m', bar(1, 0.02)); // half the volume: 0.01 fills
    await until('the first fill', () => journal.fills(o.clientOrderId).length === 1);
    await a.broker.close();
    standIn.pushCandle(LINEAR, '1m', bar(2, 0.02)); // 0.01 more while the bot is down

    await restart(journal);
    expect(journal.fills(o.clientOrderId).map((f) => [f.fillSeq, f.qty])).toEqual([
      [1, 0.01],
      [2, 0.01],
    ]);
    standIn.pushCandle(LINEAR, '1m', bar(3));
    await until('the last fill', () => journal.order(o.clientOrderId)?.status === 'filled');
    expect(journal.fills(o.clientOrderId).map((f) => f.fillSeq)).toEqual([1, 2, 3]);
    expect(journal.order(o.clientOrderId)?.filledQty).toBeCloseTo(0.03, 12);
  });
});
