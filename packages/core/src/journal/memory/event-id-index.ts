/**
 * The ids of the events a {@link MemoryJournal} holds, for its duplicate check (internal): an open-addressing hash
 * table of 32-bit id hashes and log positions, side by side in one `Int32Array`. A `Set<string>` of the ids costs a backtest
 * about a sixth of its run time (measured: bench/README.md, "Where the time goes"): every id is a new string, and
 * the set's table, kept in the old generation and pointing at young strings, is walked again by every scavenge.
 * Here the table holds numbers only, and an id is compared as a string only when its hash matches.
 *
 * @internal
 */
export class EventIdIndex {
  /**
   * Two `Int32Array` entries per slot, side by side so that a probe reads one cache line: the id's hash, then the log
   * position + 1 of its event (0 marks a free slot).
   */
  #slots = new Int32Array(2048);
  /** Slot count - 1 (the slot count is a power of two). */
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
    const slots = this.#slots;
    const mask = this.#mask;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const p = slots[2 * i + 1]!;
      if (p === 0) return false;
      if (slots[2 * i] === hash && this.idAt(p - 1) === id) return true;
    }
  }

  /** Records the event at log `position`, whose id has hash `hash` and is not held yet. */
  add(hash: number, position: number): void {
    if ((this.#size + 1) * 2 > this.#mask + 1) this.#grow();
    this.#place(hash, position + 1);
    this.#size++;
  }

  #place(hash: number, slotValue: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = hash & mask;
    while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
    slots[2 * i] = hash;
    slots[2 * i + 1] = slotValue;
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Int32Array(old.length * 2);
    this.#mask = old.length - 1; // old.length / 2 slots before, twice as many now
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.#place(old[i]!, old[i + 1]!);
  }
}

/**
 * A 32-bit hash of an event id: FNV-1a over its UTF-16 code units in two interleaved lanes (even and odd positions,
 * so that the two multiplication chains run side by side), combined with the length and mixed so that the low bits,
 * which pick the slot, depend on every character.
 *
 * @internal
 */
export function eventIdHash(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  const n = id.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    a = Math.imul(a ^ id.charCodeAt(i), 0x01000193);
    b = Math.imul(b ^ id.charCodeAt(i + 1), 0x01000193);
  }
  if (i < n) a = Math.imul(a ^ id.charCodeAt(i), 0x01000193);
  let h = a ^ Math.imul(b, 0x9e3779b1) ^ n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}
