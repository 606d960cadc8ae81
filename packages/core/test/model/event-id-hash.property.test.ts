import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventIdHash, eventIdHashOf } from '../../src/model/event-id-hash.js';
import { eventIdOf } from '../../src/model/ids.js';

const part = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.integer({ min: 0, max: 2 ** 53 - 1 }),
  fc.constantFrom(1, 12, 1_617_800_400_000, 1e7, 1e16 - 1),
);

describe('event id hash from the pieces', () => {
  it('is the hash of the id built, for any type and parts', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.array(part, { minLength: 1, maxLength: 5 }), (type, parts) => {
        const id = eventIdOf(type, ...parts);
        expect(id).toBe(`${type}:${parts.map(String).join(':')}`);
        expect(eventIdHashOf(id)).toBe(eventIdHash(id));
        // a copy of the id (another string with the same text) gets the same answer
        expect(eventIdHashOf(`${id} `.slice(0, -1))).toBe(eventIdHash(id));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers for the latest ids built, and hashes any other id in full', () => {
    const ids = [1, 2, 3, 4, 5, 6].map((n) => eventIdOf('OrderFilled', 'qt-abc', n));
    for (const id of ids) expect(eventIdHashOf(id)).toBe(eventIdHash(id));
    expect(eventIdHashOf('OrderFilled:qt-abc:7')).toBe(eventIdHash('OrderFilled:qt-abc:7'));
    expect(eventIdHashOf('X')).toBe(eventIdHash('X'));
  });
});
