/**
 * Downsampling that keeps a report small without hiding what matters: line series keep the minimum and the maximum
 * of every bucket (so peaks and the deepest drawdown survive) plus the first and last sample; candles are merged
 * into wider candles (first open, highest high, lowest low, last close). @internal
 */

/** Time/value pairs; `t` ascending. @internal */
export interface LinePoints {
  t: number[];
  v: number[];
}

/** Candle columns; `t` ascending. @internal */
export interface CandleColumns {
  t: number[];
  o: number[];
  h: number[];
  l: number[];
  c: number[];
}

/** Keeps at most `max` (≥ 4) points: first, last, and per bucket its minimum and maximum in time order. @internal */
export function downsampleLine(points: LinePoints, max: number): LinePoints {
  const out = downsampleLines(points.t, [points.v], max);
  return { t: out.t, v: out.v[0]! };
}

/**
 * Downsamples several value columns on one time axis with one shared set of kept samples (so charts drawn from
 * them stay aligned point for point): first, last, and per bucket every column's minimum and maximum. @internal
 */
export function downsampleLines(t: number[], columns: readonly number[][], max: number): { t: number[]; v: number[][] } {
  const n = t.length;
  if (n <= max) return { t, v: [...columns] };
  const perBucket = 2 * Math.max(1, columns.length);
  const buckets = Math.max(1, Math.floor((max - 2) / perBucket));
  const size = Math.ceil((n - 2) / buckets);
  const keep: number[] = [0];
  const picked: number[] = [];
  for (let start = 1; start < n - 1; start += size) {
    const end = Math.min(n - 1, start + size);
    picked.length = 0;
    for (const v of columns) {
      let lo = start;
      let hi = start;
      for (let i = start + 1; i < end; i++) {
        if (v[i]! < v[lo]!) lo = i;
        if (v[i]! > v[hi]!) hi = i;
      }
      picked.push(lo, hi);
    }
    picked.sort((a, b) => a - b);
    for (let k = 0; k < picked.length; k++) if (k === 0 || picked[k] !== picked[k - 1]) keep.push(picked[k]!);
  }
  keep.push(n - 1);
  return { t: keep.map((i) => t[i]!), v: columns.map((v) => keep.map((i) => v[i]!)) };
}

/** Merges consecutive candles so that at most `max` remain; each merged candle starts at its first candle's time. @internal */
export function downsampleCandles(c: CandleColumns, max: number): CandleColumns {
  const n = c.t.length;
  if (n <= max) return c;
  const size = Math.ceil(n / max);
  const out: CandleColumns = { t: [], o: [], h: [], l: [], c: [] };
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    let h = -Infinity;
    let l = Infinity;
    for (let i = start; i < end; i++) {
      if (c.h[i]! > h) h = c.h[i]!;
      if (c.l[i]! < l) l = c.l[i]!;
    }
    out.t.push(c.t[start]!);
    out.o.push(c.o[start]!);
    out.h.push(h);
    out.l.push(l);
    out.c.push(c.c[end - 1]!);
  }
  return out;
}
