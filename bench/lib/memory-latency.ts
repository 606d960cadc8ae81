// The machine's memory latency, measured in the bench's own process: a chain of dependent loads through a random
// cyclic permutation (each load's address is the previous load's value, so nothing overlaps), over buffers that fit
// a core's caches and buffers that do not. The engine's hot path chases pointers through a heap of some 100 MB; the
// hand loop streams typed arrays. So the ratio between them moves with this figure from machine to machine (bench
// README, "Ninth session"), and the bench reports it next to the ratio.

/** Nanoseconds per dependent load for each buffer size (MB), the best of `rounds` walks of `steps` loads. */
export function memoryLatencyNs(sizesMB: readonly number[], steps = 2_000_000, rounds = 3): Record<string, number> {
  const out: Record<string, number> = {};
  for (const mb of sizesMB) {
    const chain = randomCycle(Math.floor((mb * 1024 * 1024) / 4));
    let best = Number.POSITIVE_INFINITY;
    let p = 0;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) p = chain[p]!;
      best = Math.min(best, performance.now() - t0);
    }
    // `p` is read so the walk cannot be optimized away
    if (p < 0) throw new Error('unreachable');
    out[`${mb}MB`] = Math.round(((best * 1e6) / steps) * 10) / 10;
  }
  return out;
}

/** A single cycle through all `n` slots (Sattolo's algorithm), shuffled by a fixed-seed xorshift: the same walk every run. */
function randomCycle(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  let s = 0x9e3779b9;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % i;
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}
