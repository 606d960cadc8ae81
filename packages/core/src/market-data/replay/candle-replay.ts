import { Observable, Subject, type SchedulerLike } from 'rxjs';
import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../model/candle.js';
import type { SymbolId, UnixMillis } from '../../model/ids.js';
import type { CandleEvent, MarketData } from '../../ports/market-data.js';

/** Candles of one symbol for a replay, oldest first. */
export interface ReplaySeries {
  readonly symbol: SymbolId;
  readonly candles: readonly Candle[];
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
  private readonly tfMs: number;
  private readonly startIdx: Int32Array;
  private readonly endIdx: Int32Array;
  private readonly closeTimes: Float64Array[];
  private readonly subject = new Subject<CandleEvent>();
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
    this.closeTimes = [];
    let start = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const s = options.series[k]!;
      const closes = new Float64Array(s.candles.length);
      for (let i = 0; i < s.candles.length; i++) closes[i] = s.candles[i]!.ts + this.tfMs;
      this.closeTimes.push(closes);
      const a = options.from === undefined ? 0 : lowerBound(s.candles, options.from);
      const b = options.to === undefined ? s.candles.length : lowerBound(s.candles, options.to);
      if (b <= a) {
        throw new QuantumTraderError(
          'DATA_INVALID',
          `no ${options.timeframe} candles for ${s.symbol} in the requested range`,
        );
      }
      this.startIdx[k] = a;
      this.endIdx[k] = b;
      start = Math.min(start, closes[a]!);
      end = Math.max(end, closes[b - 1]!);
    }
    this.startTime = start;
    this.endTime = end;
    this.candles$ = new Observable<CandleEvent>((subscriber) => {
      const sub = this.subject.subscribe(subscriber);
      return sub;
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
    const next = (): number => {
      let t = Number.POSITIVE_INFINITY;
      for (let k = 0; k < cursor.length; k++) {
        const i = cursor[k]!;
        if (i < this.endIdx[k]!) {
          const c = this.closeTimes[k]![i]!;
          if (c < t) t = c;
        }
      }
      return t;
    };
    const first = next();
    if (!Number.isFinite(first)) {
      this.subject.complete();
      return;
    }
    const self = this;
    this.scheduler.schedule(
      function () {
        const now = self.scheduler.now();
        for (let k = 0; k < cursor.length; k++) {
          let i = cursor[k]!;
          const end = self.endIdx[k]!;
          const closes = self.closeTimes[k]!;
          const s = self.series[k]!;
          while (i < end && closes[i]! <= now) {
            self.subject.next({ symbol: s.symbol, timeframe: self.timeframe, candle: s.candles[i]! });
            i++;
          }
          cursor[k] = i;
        }
        const t = next();
        if (Number.isFinite(t)) this.schedule(undefined, t - self.scheduler.now());
        else self.subject.complete();
      },
      Math.max(0, first - this.scheduler.now()),
    );
  }

  history(symbol: SymbolId, count: number, asOf: UnixMillis): readonly Candle[] {
    const k = this.symbols.indexOf(symbol);
    if (k < 0) {
      throw new QuantumTraderError(
        'UNKNOWN_SYMBOL',
        `no market data for ${symbol}; this replay serves ${this.symbols.join(', ')}`,
      );
    }
    const closes = this.closeTimes[k]!;
    // last index whose close time <= asOf
    let lo = 0;
    let hi = closes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (closes[mid]! <= asOf) lo = mid + 1;
      else hi = mid;
    }
    return this.series[k]!.candles.slice(Math.max(0, lo - count), lo);
  }
}

function lowerBound(candles: readonly Candle[], ts: UnixMillis): number {
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (candles[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
