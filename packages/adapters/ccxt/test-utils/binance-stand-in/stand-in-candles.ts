import { TIMEFRAME_MS, type Candle, type Timeframe, type UnixMillis } from '@quantum-trader/core';
import { dec, type MarketKind } from './binance-json.js';

function key(kind: MarketKind, marketId: string, tf: string): string {
  return `${kind}:${marketId}:${tf}`;
}

/** The stand-in's candles per market kind, market and timeframe: klines and 24-hour tickers are read from here. */
export class CandleStore {
  private readonly candles = new Map<string, Candle[]>();

  /** Stores candles (sorted, replacing same-time ones). */
  put(kind: MarketKind, marketId: string, timeframe: Timeframe, candles: readonly Candle[]): void {
    const k = key(kind, marketId, timeframe);
    const list = this.candles.get(k) ?? [];
    for (const c of candles) insertCandle(list, c);
    this.candles.set(k, list);
  }

  /** Rows of `GET klines`: stored candles only (the stand-in has no forming candle over REST). */
  klines(kind: MarketKind, marketId: string, interval: string, startTime?: number, endTime?: number, limit = 500): unknown[] {
    const list = this.candles.get(key(kind, marketId, interval)) ?? [];
    const tf = TIMEFRAME_MS[interval as Timeframe] ?? 60_000;
    let from: number;
    let to = endTime === undefined ? list.length : lowerBound(list, endTime + 1);
    if (startTime !== undefined) {
      from = lowerBound(list, startTime);
      to = Math.min(to, from + limit);
    } else {
      // without a start Binance answers the most recent candles
      from = Math.max(0, to - limit);
    }
    return list.slice(from, Math.max(from, to)).map((c) => klineRow(c, tf));
  }

  /** The body of a 24-hour ticker from the finest stored candles of a market. */
  ticker(kind: MarketKind, marketId: string, now: UnixMillis): Record<string, unknown> {
    let series: Candle[] = [];
    let tfMs = Infinity;
    for (const [k, list] of this.candles) {
      const [kk, id, tf] = k.split(':');
      if (kk !== kind || id !== marketId || list.length === 0) continue;
      const ms = TIMEFRAME_MS[tf as Timeframe] ?? Infinity;
      if (ms < tfMs) {
        tfMs = ms;
        series = list;
      }
    }
    const last = series[series.length - 1];
    const closeTime = last === undefined ? now : last.ts + tfMs - 1;
    const window = series.filter((c) => c.ts > closeTime - 86_400_000);
    const first = window[0];
    const open = first?.open ?? 0;
    const lastPrice = last?.close ?? 0;
    let high = 0;
    let low = Number.POSITIVE_INFINITY;
    let volume = 0;
    for (const c of window) {
      if (c.high > high) high = c.high;
      if (c.low < low) low = c.low;
      volume += c.volume;
    }
    if (!Number.isFinite(low)) low = 0;
    return {
      symbol: marketId,
      priceChange: dec(lastPrice - open),
      priceChangePercent: dec(open > 0 ? ((lastPrice - open) / open) * 100 : 0),
      weightedAvgPrice: dec(lastPrice),
      lastPrice: dec(lastPrice),
      lastQty: '0',
      openPrice: dec(open),
      highPrice: dec(high),
      lowPrice: dec(low),
      volume: dec(volume),
      quoteVolume: dec(volume * lastPrice),
      openTime: first?.ts ?? now,
      closeTime,
      firstId: 1,
      lastId: 1,
      count: window.length,
    };
  }
}

export function klineEvent(marketId: string, interval: string, c: Candle, tf: number, closed: boolean, now: number): Record<string, unknown> {
  return {
    e: 'kline',
    E: now,
    s: marketId,
    k: {
      t: c.ts,
      T: c.ts + tf - 1,
      s: marketId,
      i: interval,
      f: 1,
      L: 1,
      o: dec(c.open),
      c: dec(c.close),
      h: dec(c.high),
      l: dec(c.low),
      v: dec(c.volume),
      n: 1,
      x: closed,
      q: dec(c.volume * c.close),
      V: '0',
      Q: '0',
      B: '0',
    },
  };
}

export function tickerEvent(t: Record<string, unknown>, now: number): Record<string, unknown> {
  return {
    e: '24hrTicker',
    E: now,
    s: t.symbol,
    p: t.priceChange,
    P: t.priceChangePercent,
    w: t.weightedAvgPrice,
    c: t.lastPrice,
    Q: t.lastQty,
    o: t.openPrice,
    h: t.highPrice,
    l: t.lowPrice,
    v: t.volume,
    q: t.quoteVolume,
    O: t.openTime,
    C: t.closeTime,
    F: 1,
    L: 1,
    n: t.count,
  };
}

function lowerBound(list: readonly Candle[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertCandle(list: Candle[], c: Candle): void {
  const i = lowerBound(list, c.ts);
  if (list[i]?.ts === c.ts) list[i] = c;
  else list.splice(i, 0, c);
}

function klineRow(c: Candle, tf: number): unknown[] {
  return [c.ts, dec(c.open), dec(c.high), dec(c.low), dec(c.close), dec(c.volume), c.ts + tf - 1, dec(c.volume * c.close), 100, '0', '0', '0'];
}

/** The `@miniTicker` stream event of a `@ticker` event. */
export function miniTickerEvent(t: Record<string, unknown>): Record<string, unknown> {
  return { e: '24hrMiniTicker', E: t.E, s: t.s, c: t.c, o: t.o, h: t.h, l: t.l, v: t.v, q: t.q };
}
