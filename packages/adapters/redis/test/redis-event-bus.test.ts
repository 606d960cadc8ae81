import { afterEach, beforeEach, expect, it } from 'vitest';
import { RedisEventBus, type RedisEventBusOptions } from '../src/index.js';
import { eventually, Recorder } from '../../../core/test/contracts/intent-queue-contract.js';
import { describeEventBusContract, snapshotEvent } from '../../../core/test/contracts/event-bus-contract.js';
import { Clients, describeWithRedis, sleep, uniquePrefix } from './support/redis-test-server.js';

const fast = { reclaimIdleMs: 300, reclaimIntervalMs: 50, blockMs: 1_000 } as const;

describeWithRedis('RedisEventBus', () => {
  describeEventBusContract('RedisEventBus', async () => {
    const clients = new Clients();
    const prefix = uniquePrefix('bus-contract');
    return {
      bus: new RedisEventBus({ client: clients.client(), prefix, ...fast }),
      another: async () => new RedisEventBus({ client: clients.client(), prefix, ...fast }),
      quietMs: 150,
      cleanup: () => clients.close(prefix),
    };
  });

  let clients: Clients;
  let prefix: string;
  const bus = (o: Partial<RedisEventBusOptions> = {}) => new RedisEventBus({ client: clients.client(), prefix, ...fast, ...o });
  const recorders: Array<Recorder<unknown>> = [];

  beforeEach(() => {
    clients = new Clients();
    prefix = uniquePrefix('bus');
  });
  afterEach(async () => {
    for (const r of recorders.splice(0)) r.stop();
    await clients.close(prefix);
  });

  it("sets an event aside in the group's dead-letter stream after maxDeliveries, without touching other groups", async () => {
    const b = bus({ maxDeliveries: 2 });
    await b.ensureGroup('flaky');
    await b.ensureGroup('fine');
    const flaky = new Recorder(b.subscribe('flaky'), (d) => void d.nack());
    const fine = new Recorder(b.subscribe('fine'), (d) => void d.ack());
    recorders.push(flaky as Recorder<unknown>, fine as Recorder<unknown>);
    await b.publish([snapshotEvent(1)]);
    await eventually(() => flaky.deliveries.length === 2 && fine.deliveries.length === 1, 'the deliveries');
    await sleep(200);
    expect(flaky.deliveries.map((d) => d.attempt)).toEqual([1, 2]);
    const dead = await b.deadLetters('flaky');
    expect(dead.map((d) => [d.messageId, d.deliveries, d.reason])).toEqual([
      [snapshotEvent(1).id, 2, 'nacked on delivery 2 of 2'],
    ]);
    expect(await b.deadLetters('fine')).toEqual([]);
    // Acked (by dead-lettering) in its group, still in the stream for the others.
    const raw = clients.client();
    expect(await raw.xlen(`{${prefix}}:stream`)).toBe(1);
    expect(await raw.xpending(`{${prefix}}:stream`, 'flaky')).toEqual([0, null, null, null]);
  });

  it('keeps the stream near maxLength (MAXLEN ~)', async () => {
    const b = bus({ maxLength: 100 });
    for (let i = 0; i < 10; i++) await b.publish(Array.from({ length: 100 }, (_, k) => snapshotEvent(i * 100 + k)));
    const len = await clients.client().xlen(`{${prefix}}:stream`);
    expect(len).toBeGreaterThanOrEqual(100);
    expect(len).toBeLessThan(300);
  });

  it('coalesces the acks of one tick into one XACK', async () => {
    const b = bus();
    await b.ensureGroup('g');
    const monitor = clients.client();
    const commands: string[] = [];
    await monitor.monitor().then((m) => m.on('monitor', (_t: string, args: string[]) => commands.push(args[0]!.toLowerCase())));
    const r = new Recorder(b.subscribe('g'), (d) => void d.ack());
    recorders.push(r as Recorder<unknown>);
    await sleep(100);
    await b.publish(Array.from({ length: 50 }, (_, i) => snapshotEvent(i)));
    await r.count(50);
    await eventually(() => commands.filter((c) => c === 'xack').length > 0, 'an XACK');
    await sleep(100);
    expect(commands.filter((c) => c === 'xadd')).toHaveLength(50);
    expect(commands.filter((c) => c === 'xack').length).toBeLessThanOrEqual(5);
  });
});
