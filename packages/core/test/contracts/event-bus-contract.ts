import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PortfolioSnapshotTaken, QueueDelivery } from '@quantum-trader/core';
import type { EventBus } from '../../src/ports/event-bus.js';
import { eventually, Recorder } from './intent-queue-contract.js';

/** What an event bus implementation hands the contract suite. */
export interface EventBusUnderTest {
  readonly bus: EventBus;
  /** Another handle on the same bus, as a second process would open it (the same object for an in-process bus). */
  readonly another: () => Promise<EventBus>;
  /** How long to wait before concluding that nothing more will be delivered (0 for a synchronous bus). */
  readonly quietMs: number;
  /** Stops whatever is still running and removes the bus's data. */
  readonly cleanup: () => Promise<void>;
}

const T0 = 1_617_235_200_000;

/** A distinct event per `n`. */
export function snapshotEvent(n: number): PortfolioSnapshotTaken {
  return {
    id: `PortfolioSnapshotTaken:${T0 + n}`,
    type: 'PortfolioSnapshotTaken',
    ts: T0 + n,
    equity: 10_000 + n,
    balance: 10_000,
    unrealizedPnl: n,
    realizedPnl: 0,
    openPositions: 1,
    drawdown: 0,
  };
}

const events = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => snapshotEvent(from + i));
const idsOf = (from: number, to: number) => events(from, to).map((e) => e.id);

/**
 * The EventBus contract: the same tests for every implementation (in-memory, Redis …).
 *
 * @example
 * ```ts
 * describeEventBusContract('MemoryEventBus', async () => {
 *   const bus = new MemoryEventBus();
 *   return { bus, another: async () => bus, quietMs: 0, cleanup: async () => {} };
 * });
 * ```
 */
export function describeEventBusContract(name: string, open: () => Promise<EventBusUnderTest>): void {
  describe(`EventBus contract: ${name}`, () => {
    let h: EventBusUnderTest;
    let bus: EventBus;
    const recorders: Array<Recorder<unknown>> = [];
    const record = (group: string, on?: (d: QueueDelivery<unknown>) => void, b: EventBus = bus) => {
      const r = new Recorder<unknown>(b.subscribe(group), on);
      recorders.push(r);
      return r;
    };
    const ackAll = (d: QueueDelivery<unknown>) => void d.ack();
    const quiet = () => new Promise((r) => setTimeout(r, h.quietMs));

    beforeEach(async () => {
      h = await open();
      bus = h.bus;
    });
    afterEach(async () => {
      for (const r of recorders.splice(0)) r.stop();
      await h.cleanup();
    });

    it('delivers published events to a group in order, each once, as attempt 1', async () => {
      await bus.ensureGroup('portfolio');
      const r = record('portfolio', ackAll);
      await bus.publish(events(0, 10));
      await bus.publish(events(10, 25));
      await r.count(25);
      await quiet();
      expect(r.ids).toEqual(idsOf(0, 25));
      expect(r.deliveries.every((d) => d.attempt === 1)).toBe(true);
      expect(r.deliveries[3]!.value).toEqual(snapshotEvent(3));
    });

    it('gives every group every event', async () => {
      await bus.ensureGroup('portfolio');
      await bus.ensureGroup('exits');
      const a = record('portfolio', ackAll);
      const b = record('exits', ackAll);
      await bus.publish(events(0, 5));
      await a.count(5);
      await b.count(5);
      expect(a.ids).toEqual(idsOf(0, 5));
      expect(b.ids).toEqual(idsOf(0, 5));
    });

    it("shares a group's events between its consumers, each event to one of them", async () => {
      await bus.ensureGroup('execution');
      const a = record('execution', ackAll);
      const b = record('execution', ackAll, await h.another());
      await quiet();
      for (let i = 0; i < 40; i++) await bus.publish([snapshotEvent(i)]);
      const total = () => a.deliveries.length + b.deliveries.length;
      await eventually(() => total() >= 40, `40 deliveries (got ${total()})`);
      await quiet();
      expect([...a.ids, ...b.ids].sort()).toEqual(idsOf(0, 40).sort());
    });

    it('keeps events for a group while it has no consumer, and none from before the group existed', async () => {
      await bus.publish(events(0, 2));
      await bus.ensureGroup('late');
      await bus.publish(events(2, 4));
      const r = record('late', ackAll);
      await r.count(2);
      await quiet();
      expect(r.ids).toEqual(idsOf(2, 4));
    });

    it('delivers a nacked event again, as the next attempt', async () => {
      await bus.ensureGroup('portfolio');
      const r = record('portfolio');
      await bus.publish([snapshotEvent(1)]);
      await r.count(1);
      await r.deliveries[0]!.nack();
      await r.count(2, 'the redelivery');
      expect(r.deliveries[1]!.value).toEqual(snapshotEvent(1));
      expect(r.deliveries[1]!.attempt).toBe(2);
      await r.deliveries[1]!.ack();
      await quiet();
      expect(r.deliveries).toHaveLength(2);
    });

    it('delivers an unacked event again after its consumer restarts, and an acked one never', async () => {
      await bus.ensureGroup('portfolio');
      const first = record('portfolio');
      await bus.publish(events(0, 2));
      await first.count(2);
      await first.deliveries[0]!.ack();
      first.stop();
      const second = record('portfolio', ackAll);
      await second.count(1);
      await quiet();
      expect(second.ids).toEqual(idsOf(1, 2));
      expect(second.deliveries[0]!.attempt).toBe(2);
    });

    it('hands the unacked events of a consumer that left to another consumer of the group', async () => {
      await bus.ensureGroup('portfolio');
      const leaving = record('portfolio');
      await bus.publish([snapshotEvent(1)]);
      await leaving.count(1);
      const staying = record('portfolio', ackAll, await h.another());
      leaving.stop();
      await staying.count(1, 'the handed-over event');
      expect(staying.deliveries[0]!.value).toEqual(snapshotEvent(1));
      expect(staying.deliveries[0]!.attempt).toBe(2);
    });
  });
}
