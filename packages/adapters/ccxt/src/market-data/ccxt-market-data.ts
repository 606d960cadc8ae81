import { inspect } from 'node:util';
import { asyncScheduler, Subject, type Observable, type SchedulerLike } from 'rxjs';
import {
  QuantumTraderError,
  silentLogger,
  TIMEFRAME_MS,
  type Candle,
  type CandleEvent,
  type KernelLogger,
  type MarketData,
  type SymbolId,
  type Timeframe,
  type UnixMillis,
} from '@quantum-trader/core';
import type { Exchange, OHLCV, Ticker } from 'ccxt';
import { redact } from '../credentials/redact.js';
import { Stopper } from '../retry/stopper.js';
import { VenueCaller, type RetryPolicy } from '../retry/venue-caller.js';
import { CandleHistory } from './candle-history.js';
import { waitForConnection } from '../exchange/wait-for-connection.js';

/**
 * A price update of one symbol.
 *
 * @example
 * ```ts
 * market.tickers$.subscribe((t: TickerEvent) => console.log(t.symbol, t.last));
 * ```
 */
export interface TickerEvent {
  readonly symbol: SymbolId;
  /** Venue time of the ticker. */
  readonly ts: UnixMillis;
  readonly last: number;
  readonly bid?: number;
  readonly ask?: number;
  /** Quote volume over the venue's 24 h window, when given. */
  readonly quoteVolume24h?: number;
  /** Change over the venue's 24 h window, as a fraction (0.01 = +1 %), when given. */
  readonly change24h?: number;
}

/**
 * Settings of {@link CcxtMarketData}.
 *
 * @example
 * ```ts
 * const options: CcxtMarketDataOptions = { exchange, symbols: [symbolId('BTC/USDT')], timeframe: '5m', tickers: true };
 * ```
 */
export interface CcxtMarketDataOptions {
  /** A ccxt exchange (see `createCcxtExchange`); the market data closes it on `close()`. */
  readonly exchange: Exchange;
  readonly symbols: readonly SymbolId[];
  readonly timeframe: Timeframe;
  /** `websocket` (default when the exchange has `watchOHLCV`): ccxt.pro streams; `poll`: REST. */
  readonly transport?: 'websocket' | 'poll';
  /** REST polling period (default 5 000 ms). */
  readonly pollIntervalMs?: number;
  /** Closed candles kept per symbol for {@link CcxtMarketData.history} (default 1 000; the warm-up reads as many). */
  readonly historyLength?: number;
  /** Also stream tickers on {@link CcxtMarketData.tickers$} (default false). */
  readonly tickers?: boolean;
  /** First wait before reconnecting a dropped stream; doubles up to 30 s (default 500 ms). */
  readonly reconnectDelayMs?: number;
  readonly retry?: RetryPolicy;
  readonly logger?: KernelLogger;
  /** Clock for deciding that a polled candle has closed (default `asyncScheduler`, the wall clock). */
  readonly scheduler?: SchedulerLike;
}

/**
 * The MarketData port over ccxt: closed candles of every symbol by ccxt.pro WebSockets (`watchOHLCV`,
 * `watchTicker`) or REST polling (`fetchOHLCV`, `fetchTicker`). A dropped stream reconnects with back-off and the
 * candles that closed meanwhile are back-filled over REST, so `candles$` sees every candle exactly once, in order.
 * {@link CcxtMarketData.start} warms the history up with the most recent candles (not emitted).
 *
 * @example
 * ```ts
 * const market = new CcxtMarketData({ exchange, symbols: [symbolId('BTC/USDT:USDT')], timeframe: '1m' });
 * market.candles$.subscribe(({ symbol, candle }) => console.log(symbol, candle.close));
 * await market.start();
 * const last24h = market.history(symbolId('BTC/USDT:USDT'), 1440, Date.now());
 * ```
 */
export class CcxtMarketData implements MarketData {
  readonly candles$: Observable<CandleEvent>;
  /** Ticker updates (only with `tickers: true`): a latest-value stream, updates arriving together may be merged. */
  readonly tickers$: Observable<TickerEvent>;
  readonly timeframe: Timeframe;
  readonly symbols: readonly SymbolId[];
  readonly #exchange: Exchange;
  readonly #candles = new Subject<CandleEvent>();
  readonly #tickers = new Subject<TickerEvent>();
  readonly #history = new Map<SymbolId, CandleHistory>();
  readonly #forming = new Map<SymbolId, Candle>();
  readonly #stopper = new Stopper();
  readonly #caller: VenueCaller;
  readonly #logger: KernelLogger;
  readonly #options: CcxtMarketDataOptions;
  readonly #tfMs: number;
  readonly #scheduler: SchedulerLike;
  #started: Promise<void> | undefined;

