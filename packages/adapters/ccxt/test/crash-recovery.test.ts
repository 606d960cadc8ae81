import { afterEach, describe, expect, it } from 'vitest';
import {
  clientOrderIdOf,
  ExecutionEngine,
  MemoryJournal,
  type DomainEvent,
  type IntentId,
  type SubmitOrder,
} from '@quantum-trader/core';
import { CONTRACT_T0, CONTRACT_VENUE } from '../../../core/test/contracts/broker-contract.js';
import { CcxtBroker } from '../src/broker/ccxt-broker.js';
import type { BinanceStandIn } from '../test-utils/binance-stand-in/binance-stand-in.js';
import { exchangeFor, FAST_RETRY, LINEAR, startStandIn, until } from '../test-utils/stand-in-harness.js';

const P = 30_000;
const bar = (i: number, volume = 1_000) => ({ ts: CONTRACT_T0 + i * 60_000, open: P, high: P + 50, low: P - 50, close: P, volume });

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
