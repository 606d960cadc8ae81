import { describe, expect, it } from 'vitest';
import { EventIdIndex } from '../../src/journal/memory/event-id-index.js';
import { eventIdHash } from '../../src/model/event-id-hash.js';

function indexOver(ids: string[]): EventIdIndex {
  return new EventIdIndex((position) => ids[position]!);
}

describe('EventIdIndex', () => {
  it('holds every id added, across growth, and nothing else', () => {
    const ids: string[] = [];
    const index = indexOver(ids);
    for (let i = 0; i < 5000; i++) {
      const id = `OrderAccepted:qt-${i}x`;
      expect(index.has(id, eventIdHash(id))).toBe(false);
      index.add(eventIdHash(id), ids.length);
      ids.push(id);
    }
    expect(index.size).toBe(5000);
    for (const id of ids) expect(index.has(id, eventIdHash(id))).toBe(true);
    expect(index.has('OrderAccepted:qt-5000x', eventIdHash('OrderAccepted:qt-5000x'))).toBe(false);
  });

  it('tells ids apart when their hashes collide (compares the ids themselves)', () => {
    const ids = ['a', 'b', 'c'];
    const index = indexOver(ids);
    // every id under the same hash: one probe chain
    ids.forEach((_, position) => index.add(7, position));
    expect(index.has('a', 7)).toBe(true);
    expect(index.has('c', 7)).toBe(true);
    expect(index.has('d', 7)).toBe(false);
    expect(index.has('a', 8)).toBe(false);
  });

  it('hashes equal ids equally, however the string was built, and spreads near-equal ids', () => {
    const built = ['OrderFilled', 'qt-1x', '2'].join(':');
    expect(eventIdHash(built)).toBe(eventIdHash('OrderFilled:qt-1x:2'));
    const slots = new Set<number>();
    for (let i = 0; i < 1024; i++) slots.add(eventIdHash(`PortfolioSnapshotTaken:${1617411600000 + i * 3_600_000}`) & 1023);
    expect(slots.size).toBeGreaterThan(550); // a uniform hash fills about 632 of 1024 slots with 1024 keys
  });
});

describe('eventIdHash', () => {
  it('tells apart ids that differ only in the order of two characters or in the last one', () => {
    expect(eventIdHash('OrderFilled:qt-ab:1')).not.toBe(eventIdHash('OrderFilled:qt-ba:1'));
    expect(eventIdHash('OrderFilled:qt-ab:1')).not.toBe(eventIdHash('OrderFilled:qt-ab:2'));
    expect(eventIdHash('a')).not.toBe(eventIdHash('a\u0000'));
    expect(eventIdHash('')).toBe(eventIdHash(''));
  });
});
