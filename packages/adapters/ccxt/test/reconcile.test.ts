import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientOrderIdOf, type IntentId, type PositionId, type PositionRow } from '@quantum-trader/core';
import { CONTRACT_T0 } from '../../../core/test/contracts/broker-contract.js';
import { CcxtBroker } from '../src/broker/ccxt-broker.js';
import type { BinanceStandIn } from '../test-utils/binance-stand-in/binance-stand-in.js';
import { exchangeFor, FAST_RETRY, LINEAR, startStandIn, until } from '../test-utils/stand-in-harness.js';

const P = 30_000;
const bar = (i: number) => ({ ts: CONTRACT_T0 + i * 60_000, open: P, high: P + 50, low: P - 50, close: P, volume: 1_000 });

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
