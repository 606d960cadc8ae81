import { describe, expect, it } from 'vitest';
import { ChunkedList } from '../../src/collections/chunked-list.js';
import { SHARD_COUNT, ShardedMap, ShardedSet, shardOf } from '../../src/collections/sharded-map.js';

describe('ChunkedList', () => {
  it('keeps every element in order across chunk boundaries', () => {
    const list = new ChunkedList<number>();
    for (let i = 0; i < 10_000; i++) list.push(i * 3);
    expect(list.length).toBe(10_000);
    for (const i of [0, 1, 4095, 4096, 4097, 8191, 8192, 9999]) expect(list.at(i)).toBe(i * 3);
  });

  it('starts over after clear()', () => {
    const list = new ChunkedList<string>();
    for (let i = 0; i < 5000; i++) list.push(`x${i}`);
    list.clear();
    expect(list.length).toBe(0);
    list.push('a');
    list.push('b');
    expect([list.length, list.at(0), list.at(1)]).toEqual([2, 'a', 'b']);
  });
});

describe('ShardedMap', () => {
  it('answers like a Map, and iterates values in the order keys were first set', () => {
    const sharded = new ShardedMap<string, number>();
    const plain = new Map<string, number>();
    const keys = [
      ...Array.from({ length: 3000 }, (_, i) => `qt-${(i * 2654435761 >>> 0).toString(16).padStart(16, '0')}x`),
      ...Array.from({ length: 500 }, (_, i) => `order-${i}`),
      '',
      'a',
      'liq-BTC/USDT:USDT-1',
    ];
    keys.forEach((k, i) => {
      sharded.set(k, i);
      plain.set(k, i);
    });
    sharded.set('order-7', -7); // an existing key keeps its place
    plain.set('order-7', -7);
    expect(sharded.size).toBe(plain.size);
    for (const k of keys) {
      expect(sharded.has(k)).toBe(true);
      expect(sharded.get(k)).toBe(plain.get(k));
    }
    expect(sharded.has('order-500')).toBe(false);
    expect(sharded.get('nope')).toBeUndefined();
    expect([...sharded.values()]).toEqual([...plain.values()]);
    sharded.clear();
    expect([sharded.size, sharded.has('a'), [...sharded.values()]]).toEqual([0, false, []]);
  });

  it('spreads client order ids, counters and time stamps evenly over its shards', () => {
    const families: Record<string, (i: number) => string> = {
      'client order ids': (i) => `qt-${(Math.imul(i + 1, 0x9e3779b1) >>> 0).toString(16).padStart(16, '0')}x`,
      counters: (i) => `order-${i}`,
      'snapshot ids': (i) => `PortfolioSnapshotTaken:${1_619_035_200_000 + i * 3_600_000}`,
      'fill keys': (i) => `qt-${(Math.imul(i + 7, 0x85ebca6b) >>> 0).toString(16).padStart(16, '0')}x\u0000${1 + (i % 3)}`,
    };
    const n = 64 * SHARD_COUNT;
    for (const [name, make] of Object.entries(families)) {
      const counts = new Array<number>(SHARD_COUNT).fill(0);
      for (let i = 0; i < n; i++) {
        const s = shardOf(make(i));
        expect(s >= 0 && s < SHARD_COUNT && Number.isInteger(s)).toBe(true);
        counts[s]!++;
      }
      // 64 keys per shard on average; no shard may hold more than twice that, none may stay empty
      expect({ name, max: Math.max(...counts) <= 128, min: Math.min(...counts) > 0 }).toEqual({ name, max: true, min: true });
    }
  });
});

describe('ShardedSet', () => {
  it('answers like a Set', () => {
    const set = new ShardedSet<string>();
    for (let i = 0; i < 2000; i++) set.add(`k${i}\u0000${i % 7}`);
    set.add('k1\u00001'); // already there
    expect(set.size).toBe(2000);
    expect(set.has('k1999\u00004')).toBe(true);
    expect(set.has('k1999\u00005')).toBe(false);
    set.clear();
    expect([set.size, set.has('k1\u00001')]).toEqual([0, false]);
  });
});
