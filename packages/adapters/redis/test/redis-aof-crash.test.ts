import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatMap } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisIntentQueue } from '../src/index.js';
import { eventually, intent } from '../../../core/test/contracts/intent-queue-contract.js';
import { Clients, freePort, sleep } from './support/redis-test-server.js';
import { OwnRedisServer } from './support/own-redis-server.js';

describe('RedisIntentQueue across a Redis crash (AOF, appendfsync always)', () => {
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
    const executions = new Map<string, number>();
    let redeliveries = 0;
    const sub = consumer
      .consume()
      .pipe(
        concatMap(async (d) => {
          if (executions.has(d.value.id)) redeliveries++;
          else {
            executions.set(d.value.id, 1);
            await sleep(1); // the venue round trip: the queue builds a backlog, and crashes land between effect and ack
          }
          await d.ack();
        }),
      )
      .subscribe({ error: (err: unknown) => expect.fail(String(err)) });

    const n = 600;
    let published = 0;
    const publishing = (async () => {
      for (let i = 0; i < n; i++) {
        await producer.publish(intent(i));
        published++;
      }
    })();

    try {
      const kills: Array<{ published: number; executed: number }> = [];
      for (const share of [0.2, 0.45, 0.7]) {
        await eventually(() => executions.size >= n * share, `${share * 100} % of the intents executed`, 20_000);
        await server.kill();
        kills.push({ published, executed: executions.size });
        await sleep(200);
        await server.start();
      }
      await publishing;
      await eventually(() => executions.size === n, `${n} executions (got ${executions.size})`, 20_000);

      // Each kill landed mid-stream: intents were still being published, or waiting to be executed.
      for (const k of kills) expect(k.executed).toBeLessThan(n);
      expect(kills.some((k) => k.published > k.executed || k.published < n)).toBe(true);
      expect([...executions.keys()].sort()).toEqual(Array.from({ length: n }, (_, i) => intent(i).id).sort());
      expect([...executions.values()].every((c) => c === 1)).toBe(true);
      let depth = -1;
      for (let tries = 0; tries < 100 && depth !== 0; tries++) {
        depth = await producer.depth();
        if (depth !== 0) await sleep(20);
      }
      expect(depth).toBe(0);
      expect(await producer.deadLetters()).toEqual([]);
      console.info(`kills at (published, executed): ${kills.map((k) => `(${k.published}, ${k.executed})`).join(' ')}; ${redeliveries} redeliveries recognised`);
    } finally {
      sub.unsubscribe();
    }
  });
});
