import { Observable, type SchedulerLike, type Subscriber } from 'rxjs';
import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import { candleAt, TIMEFRAME_MS, type Candle, type CandleColumns, type Timeframe } from '../../model/candle.js';
import type { SymbolId, UnixMillis } from '../../model/ids.js';
import type { CandleEvent, MarketData } from '../../ports/market-data.js';

/**
 * Candles of one symbol for a replay, oldest first: an array of candles, or columns of typed arrays
 * ({@link CandleColumns}). Columns keep a long series compact (48 bytes a candle instead of a heap object each);
 * the replay then creates each candle object only when it emits it.
 *
 * @example
 * ```ts
 * const series: ReplaySeries = { symbol: symbolId('BTC/USDT'), candles: candleColumnsFrom(loadCandlesCsv(path)) };
 * ```
 */
export interface ReplaySeries {
  readonly symbol: SymbolId;
  readonly candles: readonly Candle[] | CandleColumns;
}

/** Options of {@link CandleReplay}. */
export interface CandleReplayOptions {
  readonly series: readonly ReplaySeries[];
  readonly timeframe: Timeframe;
  /** Candles that open before this time are history only (warm-up): they are never emitted. */
  readonly from?: UnixMillis;
  /** Candles that open at or after this time are ignored. */
  readonly to?: UnixMillis;
}

/**
 * The MarketData port over recorded candles, on any scheduler: each candle is emitted at its close time
 * (`ts + timeframe`) in virtual time, all symbols merged in time order (ties in series order). One scheduled
 * action drives the whole merge, so the scheduler's queue stays tiny however long the replay.
 *
 * @example
 * ```ts
 * const scheduler = new ReplayScheduler(from);
 * const market = new CandleReplay({ series: [{ symbol, candles }], timeframe: '5m', from }, scheduler);
 * market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
 * scheduler.runAll();
 * ```
 */
export class CandleReplay implements MarketData {
  readonly timeframe: Timeframe;
  readonly symbols: readonly SymbolId[];
  readonly candles$: Observable<CandleEvent>;
  /** Close time of the first and last emitted candles. */
  readonly startTime: UnixMillis;
  readonly endTime: UnixMillis;

  private readonly series: readonly ReplaySeries[];
  /** Per series: its candles when given as an array, `undefined` when given as columns. */
  private readonly arrays: (readonly Candle[] | undefined)[];
  private readonly columns: (CandleColumns | undefined)[];
  private readonly tfMs: number;
  private readonly startIdx: Int32Array;
  private readonly endIdx: Int32Array;
  /** Per series: open times (for columns, the `ts` column itself: no copy). A candle closes at open + timeframe. */
  private readonly openTimes: Float64Array[];
  /**
   * Current subscribers, replaced (never mutated) when one joins or leaves: an emission walks the list it started
   * with. A Subject would do, but its cjs build allocates an iterator and a result object per subscriber per
   * candle; this replay emits millions of candles.
   */
  private observers: readonly Subscriber<CandleEvent>[] = [];
  private completed = false;
  private started = false;

