import { describeEventBusContract } from '../contracts/event-bus-contract.js';
import { MemoryEventBus } from '../../src/bus/memory/memory-event-bus.js';

describeEventBusContract('MemoryEventBus', async () => {
  const bus = new MemoryEventBus();
  return { bus, another: async () => bus, quietMs: 0, cleanup: async () => undefined };
});
