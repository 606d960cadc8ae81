import { ChunkedList } from './chunked-list.js';

/** Number of shards: a power of two. */
const SHARD_BITS = 6;
const SHARDS = 1 << SHARD_BITS;

/** Number of shards of a {@link ShardedMap} or {@link ShardedSet}. @internal */
export const SHARD_COUNT = SHARDS;

/**
 * Which shard a key goes to: its last twelve characters and its middle one, multiplied into the high bits of a 32-bit
 * word (cheap, and even for the keys this project makes: hex hashes with a constant last letter, counters, time
 * stamps in whole hours, `client order id NUL fill number`; tested).
 *
 * @internal
 */
export function shardOf(key: string): number {
  const n = key.length;
  let h = Math.imul(n, 0x27d4eb2f) + Math.imul(key.charCodeAt(n >> 1) | 0, 0x61c88647);
  for (let i = n - 1, end = n > 12 ? n - 12 : 0; i >= end; i--) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return h >>> (32 - SHARD_BITS);
}

/**
 * A `Map` from strings spread over 64 smaller `Map`s (internal). One `Map` that grows to tens of thousands of entries
 * reallocates its whole table at every doubling, and past 128 KB each table is a fresh memory mapping in V8's
 * large-object space; the page faults of that growth were a large share of a backtest's page faults on the project's
 * paravirtualized machines (`perf record -e minor-faults`, bench/README.md). The shards stay small, ordinary heap
 * objects. Entries are never removed one by one (the maps it serves only grow), which keeps insertion order for
 * {@link ShardedMap.values} in a list of keys.
 *
 * @internal
 */
export class ShardedMap<K extends string, V> {
  readonly #shards: Map<K, V>[] = Array.from({ length: SHARDS }, () => new Map<K, V>());
  /** The keys in insertion order. */
  readonly #order = new ChunkedList<K>();

  /** Number of entries. */
  get size(): number {
    return this.#order.length;
  }

  get(key: K): V | undefined {
    return this.#shards[shardOf(key)]!.get(key);
  }

  has(key: K): boolean {
    return this.#shards[shardOf(key)]!.has(key);
  }

  /** Sets the value of `key`; a new key goes last in iteration order, an existing one keeps its place. */
  set(key: K, value: V): this {
    const shard = this.#shards[shardOf(key)]!;
    const before = shard.size;
    shard.set(key, value);
    if (shard.size !== before) this.#order.push(key);
    return this;
  }

  clear(): void {
    for (const shard of this.#shards) shard.clear();
    this.#order.clear();
  }

  /** Every value, in the order their keys were first set. */
  *values(): IterableIterator<V> {
    const order = this.#order;
    for (let i = 0; i < order.length; i++) yield this.#shards[shardOf(order.at(i))]!.get(order.at(i))!;
  }
}

/**
 * A `Set` of strings spread over 64 smaller `Set`s, for the same reason as {@link ShardedMap} (internal); it has no
 * iteration.
 *
 * @internal
 */
export class ShardedSet<K extends string> {
  readonly #shards: Set<K>[] = Array.from({ length: SHARDS }, () => new Set<K>());
  #size = 0;

  /** Number of members. */
  get size(): number {
    return this.#size;
  }

  has(key: K): boolean {
    return this.#shards[shardOf(key)]!.has(key);
  }

  add(key: K): this {
    const shard = this.#shards[shardOf(key)]!;
    const before = shard.size;
    shard.add(key);
    this.#size += shard.size - before;
    return this;
  }

  clear(): void {
    for (const shard of this.#shards) shard.clear();
    this.#size = 0;
  }
}