  constructor(
    options: CandleReplayOptions,
    private readonly scheduler: SchedulerLike,
  ) {
    this.timeframe = options.timeframe;
    this.tfMs = TIMEFRAME_MS[options.timeframe];
    this.series = options.series;
    this.symbols = options.series.map((s) => s.symbol);
    const n = options.series.length;
    this.startIdx = new Int32Array(n);
    this.endIdx = new Int32Array(n);
    this.openTimes = [];
    this.arrays = [];
    this.columns = [];
    let start = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const s = options.series[k]!;
      const cols = isColumns(s.candles) ? s.candles : undefined;
      const arr = cols === undefined ? (s.candles as readonly Candle[]) : undefined;
      this.arrays.push(arr);
      this.columns.push(cols);
      const len = cols === undefined ? arr!.length : cols.length;
      const opens = cols === undefined ? openTimesOf(arr!) : cols.ts;
      this.openTimes.push(opens);
      const a = options.from === undefined ? 0 : lowerBound(opens, options.from);
      const b = options.to === undefined ? len : lowerBound(opens, options.to);
      if (b <= a) {
        throw new QuantumTraderError(
          'DATA_INVALID',
          `no ${options.timeframe} candles for ${s.symbol} in the requested range`,
        );
      }
      this.startIdx[k] = a;
      this.endIdx[k] = b;
      start = Math.min(start, opens[a]! + this.tfMs);
      end = Math.max(end, opens[b - 1]! + this.tfMs);
    }
    this.startTime = start;
    this.endTime = end;
    this.candles$ = new Observable<CandleEvent>((subscriber) => {
      if (this.completed) {
        subscriber.complete();
        return undefined;
      }
      this.observers = [...this.observers, subscriber];
      return () => {
        this.observers = this.observers.filter((o) => o !== subscriber);
      };
    });
  }

  /**
   * Starts emitting: schedules the first close on the scheduler. Call after every consumer has subscribed to
   * {@link candles$}. Calling it twice is an error.
   */
  start(): void {
    if (this.started) throw new QuantumTraderError('INVARIANT_VIOLATED', 'CandleReplay.start() called twice');
    this.started = true;
    const cursor = Int32Array.from(this.startIdx);
    const tf = this.tfMs;
    const next = (): number => {
      let t = Number.POSITIVE_INFINITY;
      for (let k = 0; k < cursor.length; k++) {
        const i = cursor[k]!;
        if (i < this.endIdx[k]!) {
          const c = this.openTimes[k]![i]! + tf;
          if (c < t) t = c;
        }
      }
      return t;
    };
    const first = next();
    if (!Number.isFinite(first)) {
      this.complete();
      return;
    }
    const self = this;
    this.scheduler.schedule(
      function () {
        const now = self.scheduler.now();
        for (let k = 0; k < cursor.length; k++) {
          let i = cursor[k]!;
          const end = self.endIdx[k]!;
          const opens = self.openTimes[k]!;
          const symbol = self.series[k]!.symbol;
          const arr = self.arrays[k];
          const cols = self.columns[k];
          while (i < end && opens[i]! + tf <= now) {
            const candle = arr === undefined ? candleAt(cols!, i) : arr[i]!;
            const event: CandleEvent = { symbol, timeframe: self.timeframe, candle };
            const observers = self.observers;
            for (let o = 0; o < observers.length; o++) observers[o]!.next(event);
            i++;
          }
          cursor[k] = i;
        }
        const t = next();
        if (Number.isFinite(t)) this.schedule(undefined, t - self.scheduler.now());
        else self.complete();
      },
      Math.max(0, first - this.scheduler.now()),
    );
  }

  private complete(): void {
    this.completed = true;
    const observers = this.observers;
    this.observers = [];
    for (const o of observers) o.complete();
  }

  history(symbol: SymbolId, count: number, asOf: UnixMillis): readonly Candle[] {
    const k = this.symbols.indexOf(symbol);
    if (k < 0) {
      throw new QuantumTraderError(
        'UNKNOWN_SYMBOL',
        `no market data for ${symbol}; this replay serves ${this.symbols.join(', ')}`,
      );
    }
    const opens = this.openTimes[k]!;
    const tf = this.tfMs;
    // last index whose close time <= asOf
    let lo = 0;
    let hi = opens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (opens[mid]! + tf <= asOf) lo = mid + 1;
      else hi = mid;
    }
    const from = Math.max(0, lo - count);
    const arr = this.arrays[k];
    if (arr !== undefined) return arr.slice(from, lo);
    const cols = this.columns[k]!;
    const out: Candle[] = [];
    for (let i = from; i < lo; i++) out.push(candleAt(cols, i));
    return out;
  }
}

/** Open times of candle objects as a column (a loop of its own: inside the constructor it would stay slow). */
function openTimesOf(candles: readonly Candle[]): Float64Array {
  const out = new Float64Array(candles.length);
  for (let i = 0; i < out.length; i++) out[i] = candles[i]!.ts;
  return out;
}

function isColumns(candles: readonly Candle[] | CandleColumns): candles is CandleColumns {
  return !Array.isArray(candles) && (candles as CandleColumns).ts instanceof Float64Array;
}

/** First index whose value is `>= x` (values ascending). */
function lowerBound(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
