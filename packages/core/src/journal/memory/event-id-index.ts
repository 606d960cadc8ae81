/**
 * The set of event ids a {@link MemoryJournal} holds, as an open-addressing hash table over two `Int32Array`s: the
 * 32-bit hash of each id and the log index of its event. A lookup hashes the id once and compares hashes in the flat
 * array; the id string itself is compared only on an equal hash (against the event in the log). A `Set<string>`
 * compares a new id with the strings already in its chains, a memory access to a different heap object each; over a
 * long backtest (tens of thousands of ids) that made the id check the journal's largest cost (`pnpm bench`).
 *
 * Internal to the memory journal.
 *
 * @example
 * ```ts
 * const ids = new EventIdIndex((i) => log[i]!.id);
 * ids.add('OrderFilled:qt-1:1', 0); // true: new
 * ids.add('OrderFilled:qt-1:1', 1); // false: already there, nothing changed
 * ```
 */
export class EventIdIndex {
  #hashes = new Int32Array(1024);
  #slots = new Int32Array(1024);
  #mask = 1023;
  #size = 0;

  /** @param idAt the id of the event at a log index (the index keeps no strings of its own). */
  constructor(private readonly idAt: (index: number) => string) {}

  /** How many ids it holds. */
  get size(): number {
    return this.#size;
  }

  /** Whether `id` is in the index. */
  has(id: string): boolean {
    return this.#find(id, hashOf(id)) >= 0;
  }

  /**
   * Adds `id` for the event at log index `index` unless it is there already.
   *
   * @returns `true` when it was new (and is now in), `false` when it was there (nothing changed).
   */
  add(id: string, index: number): boolean {
    const h = hashOf(id);
    const hashes = this.#hashes;
    const mask = this.#mask;
    let i = h & mask;
    for (let x = hashes[i]!; x !== 0; x = hashes[i]!) {
      if (x === h && this.idAt(this.#slots[i]!) === id) return false;
      i = (i + 1) & mask;
    }
    hashes[i] = h;
    this.#slots[i] = index;
    if (++this.#size * 2 > mask) this.#grow();
    return true;
  }

  #find(id: string, h: number): number {
    const hashes = this.#hashes;
    const mask = this.#mask;
    let i = h & mask;
    for (let x = hashes[i]!; x !== 0; x = hashes[i]!) {
      if (x === h && this.idAt(this.#slots[i]!) === id) return this.#slots[i]!;
      i = (i + 1) & mask;
    }
    return -1;
  }

  #grow(): void {
    const oldHashes = this.#hashes;
    const oldSlots = this.#slots;
    const capacity = oldHashes.length * 2;
    const mask = capacity - 1;
    const hashes = new Int32Array(capacity);
    const slots = new Int32Array(capacity);
    for (let j = 0; j < oldHashes.length; j++) {
      const h = oldHashes[j]!;
      if (h === 0) continue;
      let i = h & mask;
      while (hashes[i] !== 0) i = (i + 1) & mask;
      hashes[i] = h;
      slots[i] = oldSlots[j]!;
    }
    this.#hashes = hashes;
    this.#slots = slots;
    this.#mask = mask;
  }
}

/** A 32-bit hash of a string (FNV-1a over UTF-16 code units, then murmur3's finalizer), never 0 (0 marks a free slot). */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}
