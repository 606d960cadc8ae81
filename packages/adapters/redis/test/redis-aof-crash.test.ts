import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatMap } from 'rxjs';
import { afterAll, expect, it } from 'vitest';
import { RedisIntentQueue } from '../src/index.js';
import { eventually, intent } from '../../../core/test/contracts/intent-queue-contract.js';
import { Clients, freePort, sleep } from './support/redis-test-server.js';
import { describeWithRedisServerBinary, OwnRedisServer } from './support/own-redis-server.js';

describeWithRedisServerBinary('RedisIntentQueue across a Redis crash (AOF, appendfsync always)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qt-redis-aof-'));
  let server: OwnRedisServer | undefined;
  let clients: Clients | undefined;
  afterAll(async () => {
    await clients?.close();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no intent and executes none twice when redis-server is SIGKILLed and restarted mid-stream', async () => {
    server = new OwnRedisServer(await freePort(), dir);
    await server.start();
    clients = new Clients(server.port);
    const options = { prefix: 'crash', reclaimIdleMs: 500, reclaimIntervalMs: 100, blockMs: 1_000 };
    const producer = new RedisIntentQueue({ client: clients.client(), ...options });
    const consumer = new RedisIntentQueue({ client: clients.client(), consumer: 'executor', ...options });

    // The consumer's effects and its record of executed intent ids live outside Redis (the journal, in the bot),
    // so they survive the crash; a redelivered intent is recognised by id and only acked.
    const journal = new Set<string>();
    const effects = new Map<string, number>();
    const deliveries = new Map<string, number>();
    const sub = consumer
      .consume()
      .pipe(
        concatMap(async (d) => {
          const id = d.value.id;
          deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
          if (!journal.has(id)) {
            effects.set(id, (effects.get(id) ?? 0) + 1);
            await sleep(5); // the venue round trip: the queue builds a backlog, and crashes land between effect and ack
            journal.add(id);
          }
          await d.ack();
        }),
      )
      .subscribe({ error: (err: unknown) => expect.fail(String(err)) });

    const n = 300;
    let published = 0;
    const publishing = (async () => {
      for (let i = 0; i < n; i++) {
        await producer.publish(intent(i));
        published++;
      }
    })();

    try {
      const kills: Array<{ published: number; executed: number }> = [];
      for (const share of [0.2, 0.4, 0.6]) {
        await eventually(() => journal.size >= n * share, `${share * 100} % of the intents executed`, 20_000);
        // what had happened when the kill was sent (the consumer may drain its prefetch while redis dies)
        kills.push({ published, executed: journal.size });
        await server.kill();
        await sleep(200);
        await server.start();
      }
      await publishing;
      await eventually(() => journal.size === n, `${n} executed intents (got ${journal.size})`, 20_000);

      // Each kill landed mid-stream: intents were still being published, or waiting to be executed.
      for (const k of kills) expect(k.executed).toBeLessThan(n);
      expect(kills.some((k) => k.published > k.executed || k.published < n)).toBe(true);
      expect([...journal].sort()).toEqual(Array.from({ length: n }, (_, i) => intent(i).id).sort());
      expect([...effects.values()].every((c) => c === 1)).toBe(true);
      // Redeliveries are few: at most what was in flight (prefetch 16) at each kill.
      const redeliveries = [...deliveries.values()].reduce((sum, c) => sum + c, 0) - n;
      expect(redeliveries).toBeLessThanOrEqual(kills.length * 16);
      let depth = -1;
      for (let tries = 0; tries < 100 && depth !== 0; tries++) {
        depth = await producer.depth();
        if (depth !== 0) await sleep(20);
      }
      expect(depth).toBe(0);
      expect(await producer.deadLetters()).toEqual([]);
      console.info(`kills at (published, executed): ${kills.map((k) => `(${k.published}, ${k.executed})`).join(' ')}; ${redeliveries} redeliveries`);
    } finally {
      sub.unsubscribe();
    }
  });
});
