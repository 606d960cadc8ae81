import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { RedisIntentQueue } from '../src/index.js';
import { intent, Recorder } from '../../../core/test/contracts/intent-queue-contract.js';
import { Clients, describeWithRedis, REDIS_PORT, uniquePrefix } from './support/redis-test-server.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const holder = fileURLToPath(new URL('./fixtures/holding-consumer.ts', import.meta.url));

/** Starts a consumer process that takes `n` intents without acking them, then SIGKILLs it. */
function killAfterDeliveries(prefix: string, consumer: string, n: number): Promise<{ ids: string[]; firstSeenAt: number }> {
  return new Promise((resolve, reject) => {
    // node --import tsx, not the tsx CLI: the CLI runs the script in a child process that SIGKILL would orphan.
    const child = spawn(process.execPath, ['--import', 'tsx', holder, String(REDIS_PORT), prefix, consumer], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let firstSeenAt = 0;
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (firstSeenAt === 0 && out.includes('delivered ')) firstSeenAt = Date.now();
      if ((out.match(/^delivered /gm) ?? []).length >= n) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ ids: [...out.matchAll(/^delivered (\S+) 1$/gm)].map((m) => m[1]!), firstSeenAt });
      else reject(new Error(`holding consumer exited with ${code ?? signal} before it was killed:\n${err}`));
    });
  });
}

describeWithRedis('RedisIntentQueue reclaim', () => {
  const clients = new Clients();
  const prefix = uniquePrefix('reclaim');
  afterEach(() => clients.close(prefix));

  it("hands a killed consumer's pending intents to a live consumer with XAUTOCLAIM after reclaimIdleMs", async () => {
    const queue = new RedisIntentQueue({ client: clients.client(), prefix, consumer: 'survivor', reclaimIdleMs: 300, reclaimIntervalMs: 50 });
    for (let i = 0; i < 5; i++) await queue.publish(intent(i));

    const { ids: taken, firstSeenAt } = await killAfterDeliveries(prefix, 'doomed', 5);
    expect(taken).toEqual([0, 1, 2, 3, 4].map((i) => intent(i).id));
    const raw = clients.client();
    expect(await raw.xpending(`{${prefix}}:stream`, 'execution')).toEqual([5, expect.any(String), expect.any(String), [['doomed', '5']]]);

    const survivor = new Recorder(queue.consume(), (d) => void d.ack());
    try {
      await survivor.count(5, 'the reclaimed intents');
      // Not before they were idle for reclaimIdleMs (300 ms; the margin covers the child's stdout latency).
      expect(Date.now() - firstSeenAt).toBeGreaterThanOrEqual(200);
      expect(survivor.ids).toEqual(taken);
      expect(survivor.deliveries.map((d) => d.attempt)).toEqual([2, 2, 2, 2, 2]);
      await new Promise((r) => setTimeout(r, 100));
      expect(await queue.depth()).toBe(0);
      expect(await raw.xpending(`{${prefix}}:stream`, 'execution')).toEqual([0, null, null, null]);
    } finally {
      survivor.stop();
    }
  });
});
