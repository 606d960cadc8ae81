import { describeEventBusContract } from './contracts/event-bus-contract.js';
import { MemoryEventBus } from './support/memory-event-bus.js';

describeEventBusContract('MemoryEventBus', async () => {
  const bus = new MemoryEventBus();
  return { bus, another: async () => bus, quietMs: 0, cleanup: async () => undefined };
});
