/**
 * The ids of the events a {@link MemoryJournal} holds, for its duplicate check (internal): an open-addressing hash
 * table over the ids' 32-bit hashes whose probes read one byte per slot. A `Set<string>` of the ids costs a backtest
 * about a sixth of its run time (measured: bench/README.md, "Where the time goes"): every id is a new string, and
 * the set's table, kept in the old generation and pointing at young strings, is walked again by every scavenge.
 * Here every table holds numbers only:
 *
 * - `tags` (a `Uint8Array`, one byte per slot: 0 for a free slot, else 8 bits of the id's hash) is all a probe reads
 *   until a tag matches. For a new id (nearly every append) a probe is a byte or two of a table of 2 bytes per id:
 *   64,000 ids fit in 128 KB, where the cache keeps them, instead of 1 MB of hash and position pairs, where most
 *   probes missed (measured: bench/README.md).
 * - `positions` (an `Int32Array` beside it): the log position of the slot's event, read only when the tag matches,
 *   to compare the id itself (1 in 255 probes of an occupied slot with a different id).
 * - `hashes` (an `Int32Array` by log position): each held id's full hash, read only to place the ids again when the
 *   table grows, in log order.
 *
 * Log positions must be added in order, each once (0, 1, 2, …), as a log hands them out.
 *
 * @internal
 */
export class EventIdIndex {
  #tags = new Uint8Array(1024);
  #positions = new Int32Array(1024);
  /** Slot count - 1 (the slot count is a power of two). */
  #mask = 1023;
  #hashes = new Int32Array(512);
  #size = 0;

  /** @param idAt the id of the event at a log position. */
  constructor(private readonly idAt: (position: number) => string) {}

  /** Number of ids held. */
  get size(): number {
    return this.#size;
  }

  /** True when an event with this id (of hash `hash`, from `eventIdHash`) is held. */
  has(id: string, hash: number): boolean {
    const tags = this.#tags;
    const mask = this.#mask;
    const tag = tagOf(hash);
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const t = tags[i]!;
      if (t === 0) return false;
      if (t === tag) {
        const p = this.#positions[i]!;
        if (this.#hashes[p] === hash && this.idAt(p) === id) return true;
      }
    }
  }

  /** Records the event at log `position` (the next one: positions come in order), whose id has hash `hash` and is not held yet. */
  add(hash: number, position: number): void {
    if (position !== this.#size) throw new RangeError(`EventIdIndex: position ${position} added after ${this.#size - 1}`);
    if ((this.#size + 1) * 2 > this.#mask + 1) this.#grow();
    if (position === this.#hashes.length) {
      const hashes = new Int32Array(this.#hashes.length * 2);
      hashes.set(this.#hashes);
      this.#hashes = hashes;
    }
    this.#hashes[position] = hash;
    this.#place(hash, position);
    this.#size++;
  }

  #place(hash: number, position: number): void {
    const tags = this.#tags;
    const mask = this.#mask;
    let i = hash & mask;
    while (tags[i] !== 0) i = (i + 1) & mask;
    tags[i] = tagOf(hash);
    this.#positions[i] = position;
  }

  #grow(): void {
    const slots = this.#tags.length * 2;
    this.#tags = new Uint8Array(slots);
    this.#positions = new Int32Array(slots);
    this.#mask = slots - 1;
    const hashes = this.#hashes;
    for (let p = 0; p < this.#size; p++) this.#place(hashes[p]!, p);
  }
}

/** The 8 bits of a hash a slot keeps (bits 24–31: the slot comes from the low bits), never 0 (a free slot). */
function tagOf(hash: number): number {
  return hash >>> 24 || 1;
}
