// Hand-curated public API of @quantum-trader/redis. Anything not exported here is internal.

export type { RedisClient } from './redis-client.js';
export type { ConsumerTuning } from './stream/consumer-tuning.js';
export type { DeadLetter } from './stream/dead-letter.js';
export { RedisIntentQueue } from './queue/redis-intent-queue.js';
export type { RedisIntentQueueOptions } from './queue/redis-intent-queue.js';
export type { BusMessage, EventBus } from '@quantum-trader/core';
export { RedisEventBus } from './bus/redis-event-bus.js';
export type { RedisEventBusOptions } from './bus/redis-event-bus.js';
