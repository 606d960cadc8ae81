// indicators_vs_handloop: the library's batch indicators (EMA, RSI, ATR, Bollinger over Float64Array columns) versus
// plain hand-written loops computing the same values (target: library / loop <= 1.5), and versus trading-signals and
// technicalindicators on the same 1,000,000 closes (both must be slower). Prints ONE JSON object on stdout.
//   npx tsx bench/indicators-vs-handloop.bench.ts [values]
import { atr, bollinger, ema, rsi } from '@quantum-trader/core';
import ti from 'technicalindicators';
import { ATR as TsATR, BollingerBands as TsBollinger, EMA as TsEMA, RSI as TsRSI } from 'trading-signals';
import { alternating, bestOf, emit, progress, round, timeOnce } from './lib/measure.js';
import { MINUTE_SERIES_SOURCE, minuteCandles } from './lib/minute-candles.js';

const NAME = 'indicators_vs_handloop';
const N = Number(process.argv[2] ?? 1_000_000);
const RUNS = 15;
const PERIOD = { ema: 20, rsi: 14, atr: 14, bollinger: 20 } as const;
const K = 2;

progress(NAME, `building ${N.toLocaleString('en-US')} one-minute candles`);
const c = minuteCandles(N);
const closes = c.close;
const highs = c.high;
const lows = c.low;


// --- plain loops: what a person writes by hand, same seeding and smoothing as the library ---

function loopEma(v: Float64Array, n: number): Float64Array {
  const out = new Float64Array(v.length);
  const k = 2 / (n + 1);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += v[i]!;
    out[i] = Number.NaN;
  }
  let prev = sum / n;
  out[n - 1] = prev;
  for (let i = n; i < v.length; i++) out[i] = prev = (v[i]! - prev) * k + prev;
  return out;
}

function loopRsi(v: Float64Array, n: number): Float64Array {
  const out = new Float64Array(v.length);
  let gain = 0;
  let loss = 0;
  out[0] = Number.NaN;
  for (let i = 1; i <= n; i++) {
    const d = v[i]! - v[i - 1]!;
    if (d > 0) gain += d;
    else loss -= d;
    out[i] = Number.NaN;
  }
  gain /= n;
  loss /= n;
  out[n] = gain + loss !== 0 ? 100 * (gain / (gain + loss)) : 0;
  for (let i = n + 1; i < v.length; i++) {
    const d = v[i]! - v[i - 1]!;
    gain = (gain * (n - 1) + (d > 0 ? d : 0)) / n;
    loss = (loss * (n - 1) + (d < 0 ? -d : 0)) / n;
    out[i] = gain + loss !== 0 ? 100 * (gain / (gain + loss)) : 0;
  }
  return out;
}

function loopAtr(h: Float64Array, l: Float64Array, cl: Float64Array, n: number): Float64Array {
  const out = new Float64Array(cl.length);
  let acc = 0;
  out[0] = Number.NaN;
  for (let i = 1; i <= n; i++) {
    acc += Math.max(h[i]! - l[i]!, Math.abs(h[i]! - cl[i - 1]!), Math.abs(l[i]! - cl[i - 1]!));
    out[i] = Number.NaN;
  }
  acc /= n;
  out[n] = acc;
  for (let i = n + 1; i < cl.length; i++) {
    const tr = Math.max(h[i]! - l[i]!, Math.abs(h[i]! - cl[i - 1]!), Math.abs(l[i]! - cl[i - 1]!));
    out[i] = acc = (acc * (n - 1) + tr) / n;
  }
  return out;
}

/**
 * Rolling mean ± k·σ (population) from running sums of deviations from a shift; the shift and the sums are
 * recomputed from the window every 1024 values, so prices far from the shift do not cancel the variance away.
 */
