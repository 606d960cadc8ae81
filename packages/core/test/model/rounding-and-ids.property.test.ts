import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalsOf, floorToStep, multipleOfStep, roundToDecimals, roundToStep } from '../../src/model/instrument.js';
import { integerText, stableHash } from '../../src/model/ids.js';

// Rounding and ids run on every order, so both have fast paths; these properties pin them, bit for bit, to the
// plain definitions they replace.

const reference = {
  multiple: (n: number, step: number, d: number): number => Number((n * step).toFixed(d)),
  floor: (value: number, step: number): number => Number((Math.floor(value / step + 1e-9) * step).toFixed(decimalsOf(step))),
  round: (value: number, step: number): number => Number((Math.round(value / step) * step).toFixed(decimalsOf(step))),
  hash(input: string): string {
    let h1 = 0xdeadbeef ^ 0;
    let h2 = 0x41c6ce57 ^ 0;
    for (let i = 0; i < input.length; i++) {
      const ch = input.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  },
};

// tick and lot sizes seen on exchanges: powers of ten (the fast path) and others (the string path)
const step = fc.constantFrom(1, 0.1, 0.01, 0.001, 0.0001, 1e-5, 1e-6, 1e-7, 1e-8, 10, 0.5, 0.25, 0.05, 0.005, 5, 0.3);
const value = fc.oneof(
  fc.double({ min: -1e7, max: 1e7, noNaN: true }),
  fc.double({ min: 0, max: 10, noNaN: true }),
  fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 1000),
);

describe('rounding to a step', () => {
  it('multipleOfStep is Number((n × step).toFixed(d)), bit for bit', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), step, (n, s) => {
        expect(Object.is(multipleOfStep(n, s, decimalsOf(s)), reference.multiple(n, s, decimalsOf(s)))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('floorToStep and roundToStep agree with their string definitions, bit for bit', () => {
    fc.assert(
      fc.property(value, step, (v, s) => {
        expect(Object.is(floorToStep(v, s), reference.floor(v, s))).toBe(true);
        expect(Object.is(roundToStep(v, s), reference.round(v, s))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('roundToDecimals', () => {
  const reference = (x: number, d: number): number => Number(x.toFixed(d));
  const same = (x: number, d: number): boolean => Object.is(roundToDecimals(x, d), reference(x, d));

  it('is Number(x.toFixed(d)), bit for bit, for any double and 0–20 digits', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), value, fc.double({ min: -1, max: 1 })), fc.integer({ min: 0, max: 20 }), (x, d) => {
        expect(same(x, d)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with toFixed at and next to every tie (half away from zero), where binary products mislead', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 36), max: 2 ** 36 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: -3, max: 3 }),
        (k, d, ulps) => {
          let x = (k + 0.5) / 10 ** d;
          for (let i = 0; i < Math.abs(ulps); i++) x = ulps > 0 ? nextUp(x) : nextDown(x);
          expect(same(x, d)).toBe(true);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('keeps the sign toFixed writes: -0 for a negative value rounding to zero, +0 for -0 itself', () => {
    expect(Object.is(roundToDecimals(-0.00004, 4), -0)).toBe(true);
    expect(Object.is(roundToDecimals(-0, 4), 0)).toBe(true);
    expect(Object.is(roundToDecimals(0.00004, 4), 0)).toBe(true);
    expect(roundToDecimals(0.1 + 0.2, 10)).toBe(0.3);
    expect(roundToDecimals(-2.5, 0)).toBe(-3);
    expect(roundToDecimals(1.005, 2)).toBe(Number((1.005).toFixed(2)));
    for (const x of [Number.NaN, Number.POSITIVE_INFINITY, -1e25, 1e21, 2 ** 60]) expect(same(x, 3)).toBe(true);
  });
});

/** The next double above / below `x` (finite, non-zero neighbours suffice here). */
function nextUp(x: number): number {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  if (x === 0) return Number.MIN_VALUE;
  b[0] = x > 0 ? b[0]! + 1n : b[0]! - 1n;
  return f[0]!;
}
function nextDown(x: number): number {
  return -nextUp(-x);
}

describe('integerText', () => {
  it('is String(x) for every number: time stamps, integers of every size, fractions, and the edges of its fast path', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 1_500_000_000_000, max: 2_000_000_000_000 }),
          fc.double(),
          fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          fc.constantFrom(1e7, 1e7 - 1, 1e7 + 1, 1e16, 1e16 - 2, 2 ** 53, -1e7, 12_345_678.5, -0, Number.NaN, Number.POSITIVE_INFINITY),
        ),
        (x) => {
          expect(integerText(x)).toBe(String(x));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});

describe('stableHash', () => {
  it('gives the 16 hex digits of the two 32-bit halves, as before', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        expect(stableHash(s)).toBe(reference.hash(s));
      }),
      { numRuns: 5_000 },
    );
    expect(stableHash('')).toBe(reference.hash(''));
    expect(stableHash('momentum-24h|BTC/USDT:USDT|1620845940000|sell#entry')).toMatch(/^[0-9a-f]{16}$/);
  });
});
