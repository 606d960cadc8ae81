import { afterEach, beforeEach, expect, it } from 'vitest';
import { isQuantumTraderError } from '@quantum-trader/core';
import { RedisIntentQueue, type RedisIntentQueueOptions } from '../src/index.js';
import { describeIntentQueueContract, eventually, intent, Recorder } from '../../../core/test/contracts/intent-queue-contract.js';
import { Clients, describeWithRedis, sleep, uniquePrefix } from './support/redis-test-server.js';

const fast = { reclaimIdleMs: 300, reclaimIntervalMs: 50, blockMs: 1_000 } as const;

describeWithRedis('RedisIntentQueue', () => {
  describeIntentQueueContract('RedisIntentQueue', async () => {
    const clients = new Clients();
    const prefix = uniquePrefix('contract');
    return {
      queue: new RedisIntentQueue({ client: clients.client(), prefix, ...fast }),
      reopen: async () => new RedisIntentQueue({ client: clients.client(), prefix, ...fast }),
      quietMs: 150,
      cleanup: () => clients.close(prefix),
    };
  });

  let clients: Clients;
  let prefix: string;
  const queue = (o: Partial<RedisIntentQueueOptions> = {}) =>
    new RedisIntentQueue({ client: clients.client(), prefix, ...fast, ...o });
  const recorders: Array<Recorder<unknown>> = [];
  const record = <T>(r: Recorder<T>) => (recorders.push(r as Recorder<unknown>), r);

  beforeEach(() => {
    clients = new Clients();
    prefix = uniquePrefix('queue');
  });
  afterEach(async () => {
    for (const r of recorders.splice(0)) r.stop();
    await clients.close(prefix);
  });

  it('sets an intent aside in the dead-letter stream after maxDeliveries nacks', async () => {
    const q = queue({ maxDeliveries: 3 });
    const r = record(new Recorder(q.consume(), (d) => void d.nack()));
    await q.publish(intent(1));
    await eventually(() => r.deliveries.length === 3, '3 deliveries');
    await sleep(200);
    expect(r.deliveries.map((d) => d.attempt)).toEqual([1, 2, 3]);
    const dead = await q.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ messageId: intent(1).id, deliveries: 3, reason: 'nacked on delivery 3 of 3' });
    expect(JSON.parse(dead[0]!.data)).toEqual(intent(1));
    expect(await q.depth()).toBe(0);
    // Set aside, it is no longer pending: the same id may be published again.
    await q.publish(intent(1));
    expect(await q.depth()).toBe(1);
  });

  it('sets aside an intent whose consumers keep dying before they ack it', async () => {
    const q = queue({ maxDeliveries: 2 });
    for (let life = 1; life <= 2; life++) {
      const r = new Recorder(queue({ maxDeliveries: 2 }).consume());
      if (life === 1) await q.publish(intent(1));
      await r.count(1);
      expect(r.deliveries[0]!.attempt).toBe(life);
      r.stop(); // dies holding it
    }
    const third = record(new Recorder(queue({ maxDeliveries: 2 }).consume()));
    await sleep(800);
    expect(third.deliveries).toHaveLength(0);
    const dead = await q.deadLetters();
    expect(dead.map((d) => [d.messageId, d.deliveries, d.reason])).toEqual([[intent(1).id, 2, 'not acked after 2 deliveries']]);
    expect(await q.depth()).toBe(0);
  });

  it('sets aside a message that is not an intent instead of handing it to the consumer', async () => {
    const q = queue();
    const raw = clients.client();
    await raw.xgroup('CREATE', `{${prefix}}:stream`, 'execution', '0', 'MKSTREAM');
    await raw.xadd(`{${prefix}}:stream`, '*', 'id', 'x', 'data', '{not json');
    await q.publish(intent(1));
    const r = record(new Recorder(q.consume()));
    await r.count(1);
    expect(r.ids).toEqual([intent(1).id]);
    await sleep(100);
    const dead = await q.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]!.reason).toMatch(/^undecodable: /);
  });

  it('lets a slow but live consumer keep its intent past reclaimIdleMs (heartbeat)', async () => {
    const slow = record(new Recorder(queue().consume()));
    await queue().publish(intent(1));
    await slow.count(1);
    const other = record(new Recorder(queue().consume()));
    await sleep(900); // three times reclaimIdleMs
    expect(other.deliveries).toHaveLength(0);
    await slow.deliveries[0]!.ack();
    expect(await queue().depth()).toBe(0);
  });

  it('refuses a publish beyond maxLength pending intents instead of trimming one', async () => {
    const q = queue({ maxLength: 3 });
    for (let i = 0; i < 3; i++) await q.publish(intent(i));
    await q.publish(intent(0)); // still idempotent when full
    const err = await Promise.resolve(q.publish(intent(3))).then(() => undefined, (e: unknown) => e);
    expect(isQuantumTraderError(err)).toBe(true);
    expect(String((err as Error).message)).toMatch(/is full: 3 intents are pending/);
    const r = record(new Recorder(q.consume()));
    await r.count(3);
    await r.deliveries[0]!.ack();
    await q.publish(intent(3));
    expect(await q.depth()).toBe(3);
    expect(await clients.client().xlen(`{${prefix}}:stream`)).toBe(3);
  });

  it('rejects options that cannot work, naming them', () => {
    const client = clients.client();
    expect(() => new RedisIntentQueue({ client, maxDeliveries: 0 })).toThrow(/maxDeliveries must be a positive integer/);
    expect(() => new RedisIntentQueue({ client, reclaimIdleMs: 1_000, reclaimIntervalMs: 1_000 })).toThrow(
      /reclaimIntervalMs \(1000\) must be below reclaimIdleMs \(1000\)/,
    );
  });
});
