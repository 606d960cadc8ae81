import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventIdIndex } from '../../src/journal/memory/event-id-index.js';

/** An index over a plain array of ids, the way the memory journal keeps its log. */
function indexOver(log: string[]): EventIdIndex {
  return new EventIdIndex((i) => log[i]!);
}

describe('EventIdIndex', () => {
  it('adds a new id once and answers false, changing nothing, for the same id again', () => {
    const log: string[] = [];
    const ids = indexOver(log);
    expect(ids.add('OrderFilled:qt-1:1', log.length)).toBe(true);
    log.push('OrderFilled:qt-1:1');
    expect(ids.add('OrderFilled:qt-1:1', log.length)).toBe(false);
    expect(ids.size).toBe(1);
    expect(ids.has('OrderFilled:qt-1:1')).toBe(true);
    expect(ids.has('OrderFilled:qt-1:2')).toBe(false);
  });

  it('keeps every id through many growths, and tells apart ids that differ in one character', () => {
    const log: string[] = [];
    const ids = indexOver(log);
    for (let i = 0; i < 50_000; i++) {
      for (const type of ['OrderAccepted', 'OrderCanceled']) {
        const id = `${type}:qt-${i.toString(16).padStart(16, '0')}x`;
        expect(ids.add(id, log.length)).toBe(true);
        log.push(id);
      }
    }
    expect(ids.size).toBe(100_000);
    for (let i = 0; i < log.length; i += 997) expect(ids.add(log[i]!, log.length)).toBe(false);
    expect(ids.has('OrderAccepted:qt-0000000000000000y')).toBe(false);
  });

  it('agrees with a Set<string> on any sequence of ids, duplicates included (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 400 }), (sequence) => {
        const log: string[] = [];
        const ids = indexOver(log);
        const reference = new Set<string>();
        for (const id of sequence) {
          const isNew = !reference.has(id);
          reference.add(id);
          expect(ids.add(id, log.length)).toBe(isNew);
          if (isNew) log.push(id);
        }
        expect(ids.size).toBe(reference.size);
        for (const id of reference) expect(ids.has(id)).toBe(true);
      }),
    );
  });
});