  constructor(options: CcxtMarketDataOptions) {
    if (options.symbols.length === 0) throw new QuantumTraderError('CONFIG_INVALID', 'CcxtMarketData: symbols must list at least one symbol');
    this.#options = options;
    this.#exchange = options.exchange;
    this.timeframe = options.timeframe;
    this.symbols = [...options.symbols];
    this.#tfMs = TIMEFRAME_MS[options.timeframe];
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#logger = options.logger ?? silentLogger;
    this.#caller = new VenueCaller(options.exchange, options.retry, this.#logger, (t) => this.redact(t));
    const capacity = options.historyLength ?? 1_000;
    for (const s of this.symbols) this.#history.set(s, new CandleHistory(this.#tfMs, capacity));
    this.candles$ = this.#candles.asObservable();
    this.tickers$ = this.#tickers.asObservable();
  }

  /**
   * Loads the markets, warms up the history and starts the streams; resolves once they are connected.
   *
   * @example
   * ```ts
   * await market.start();
   * ```
   */
  start(): Promise<void> {
    this.#started ??= this.run();
    return this.#started;
  }

  /**
   * Stops the streams and closes the exchange's connections; `candles$` completes.
   *
   * @example
   * ```ts
   * await market.close();
   * ```
   */
  async close(): Promise<void> {
    this.#stopper.stop();
    try {
      await this.#exchange.close();
    } catch {
      // already closed
    }
    this.#candles.complete();
    this.#tickers.complete();
  }

  /**
   * Up to `count` most recent closed candles of `symbol` as of `asOf`, oldest first (never one that had not closed
   * by `asOf`).
   *
   * @example
   * ```ts
   * const candles = market.history(symbolId('BTC/USDT'), 288, Date.now());
   * ```
   */
  history(symbol: SymbolId, count: number, asOf: UnixMillis): readonly Candle[] {
    return this.#history.get(symbol)?.lastClosed(count, asOf) ?? [];
  }

  [inspect.custom](): string {
    return `CcxtMarketData { exchange: '${this.#exchange.id}', timeframe: '${this.timeframe}', symbols: ${JSON.stringify(this.symbols)} }`;
  }

