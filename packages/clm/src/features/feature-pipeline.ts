import type { Candle, PositionSide, UnixMillis } from '@quantum-trader/core';
import { createCalculator, type FeatureCalculator } from './feature-calculators.js';
import { featureWarmup, validateFeatureSpec, type FeatureSpec } from './feature-spec.js';

const DAY_MS = 86_400_000;
const TWO_PI = 2 * Math.PI;

// How a column is read from the symbol's state.
const FROM_CALC = 0;
const SIGNED_CALC = 1;
const HOUR_SIN = 2;
const HOUR_COS = 3;
const WEEKDAY_SIN = 4;
const WEEKDAY_COS = 5;
const DIRECTION = 6;

interface SymbolState {
  readonly calcs: FeatureCalculator[];
  candles: number;
  lastTs: UnixMillis;
}

/**
 * The feature pipeline: the one code path that turns candles into model inputs, both when a dataset is built for
 * training and when the scorer serves a signal. Fed every closed candle of a symbol (in time order), it keeps
 * streaming indicator state per symbol and writes the feature row of "now" for a signal's direction on demand.
 * `update` and `read` allocate nothing.
 *
 * @example
 * ```ts
 * const pipeline = new FeaturePipeline({ timeframe: '5m', names: DEFAULT_FEATURES });
 * for (const c of candles) pipeline.update('BTC/USDT', c);
 * const row = new Float32Array(pipeline.size);
 * const ready = pipeline.read('BTC/USDT', 'long', row);
 * ```
 */
export class FeaturePipeline {
  readonly spec: FeatureSpec;
  /** Number of columns. */
  readonly size: number;
  /** Candles a symbol needs before every column has a value. */
  readonly warmupCandles: number;

  private readonly mode: Int8Array;
  private readonly calcOf: Int32Array;
  private readonly calcKinds: readonly { kind: string; window: number }[];
  private readonly states = new Map<string, SymbolState>();

  constructor(spec: FeatureSpec) {
    const parsed = validateFeatureSpec(spec);
    this.spec = { timeframe: spec.timeframe, names: [...spec.names] };
    this.size = parsed.length;
    this.warmupCandles = featureWarmup(spec);
    this.mode = new Int8Array(this.size);
    this.calcOf = new Int32Array(this.size).fill(-1);
    const kinds: { kind: string; window: number }[] = [];
    const index = new Map<string, number>();
    parsed.forEach((f, j) => {
      switch (f.kind) {
        case 'hour_sin':
          this.mode[j] = HOUR_SIN;
          return;
        case 'hour_cos':
          this.mode[j] = HOUR_COS;
          return;
        case 'weekday_sin':
          this.mode[j] = WEEKDAY_SIN;
          return;
        case 'weekday_cos':
          this.mode[j] = WEEKDAY_COS;
          return;
        case 'direction':
          this.mode[j] = DIRECTION;
          return;
        default: {
          const kind = f.kind === 'sret' ? 'ret' : f.kind;
          const key = `${kind}_${f.window}`;
          let k = index.get(key);
          if (k === undefined) {
            k = kinds.length;
            kinds.push({ kind, window: f.window });
            index.set(key, k);
          }
          this.mode[j] = f.kind === 'sret' ? SIGNED_CALC : FROM_CALC;
          this.calcOf[j] = k;
        }
      }
    });
    this.calcKinds = kinds;
  }

  /** Feeds one closed candle of `symbol`. */
  update(symbol: string, candle: Candle): void {
    let s = this.states.get(symbol);
    if (s === undefined) {
      s = {
        calcs: this.calcKinds.map((k) => createCalculator(k.kind as Parameters<typeof createCalculator>[0], k.window)),
        candles: 0,
        lastTs: Number.NaN,
      };
      this.states.set(symbol, s);
    }
    const calcs = s.calcs;
    for (let k = 0; k < calcs.length; k++) calcs[k]!.update(candle);
    s.candles++;
    s.lastTs = candle.ts;
  }

  /**
   * Writes the feature row of `symbol` as of its last candle, for a signal in `direction`, into `out` at `offset`.
   * Returns false until the symbol has seen {@link warmupCandles} candles and every column has a value (a column
   * without one holds NaN).
   */
  read(symbol: string, direction: PositionSide, out: Float32Array, offset = 0): boolean {
    const s = this.states.get(symbol);
    const sign = direction === 'long' ? 1 : -1;
    let ready = s !== undefined && s.candles >= this.warmupCandles;
    const ts = s?.lastTs ?? Number.NaN;
    for (let j = 0; j < this.size; j++) {
      let v: number;
      switch (this.mode[j]) {
        case FROM_CALC:
          v = s === undefined ? Number.NaN : s.calcs[this.calcOf[j]!]!.value;
          break;
        case SIGNED_CALC:
          v = s === undefined ? Number.NaN : sign * s.calcs[this.calcOf[j]!]!.value;
          break;
        case HOUR_SIN:
          v = Math.sin((TWO_PI * (ts % DAY_MS)) / DAY_MS);
          break;
        case HOUR_COS:
          v = Math.cos((TWO_PI * (ts % DAY_MS)) / DAY_MS);
          break;
        case WEEKDAY_SIN:
          v = Math.sin((TWO_PI * weekday(ts)) / 7);
          break;
        case WEEKDAY_COS:
          v = Math.cos((TWO_PI * weekday(ts)) / 7);
          break;
        default:
          v = sign;
      }
      if (!Number.isFinite(v)) {
        ready = false;
        v = Number.NaN;
      }
      out[offset + j] = v;
    }
    return ready;
  }

  /** Candles seen for `symbol`. */
  candlesSeen(symbol: string): number {
    return this.states.get(symbol)?.candles ?? 0;
  }

  /** Open time of the last candle seen for `symbol` (NaN before the first). */
  lastCandleTs(symbol: string): UnixMillis {
    return this.states.get(symbol)?.lastTs ?? Number.NaN;
  }
}

/** UTC weekday of a time, 0 = Sunday (1970-01-01 was a Thursday). */
function weekday(ts: UnixMillis): number {
  return (Math.floor(ts / DAY_MS) + 4) % 7;
}
