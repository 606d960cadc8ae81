/** Wall-clock and CPU time of one run. CPU time is user + system of the whole process (GC threads included). */
export interface Timing {
  readonly ms: number;
  readonly cpuMs: number;
}

/** Runs `fn` once and times it. */
export function timeOnce<T>(fn: () => T): { readonly value: T; readonly timing: Timing } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, timing: { ms, cpuMs: (cpu.user + cpu.system) / 1000 } };
}

/**
 * Runs `fn` `runs` times and keeps the fastest wall-clock and the smallest CPU time (each the minimum over the runs:
 * on a shared machine the minimum is the run least disturbed by other processes). Returns the last value.
 */
export function bestOf<T>(runs: number, fn: () => T): { readonly value: T; readonly timing: Timing } {
  let ms = Number.POSITIVE_INFINITY;
  let cpuMs = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let r = 0; r < runs; r++) {
    const t = timeOnce(fn);
    value = t.value;
    if (t.timing.ms < ms) ms = t.timing.ms;
    if (t.timing.cpuMs < cpuMs) cpuMs = t.timing.cpuMs;
  }
  return { value: value as T, timing: { ms, cpuMs } };
}

/** A function's best run of several, its last value, and every run's wall-clock time in order. */
export interface Alternated<T> {
  readonly value: T;
  readonly timing: Timing;
  readonly runsMs: readonly number[];
}

/** {@link bestOf} for two functions run alternately (a, b, a, b, …), so both see the same conditions. */
export function alternating<A, B>(runs: number, a: () => A, b: () => B): [Alternated<A>, Alternated<B>] {
  let ta: Timing = { ms: Number.POSITIVE_INFINITY, cpuMs: Number.POSITIVE_INFINITY };
  let tb: Timing = { ms: Number.POSITIVE_INFINITY, cpuMs: Number.POSITIVE_INFINITY };
  let va: A | undefined;
  let vb: B | undefined;
  const msA: number[] = [];
  const msB: number[] = [];
  const min = (x: Timing, y: Timing): Timing => ({ ms: Math.min(x.ms, y.ms), cpuMs: Math.min(x.cpuMs, y.cpuMs) });
  for (let r = 0; r < runs; r++) {
    const x = timeOnce(a);
    const y = timeOnce(b);
    va = x.value;
    vb = y.value;
    ta = min(ta, x.timing);
    tb = min(tb, y.timing);
    msA.push(x.timing.ms);
    msB.push(y.timing.ms);
  }
  return [
    { value: va as A, timing: ta, runsMs: msA },
    { value: vb as B, timing: tb, runsMs: msB },
  ];
}

/** The median of `xs` (the mean of the middle two for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Rounds for the JSON output. */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Progress for people: stderr, so stdout stays one JSON object. */
export function progress(bench: string, line: string): void {
  process.stderr.write(`[${bench}] ${line}\n`);
}

/** Prints the bench's one JSON object on stdout. */
export function emit(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