function loopBollinger(v: Float64Array, n: number, k: number): { upper: Float64Array; middle: Float64Array; lower: Float64Array } {
  const len = v.length;
  const upper = new Float64Array(len);
  const middle = new Float64Array(len);
  const lower = new Float64Array(len);
  let shift = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < len; i++) {
    if (i < n - 1) {
      upper[i] = middle[i] = lower[i] = Number.NaN;
      continue;
    }
    if (i === n - 1 || i % 1024 === 0) {
      let sum = 0;
      for (let j = i - n + 1; j <= i; j++) sum += v[j]!;
      shift = sum / n;
      s1 = 0;
      s2 = 0;
      for (let j = i - n + 1; j <= i; j++) {
        const d = v[j]! - shift;
        s1 += d;
        s2 += d * d;
      }
    } else {
      const d = v[i]! - shift;
      const o = v[i - n]! - shift;
      s1 += d - o;
      s2 += d * d - o * o;
    }
    const mean = s1 / n;
    const variance = s2 / n - mean * mean;
    const w = k * Math.sqrt(variance > 0 ? variance : 0);
    middle[i] = shift + mean;
    upper[i] = shift + mean + w;
    lower[i] = shift + mean - w;
  }
  return { upper, middle, lower };
}

// --- the competitors, fed the same numbers (as plain arrays / objects, converted before timing) ---

interface Data {
  readonly n: number;
  readonly closes: Float64Array;
  readonly highs: Float64Array;
  readonly lows: Float64Array;
  readonly closeArr: number[];
  readonly highArr: number[];
  readonly lowArr: number[];
  readonly hlc: { high: number; low: number; close: number }[];
}

function dataOf(n: number): Data {
  const cl = closes.subarray(0, n);
  const hi = highs.subarray(0, n);
  const lo = lows.subarray(0, n);
  return {
    n,
    closes: cl,
    highs: hi,
    lows: lo,
    closeArr: Array.from(cl),
    highArr: Array.from(hi),
    lowArr: Array.from(lo),
    hlc: Array.from({ length: n }, (_, i) => ({ high: hi[i]!, low: lo[i]!, close: cl[i]! })),
  };
}

type Impl = (d: Data) => number; // each returns its last value, checked against the library's
interface Indicator {
  readonly name: 'ema' | 'rsi' | 'atr' | 'bollinger';
  readonly library: Impl;
  readonly loop: Impl;
  /** Loop results must equal the library's to this relative tolerance (0: bit for bit). */
  readonly tolerance: number;
  readonly tradingSignals: Impl;
  readonly technicalIndicators: Impl;
}

const last = (a: ArrayLike<number>): number => a[a.length - 1]!;
const indicators: Indicator[] = [
  {
    name: 'ema',
    library: (d) => last(ema(d.closes, PERIOD.ema)),
    loop: (d) => last(loopEma(d.closes, PERIOD.ema)),
    tolerance: 0,
    tradingSignals: (d) => {
      const e = new TsEMA(PERIOD.ema);
      const out = new Float64Array(d.n);
      for (let i = 0; i < d.n; i++) out[i] = e.update(d.closeArr[i]!, false);
      return last(out);
    },
    technicalIndicators: (d) => last(ti.EMA.calculate({ period: PERIOD.ema, values: d.closeArr })),
  },
  {
    name: 'rsi',
    library: (d) => last(rsi(d.closes, PERIOD.rsi)),
    loop: (d) => last(loopRsi(d.closes, PERIOD.rsi)),
    tolerance: 0,
    tradingSignals: (d) => {
      const e = new TsRSI(PERIOD.rsi);
      const out = new Float64Array(d.n);
      for (let i = 0; i < d.n; i++) out[i] = e.update(d.closeArr[i]!, false) ?? Number.NaN;
      return last(out);
    },
    technicalIndicators: (d) => last(ti.RSI.calculate({ period: PERIOD.rsi, values: d.closeArr })),
  },
  {
    name: 'atr',
    library: (d) => last(atr(d.highs, d.lows, d.closes, PERIOD.atr)),
    loop: (d) => last(loopAtr(d.highs, d.lows, d.closes, PERIOD.atr)),
    tolerance: 0,
    tradingSignals: (d) => {
      const e = new TsATR(PERIOD.atr);
      const out = new Float64Array(d.n);
      for (let i = 0; i < d.n; i++) out[i] = e.update(d.hlc[i]!, false) ?? Number.NaN;
      return last(out);
    },
    technicalIndicators: (d) => last(ti.ATR.calculate({ period: PERIOD.atr, high: d.highArr, low: d.lowArr, close: d.closeArr })),
  },
  {
    name: 'bollinger',
    library: (d) => last(bollinger(d.closes, PERIOD.bollinger, K).upper),
    loop: (d) => last(loopBollinger(d.closes, PERIOD.bollinger, K).upper),
    tolerance: 1e-9,
    tradingSignals: (d) => {
      const e = new TsBollinger(PERIOD.bollinger, K);
      const out = new Float64Array(d.n);
      for (let i = 0; i < d.n; i++) out[i] = e.update(d.closeArr[i]!, false)?.upper ?? Number.NaN;
      return last(out);
    },
    technicalIndicators: (d) =>
      last(ti.BollingerBands.calculate({ period: PERIOD.bollinger, values: d.closeArr, stdDev: K }).map((b) => b.upper)),
  },
];

