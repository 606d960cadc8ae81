import { describe, expect, it } from 'vitest';
import { MemoryIntentQueue } from '../../src/queue/memory/memory-intent-queue.js';
import { describeIntentQueueContract, intent, Recorder } from '../contracts/intent-queue-contract.js';

describeIntentQueueContract('MemoryIntentQueue', async () => ({
  queue: new MemoryIntentQueue(),
  quietMs: 0,
  cleanup: async () => undefined,
}));

describe('MemoryIntentQueue', () => {
  it('delivers synchronously, so a backtest never leaves virtual time', () => {
    const q = new MemoryIntentQueue();
    const r = new Recorder(q.consume());
    q.publish(intent(1));
    expect(r.ids).toEqual([intent(1).id]);
    r.deliveries[0]!.nack();
    expect(r.deliveries.map((d) => d.attempt)).toEqual([1, 2]);
    r.stop();
  });
});
