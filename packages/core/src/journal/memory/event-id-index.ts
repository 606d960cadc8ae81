/**
 * The ids of the events a {@link MemoryJournal} holds, for its duplicate check (internal): an open-addressing hash
 * table of 32-bit id hashes and log positions in two `Int32Array`s. A `Set<string>` of the ids costs a backtest
 * about a sixth of its run time (measured: bench/README.md, "Where the time goes"): every id is a new string, and
 * the set's table, kept in the old generation and pointing at young strings, is walked again by every scavenge.
 * Here the table holds numbers only, and an id is compared as a string only when its hash matches.
 *
 * @internal
 */
export class EventIdIndex {
  #hashes = new Int32Array(1024);
  /** Log position + 1 of the event in each slot; 0 marks a free slot. */
  #positions = new Int32Array(1024);
  #mask = 1023;
  #size = 0;

  /** @param idAt the id of the event at a log position. */
  constructor(private readonly idAt: (position: number) => string) {}

  /** Number of ids held. */
  get size(): number {
    return this.#size;
  }

  /** True when an event with this id (of hash `hash`, from {@link eventIdHash}) is held. */
  has(id: string, hash: number): boolean {
    const hashes = this.#hashes;
    const positions = this.#positions;
    const mask = this.#mask;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const p = positions[i]!;
      if (p === 0) return false;
      if (hashes[i] === hash && this.idAt(p - 1) === id) return true;
    }
  }

  /** Records the event at log `position`, whose id has hash `hash` and is not held yet. */
  add(hash: number, position: number): void {
    if ((this.#size + 1) * 2 > this.#positions.length) this.#grow();
    this.#place(hash, position + 1);
    this.#size++;
  }

  #place(hash: number, slotValue: number): void {
    const mask = this.#mask;
    let i = hash & mask;
    while (this.#positions[i] !== 0) i = (i + 1) & mask;
    this.#hashes[i] = hash;
    this.#positions[i] = slotValue;
  }

  #grow(): void {
    const oldHashes = this.#hashes;
    const oldPositions = this.#positions;
    const capacity = oldPositions.length * 2;
    this.#hashes = new Int32Array(capacity);
    this.#positions = new Int32Array(capacity);
    this.#mask = capacity - 1;
    for (let i = 0; i < oldPositions.length; i++) if (oldPositions[i] !== 0) this.#place(oldHashes[i]!, oldPositions[i]!);
  }
}

/**
 * A 32-bit hash of an event id (FNV-1a over its UTF-16 code units, then mixed so that the low bits, which pick the
 * slot, depend on every character).
 *
 * @internal
 */
export function eventIdHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}
