/**
 * The 32-bit hash of an event id that the `MemoryJournal`'s duplicate check keys on, and the same hash computed
 * while `eventIdOf` builds an id from its pieces.
 *
 * Hashing an id after the fact reads every character of a concatenated string: on the first read V8 copies it flat
 * (about 57 ns for a 39-character id), and the hash then reads it through the concatenation (another 57 ns; measured:
 * bench/README.md, "Sixth session"). The pieces an id is built from are read instead: `${type}:` is made once per type,
 * as one flat string, and hashed once; per id only its parts are hashed. The id is then one concatenation of two
 * strings that exist anyway, never copied flat unless someone reads it. The hashes of the last `RECENT` ids
 * built are kept beside them, and {@link eventIdHashOf} answers from there for an id built just before it is
 * journalled — nearly every append. Any other id is hashed in full, to the very same value (a property test pins
 * the two together).
 *
 * @internal
 */

const LANE_A = 0x811c9dc5;
const LANE_B = 0x2545f491;
const FNV_PRIME = 0x01000193;

/**
 * A 32-bit hash of an event id: FNV-1a over its UTF-16 code units in two interleaved lanes (even and odd positions,
 * so that the two multiplication chains run side by side), combined with the length and mixed so that the low bits,
 * which pick the slot, depend on every character.
 *
 * @example
 * ```ts
 * eventIdHash('OrderFilled:qt-1:1') === eventIdHash('OrderFilled:qt-1:1'); // true
 * ```
 * @internal
 */
export function eventIdHash(id: string): number {
  let a = LANE_A;
  let b = LANE_B;
  const n = id.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    a = Math.imul(a ^ id.charCodeAt(i), FNV_PRIME);
    b = Math.imul(b ^ id.charCodeAt(i + 1), FNV_PRIME);
  }
  if (i < n) a = Math.imul(a ^ id.charCodeAt(i), FNV_PRIME);
  return mix(a, b, n);
}

function mix(a: number, b: number, n: number): number {
  let h = a ^ Math.imul(b, 0x9e3779b1) ^ n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

// The hash of the id being built, piece by piece: the two lanes and the characters so far (module state, so that
// building an id allocates nothing for its hash; ids are built one at a time, synchronously).
let laneA = LANE_A;
let laneB = LANE_B;
let length = 0;

/** Per type: `${type}:` as one flat string, and the lanes after it. */
interface Prefix {
  readonly text: string;
  readonly a: number;
  readonly b: number;
  readonly length: number;
}
const PREFIXES = new Map<string, Prefix>();

/**
 * Starts the hash of an id with the prefix `${type}:` (made and hashed once per type) and returns the prefix.
 *
 * @example
 * ```ts
 * const prefix = startEventIdHash('OrderFilled'); // 'OrderFilled:'
 * feedEventIdHash('qt-1'); feedEventIdHash(':'); feedEventIdHash('1');
 * finishEventIdHash(`${prefix}qt-1:1`) === eventIdHash('OrderFilled:qt-1:1'); // true
 * ```
 * @internal
 */
export function startEventIdHash(type: string): string {
  let prefix = PREFIXES.get(type);
  if (prefix === undefined) {
    laneA = LANE_A;
    laneB = LANE_B;
    length = 0;
    // joined, not concatenated: one flat string, so that each id is a concatenation of two plain strings
    const text = [type, ':'].join('');
    feedEventIdHash(text);
    prefix = { text, a: laneA, b: laneB, length };
    // types are a closed set in the engine; a caller that makes up types cannot grow this without bound
    if (PREFIXES.size < 256) PREFIXES.set(type, prefix);
  }
  laneA = prefix.a;
  laneB = prefix.b;
  length = prefix.length;
  return prefix.text;
}

/**
 * Adds the characters of `piece` to the hash being built (see {@link startEventIdHash}).
 *
 * @example
 * ```ts
 * feedEventIdHash('qt-1');
 * ```
 * @internal
 */
export function feedEventIdHash(piece: string): void {
  let a = laneA;
  let b = laneB;
  const end = piece.length;
  let i = 0;
  // an odd count so far: the piece's first character is at an odd position of the id, lane b's
  if ((length & 1) === 1 && end > 0) b = Math.imul(b ^ piece.charCodeAt(i++), FNV_PRIME);
  // from here lane a takes piece[i] (an even position), lane b piece[i + 1]
  for (; i + 1 < end; i += 2) {
    a = Math.imul(a ^ piece.charCodeAt(i), FNV_PRIME);
    b = Math.imul(b ^ piece.charCodeAt(i + 1), FNV_PRIME);
  }
  if (i < end) a = Math.imul(a ^ piece.charCodeAt(i), FNV_PRIME);
  laneA = a;
  laneB = b;
  length += end;
}

/** How many of the latest built ids keep their hash (a batch of events is built before it is journalled). */
const RECENT = 4;
const recentIds: (string | undefined)[] = new Array<string | undefined>(RECENT).fill(undefined);
const recentHashes = new Int32Array(RECENT);
let recentAt = 0;

/**
 * Ends the hash of the id being built and keeps it for {@link eventIdHashOf}, with `id`, the string it was built for.
 * Returns the hash.
 *
 * @example
 * ```ts
 * startEventIdHash('OrderAccepted'); feedEventIdHash('qt-1');
 * finishEventIdHash('OrderAccepted:qt-1'); // === eventIdHash('OrderAccepted:qt-1')
 * ```
 * @internal
 */
export function finishEventIdHash(id: string): number {
  const hash = mix(laneA, laneB, length);
  recentAt = (recentAt + 1) & (RECENT - 1);
  recentIds[recentAt] = id;
  recentHashes[recentAt] = hash;
  return hash;
}

/**
 * The {@link eventIdHash} of `id`: kept from when it was built, for one of the latest ids built, or computed.
 *
 * @example
 * ```ts
 * eventIdHashOf(eventIdOf('OrderAccepted', coid)) === eventIdHash(`OrderAccepted:${coid}`); // true
 * ```
 * @internal
 */
export function eventIdHashOf(id: string): number {
  // the id itself (the same string) is nearly always the latest one built: one comparison of two references
  for (let k = 0; k < RECENT; k++) {
    const j = (recentAt - k) & (RECENT - 1);
    if (recentIds[j] === id) return recentHashes[j]!;
  }
  return eventIdHash(id);
}