/** Every value of the loop's output against the library's. */
function sameSeries(name: string, tolerance: number): boolean {
  const pairs: [Float64Array, Float64Array][] =
    name === 'ema'
      ? [[ema(closes, PERIOD.ema), loopEma(closes, PERIOD.ema)]]
      : name === 'rsi'
        ? [[rsi(closes, PERIOD.rsi), loopRsi(closes, PERIOD.rsi)]]
        : name === 'atr'
          ? [[atr(highs, lows, closes, PERIOD.atr), loopAtr(highs, lows, closes, PERIOD.atr)]]
          : (() => {
              const a = bollinger(closes, PERIOD.bollinger, K);
              const b = loopBollinger(closes, PERIOD.bollinger, K);
              return [
                [a.upper, b.upper],
                [a.middle, b.middle],
                [a.lower, b.lower],
              ] as [Float64Array, Float64Array][];
            })();
  for (const [a, b] of pairs) {
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      if (!(Math.abs(x - y) <= tolerance * Math.max(1, Math.abs(x)))) return false;
    }
  }
  return true;
}

const full = dataOf(N);
const small = dataOf(Math.min(N, 20_000));
const WARMUP_CALLS = 40;

const rows: Record<string, unknown> = {};
let worstRatio = 0;
let competitorsSlower = true;
for (const ind of indicators) {
  progress(NAME, ind.name);
  const same = sameSeries(ind.name, ind.tolerance);
  if (!same) throw new Error(`${NAME}: the hand loop and the library disagree on ${ind.name}`);
  // JIT warm-up: many calls on a short prefix, so that every implementation runs optimized code when timed
  for (let w = 0; w < WARMUP_CALLS; w++) {
    ind.library(small);
    ind.loop(small);
    ind.tradingSignals(small);
    if (w < 5) ind.technicalIndicators(small);
  }
  // library and loop alternate, so that both see the same machine (others may be busy on it)
  const [lib, loop] = alternating(RUNS, () => ind.library(full), () => ind.loop(full));
  const tsig = bestOf(2, () => ind.tradingSignals(full));
  const tind = timeOnce(() => ind.technicalIndicators(full));
  const ratio = lib.timing.ms / loop.timing.ms;
  worstRatio = Math.max(worstRatio, ratio);
  const tsRel = tsig.timing.ms / lib.timing.ms;
  const tiRel = tind.timing.ms / lib.timing.ms;
  if (!(tsRel > 1 && tiRel > 1)) competitorsSlower = false;
  const agree = (x: number) => Math.abs(x - lib.value) <= 1e-6 * Math.abs(lib.value);
  rows[ind.name] = {
    libraryMs: round(lib.timing.ms, 2),
    loopMs: round(loop.timing.ms, 2),
    ratio: round(ratio),
    tradingSignalsMs: round(tsig.timing.ms, 1),
    technicalIndicatorsMs: round(tind.timing.ms, 1),
    tradingSignalsSlowerBy: round(tsRel),
    technicalIndicatorsSlowerBy: round(tiRel),
    lastValueAgrees: { loop: true, tradingSignals: agree(tsig.value), technicalIndicators: agree(tind.value) },
  };
}

emit({
  name: NAME,
  ok: true,
  values: N,
  worstRatio: round(worstRatio),
  competitorsSlower,
  target: { ratio: 1.5, competitorsSlower: true },
  indicators: rows,
  periods: PERIOD,
  data: `the closes (highs, lows) of the bench's one-minute series: ${MINUTE_SERIES_SOURCE}`,
  timing: `every implementation first called ${WARMUP_CALLS} times on 20k values (JIT warm-up); library and loops: best of ${RUNS}; trading-signals (streaming, results stored in a Float64Array) best of 2; technicalindicators once (seconds per call); wall clock`,
});