  private async run(): Promise<void> {
    const ex = this.#exchange;
    await this.#caller.call('loadMarkets', () => ex.loadMarkets());
    const missing = this.symbols.filter((s) => ex.markets?.[s] === undefined);
    if (missing.length > 0) throw new QuantumTraderError('UNKNOWN_SYMBOL', `${ex.id} does not list ${missing.join(', ')}`);
    const limit = Math.min(this.#options.historyLength ?? 1_000, 1_000);
    for (const s of this.symbols) {
      const rows = await this.#caller.call(`fetchOHLCV ${s} ${this.timeframe}`, () => ex.fetchOHLCV(s, this.timeframe, undefined, limit));
      this.onRestRows(s, rows, false);
    }
    const has = (ex.has ?? {}) as Record<string, unknown>;
    const ws = (this.#options.transport ?? (has.watchOHLCV === true ? 'websocket' : 'poll')) === 'websocket';
    if (!ws) {
      void this.pollLoop();
      return;
    }
    await Promise.all(this.symbols.map((s) => new Promise<void>((connected) => void this.streamLoop(s, connected))));
    if (this.#options.tickers === true) {
      await Promise.all(this.symbols.map((s) => new Promise<void>((connected) => void this.tickerLoop(s, connected))));
    }
  }

  private async pollLoop(): Promise<void> {
    const ex = this.#exchange;
    while (!this.#stopper.stopped) {
      for (const s of this.symbols) {
        if (this.#stopper.stopped) return;
        try {
          await this.backfill(s);
          if (this.#options.tickers === true) this.onTicker(s, await this.#caller.call(`fetchTicker ${s}`, () => ex.fetchTicker(s)));
        } catch (err) {
          this.#logger.warn({ symbol: s, error: this.redact((err as Error).message) }, 'market data poll failed; will try again');
        }
      }
      await this.#stopper.sleep(this.#options.pollIntervalMs ?? 5_000);
    }
  }

  private streamLoop(symbol: SymbolId, connected: () => void): Promise<void> {
    const ex = this.#exchange;
    return this.watchLoop(symbol, 'candle', connected, {
      watch: () => ex.watchOHLCV(symbol, this.timeframe),
      // candles that closed while the stream was down (or before it came up) come over REST
      catchUp: () => this.backfill(symbol),
      catchUpFailed: 'candle back-fill over REST failed',
      deliver: (rows) => this.onStreamRows(symbol, rows),
    });
  }

  private tickerLoop(symbol: SymbolId, connected: () => void): Promise<void> {
    const ex = this.#exchange;
    return this.watchLoop(symbol, 'ticker', connected, {
      watch: () => ex.watchTicker(symbol),
      // a snapshot over REST, so that a (re)connection starts from the current price
      catchUp: async () => this.onTicker(symbol, await this.#caller.call(`fetchTicker ${symbol}`, () => ex.fetchTicker(symbol))),
      catchUpFailed: 'ticker snapshot over REST failed',
      deliver: (t) => this.onTicker(symbol, t),
    });
  }

  /**
   * One WebSocket subscription kept alive: watch, wait for the connection, catch up over REST, report the first
   * connection, then deliver every update until the stream drops; reconnect with exponential back-off (from
   * `reconnectDelayMs`, at most 30 s) until stopped.
   */
  private async watchLoop<T>(
    symbol: SymbolId,
    what: 'candle' | 'ticker',
    connected: () => void,
    stream: { watch(): Promise<T>; catchUp(): Promise<void>; catchUpFailed: string; deliver(update: T): void },
  ): Promise<void> {
    const ex = this.#exchange;
    const base = this.#options.reconnectDelayMs ?? 500;
    let delay = base;
    let first = true;
    while (!this.#stopper.stopped) {
      const since = Date.now();
      let pending = stream.watch();
      pending.catch(() => undefined);
      await waitForConnection(ex, since, 5_000, this.#stopper);
      try {
        await stream.catchUp();
      } catch (err) {
        this.#logger.warn({ symbol, error: this.redact((err as Error).message) }, stream.catchUpFailed);
      }
      if (first) {
        first = false;
        connected();
      }
      try {
        for (;;) {
          const update = await pending;
          if (this.#stopper.stopped) return;
          delay = base;
          stream.deliver(update);
          pending = stream.watch();
          pending.catch(() => undefined);
        }
      } catch (err) {
        if (this.#stopper.stopped) return;
        this.#logger.warn({ symbol, error: this.redact((err as Error).message), delayMs: delay }, `${what} stream dropped; reconnecting`);
        await this.#stopper.sleep(delay);
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  private async backfill(symbol: SymbolId): Promise<void> {
    const ex = this.#exchange;
    const history = this.#history.get(symbol)!;
    for (let page = 0; page < 100 && !this.#stopper.stopped; page++) {
      const since = Number.isFinite(history.lastTs) ? history.lastTs + this.#tfMs : undefined;
      const rows = await this.#caller.call(`fetchOHLCV ${symbol} ${this.timeframe}`, () => ex.fetchOHLCV(symbol, this.timeframe, since, 1_000));
      const before = history.lastTs;
      this.onRestRows(symbol, rows, true);
      if (rows.length < 1_000 || history.lastTs === before) return;
    }
  }

  // REST rows: a candle is closed when a later one exists or its close time has passed.
  private onRestRows(symbol: SymbolId, rows: readonly OHLCV[], emit: boolean): void {
    const sorted = [...rows].sort((a, b) => Number(a[0]) - Number(b[0]));
    const now = this.#scheduler.now();
    for (let i = 0; i < sorted.length; i++) {
      const c = candleOf(sorted[i]!);
      if (c === undefined) continue;
      const closed = i < sorted.length - 1 || c.ts + this.#tfMs <= now;
      if (closed) this.closeCandle(symbol, c, emit);
      else {
        const forming = this.#forming.get(symbol);
        if (forming === undefined || c.ts >= forming.ts) this.#forming.set(symbol, c);
      }
    }
  }

  // Stream rows: the forming candle closes when a later one starts.
  private onStreamRows(symbol: SymbolId, rows: readonly OHLCV[]): void {
    const sorted = [...rows].sort((a, b) => Number(a[0]) - Number(b[0]));
    for (const row of sorted) {
      const c = candleOf(row);
      if (c === undefined) continue;
      const forming = this.#forming.get(symbol);
      if (forming === undefined || c.ts === forming.ts) this.#forming.set(symbol, c);
      else if (c.ts > forming.ts) {
        this.closeCandle(symbol, forming, true);
        this.#forming.set(symbol, c);
      }
    }
  }

  private closeCandle(symbol: SymbolId, c: Candle, emit: boolean): void {
    if (!(c.low <= Math.min(c.open, c.close) && c.high >= Math.max(c.open, c.close) && c.low > 0)) {
      this.#logger.warn({ symbol, ts: c.ts }, 'skipped a candle with inconsistent OHLC values from the venue');
      return;
    }
    if (!this.#history.get(symbol)!.push(c)) return;
    if (emit) this.#candles.next({ symbol, timeframe: this.timeframe, candle: c });
  }

  private onTicker(symbol: SymbolId, t: Ticker): void {
    if (t.last === undefined || t.last === null) return;
    this.#tickers.next({
      symbol,
      ts: t.timestamp ?? Date.now(),
      last: t.last,
      ...(t.bid !== undefined && t.bid !== null ? { bid: t.bid } : {}),
      ...(t.ask !== undefined && t.ask !== null ? { ask: t.ask } : {}),
      ...(t.quoteVolume !== undefined && t.quoteVolume !== null ? { quoteVolume24h: t.quoteVolume } : {}),
      ...(t.percentage !== undefined && t.percentage !== null ? { change24h: t.percentage / 100 } : {}),
    });
  }

  private redact(text: string): string {
    const ex = this.#exchange as { apiKey?: unknown; secret?: unknown };
    return redact(text, [ex.apiKey, ex.secret].filter((s): s is string => typeof s === 'string'));
  }
}

function candleOf(row: OHLCV): Candle | undefined {
  const [ts, open, high, low, close, volume] = row;
  if (typeof ts !== 'number' || [open, high, low, close].some((v) => typeof v !== 'number' || !Number.isFinite(v))) return undefined;
  return { ts, open: open!, high: high!, low: low!, close: close!, volume: typeof volume === 'number' ? volume : 0 };
}
