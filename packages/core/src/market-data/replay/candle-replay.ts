import { Observable, Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import {
  candleAt,
  candleColumnsFrom,
  TIMEFRAME_MS,
  type Candle,
  type CandleColumns,
  type Timeframe,
} from '../../model/candle.js';
import type { SymbolId, UnixMillis } from '../../model/ids.js';
import type { CandleEvent, CandleRunConsumer, MarketData } from '../../ports/market-data.js';
import { ReplayScheduler } from '../../time/replay-scheduler.js';
import { lowerBound, upperBound } from './ascending-search.js';

/** Where a replay delivers candles: a `candles$` subscriber, or a consumer of quiet runs. */
interface Sink {
  next(event: CandleEvent): void;
}

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
 * action drives the whole merge, so the scheduler's queue stays tiny however long the replay. On a
 * {@link ReplayScheduler} a candle is delivered before the timer ticks due at its close time, and consumers that
 * subscribe with {@link CandleReplay.subscribeRuns} get **quiet runs**: when every consumer says that nothing will
 * happen over the next candles and no other action is due meanwhile, those candles are handed over at once
 * ({@link CandleRunConsumer}) — the same state, without one event per candle.
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
  private observers: readonly Sink[] = [];
  /** The subset of {@link observers} that take quiet runs; runs happen only when that is all of them. */
  private runConsumers: readonly CandleRunConsumer[] = [];
  /** Per series: the candles as columns, for quiet-run scans (array series are converted on first use). */
  private runColumns: (CandleColumns | undefined)[] = [];
  private readonly cursor: Int32Array;
  /** Scratch of {@link CandleReplay.quietRun}: the consumers' quiet timers, and per series where its run ends. */
  private readonly runTimers = new Set<Subscription>();
  private readonly runEnds: Int32Array;
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
    this.cursor = Int32Array.from(this.startIdx);
    this.runEnds = new Int32Array(n);
    this.runColumns = [...this.columns];
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
   * Subscribes a consumer of quiet runs (see {@link CandleRunConsumer}); it also gets every candle through `next`,
   * in subscription order with the {@link candles$} subscribers. Runs happen only while every subscriber of this
   * replay is such a consumer and the scheduler is a {@link ReplayScheduler}.
   *
   * @example
   * ```ts
   * exchange.attach(market); // uses subscribeRuns
   * ```
   */
  subscribeRuns(consumer: CandleRunConsumer): Subscription {
    if (this.completed) return Subscription.EMPTY;
    this.observers = [...this.observers, consumer];
    this.runConsumers = [...this.runConsumers, consumer];
    return new Subscription(() => {
      this.observers = this.observers.filter((o) => o !== consumer);
      this.runConsumers = this.runConsumers.filter((o) => o !== consumer);
    });
  }

  /**
   * Starts emitting: schedules the first close on the scheduler. Call after every consumer has subscribed to
   * {@link candles$}. Calling it twice is an error.
   */
  start(): void {
    if (this.started) throw new QuantumTraderError('INVARIANT_VIOLATED', 'CandleReplay.start() called twice');
    this.started = true;
    const first = this.nextClose();
    if (!Number.isFinite(first)) {
      this.complete();
      return;
    }
    const self = this;
    const work = function (this: SchedulerAction<undefined>): void {
      const now = self.scheduler.now();
      if (self.runConsumers.length > 0 && self.runConsumers.length === self.observers.length) self.quietRun();
      self.emitUpTo(now);
      const t = self.nextClose();
      if (Number.isFinite(t)) this.schedule(undefined, t - self.scheduler.now());
      else self.complete();
    };
    const delay = Math.max(0, first - this.scheduler.now());
    // Candles before the timer ticks of the same instant: a 60 s cycle sees the candle that has just closed.
    if (this.scheduler instanceof ReplayScheduler) this.scheduler.scheduleFirst(work, delay);
    else this.scheduler.schedule(work, delay);
  }

  /** Close time of the next candle to deliver (`Infinity` when none is left). */
  private nextClose(): number {
    const cursor = this.cursor;
    let t = Number.POSITIVE_INFINITY;
    for (let k = 0; k < cursor.length; k++) {
      const i = cursor[k]!;
      if (i < this.endIdx[k]!) {
        const c = this.openTimes[k]![i]! + this.tfMs;
        if (c < t) t = c;
      }
    }
    return t;
  }

  /** Delivers, one by one, every candle that has closed by `now`. */
  private emitUpTo(now: number): void {
    const tf = this.tfMs;
    const cursor = this.cursor;
    for (let k = 0; k < cursor.length; k++) {
      let i = cursor[k]!;
      const end = this.endIdx[k]!;
      const opens = this.openTimes[k]!;
      const symbol = this.series[k]!.symbol;
      const arr = this.arrays[k];
      const cols = this.columns[k];
      while (i < end && opens[i]! + tf <= now) {
        const candle = arr === undefined ? candleAt(cols!, i) : arr[i]!;
        const event: CandleEvent = { symbol, timeframe: this.timeframe, candle };
        // The cursor moves first: a consumer that throws does not get the same candle again.
        cursor[k] = ++i;
        const observers = this.observers;
        for (let o = 0; o < observers.length; o++) observers[o]!.next(event);
      }
    }
  }

  /**
   * Hands over, at once, the longest stretch of candles from the cursors on that every consumer calls quiet and
   * that ends before any other scheduled action (or the end of the scheduler's current `runUntil`) — see
   * {@link CandleRunConsumer}. A candle that some consumer is not quiet about stops the run for every series
   * at its close time, so candles of different symbols keep their order relative to it.
   */
  private quietRun(): void {
    const scheduler = this.scheduler;
    if (!(scheduler instanceof ReplayScheduler)) return;
    const consumers = this.runConsumers;
    const timers = this.runTimers;
    timers.clear();
    for (let c = 0; c < consumers.length; c++) {
      const own = consumers[c]!.quietTimers?.();
      if (own !== undefined) for (const t of own) timers.add(t);
    }
    const horizon = scheduler.quietHorizon(timers);
    const tf = this.tfMs;
    const n = this.cursor.length;
    const quietEnd = this.runEnds;
    let stop = Number.POSITIVE_INFINITY; // close time of the first candle someone is not quiet about
    for (let k = 0; k < n; k++) {
      const from = this.cursor[k]!;
      const opens = this.openTimes[k]!;
      // Candles closing by the horizon (open time <= horizon - timeframe) up to `limit`: the first one past it is
      // looked for only once a window reaches it, near the cursor (the horizon is often the replay's end).
      const end = this.endIdx[k]!;
      const last = horizon - tf;
      let limit = end;
      let bounded = false;
      let q = from;
      if (from < end && opens[from]! <= last) {
        const cols = this.columnsOf(k);
        const symbol = this.series[k]!.symbol;
        // Ask about a window that doubles until someone is not quiet: a consumer scans from `from` each time (its
        // state is that of the candle before it), and the work stays proportional to the run, not to the data left.
        // Each ask after the first tells the consumers where the last window ended: all of them found it quiet.
        let scanned = from;
        for (let size = 64; ; size *= 2) {
          let window = Math.min(limit, from + size);
          if (!bounded) {
            if (opens[window - 1]! > last) {
              limit = Math.min(end, upperBound(opens, last, from));
              bounded = true;
              window = Math.min(limit, from + size);
            } else if (window < end && opens[window]! > last) {
              limit = window;
              bounded = true;
            }
          }
          let e = window;
          for (let c = 0; c < consumers.length && e > from; c++) e = Math.min(e, consumers[c]!.quietUntil(symbol, cols, from, e, scanned));
          q = e;
          if (e < window || window === limit) break;
          scanned = window;
        }
      }
      quietEnd[k] = q;
      if (q < this.endIdx[k]! && opens[q]! + tf < stop) stop = opens[q]! + tf;
    }
    let until = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const from = this.cursor[k]!;
      const opens = this.openTimes[k]!;
      // only candles that close before `stop`
      const to = Math.min(quietEnd[k]!, lowerBound(opens, stop - tf, from));
      if (to <= from) continue;
      const cols = this.columnsOf(k);
      const symbol = this.series[k]!.symbol;
      this.cursor[k] = to;
      for (let c = 0; c < consumers.length; c++) consumers[c]!.absorb(symbol, cols, from, to);
      const last = opens[to - 1]! + tf;
      if (last > until) until = last;
    }
    if (until === Number.NEGATIVE_INFINITY) return;
    for (let c = 0; c < consumers.length; c++) consumers[c]!.skipped?.(until);
  }

  private columnsOf(k: number): CandleColumns {
    let cols = this.runColumns[k];
    if (cols === undefined) {
      cols = candleColumnsFrom(this.arrays[k]!);
      this.runColumns[k] = cols;
    }
    return cols;
  }

  private complete(): void {
    this.completed = true;
    const observers = this.observers;
    this.observers = [];
    this.runConsumers = [];
    for (const o of observers) (o as { complete?: () => void }).complete?.();
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
