import { afterEach, describe, expect, it } from 'vitest';
import type { Candle, CandleEvent } from '@quantum-trader/core';
import { CONTRACT_T0 } from '../../../core/test/contracts/broker-contract.js';
import { CcxtMarketData, type CcxtMarketDataOptions, type TickerEvent } from '../src/market-data/ccxt-market-data.js';
import type { BinanceStandIn } from '../test-utils/binance-stand-in/binance-stand-in.js';
import { exchangeFor, FAST_RETRY, LINEAR, SPOT, startStandIn, until } from '../test-utils/stand-in-harness.js';

const MIN = 60_000;
const candle = (i: number): Candle => {
  const p = 30_000 + i;
  return { ts: CONTRACT_T0 + i * MIN, open: p, high: p + 20, low: p - 20, close: p + 5, volume: 10 + i };
};
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);

describe('CcxtMarketData', () => {
  let standIn: BinanceStandIn;
  let market: CcxtMarketData;
  let seen: CandleEvent[];
  let tickers: TickerEvent[];

  async function setUp(o: Partial<CcxtMarketDataOptions> = {}, kind: 'spot' | 'linear' = 'linear'): Promise<void> {
    standIn = await startStandIn();
    const symbol = kind === 'spot' ? SPOT : LINEAR;
    standIn.seedCandles(symbol, '1m', range(0, 100).map(candle));
    market = new CcxtMarketData({
      exchange: await exchangeFor(standIn, kind, { credentials: undefined }),
      symbols: [symbol],
      timeframe: '1m',
      historyLength: 500,
      reconnectDelayMs: 50,
      retry: FAST_RETRY,
      ...o,
    });
    seen = [];
    tickers = [];
    market.candles$.subscribe((e) => seen.push(e));
    market.tickers$.subscribe((t) => tickers.push(t));
    await market.start();
  }

  afterEach(async () => {
    await market.close();
    await standIn.close();
  });

  const minutes = () => seen.map((e) => (e.candle.ts - CONTRACT_T0) / MIN);

  it('warms the history up over REST and never returns a candle that had not closed', async () => {
    await setUp({ transport: 'poll', pollIntervalMs: 10_000 });
    expect(seen).toEqual([]); // warm-up candles are history, not events
    const h = market.history(LINEAR, 30, CONTRACT_T0 + 100 * MIN);
    expect(h).toHaveLength(30);
    expect(h[0]).toEqual(candle(70));
    expect(h.at(-1)).toEqual(candle(99));
    expect(market.history(LINEAR, 30, CONTRACT_T0 + 100 * MIN - 1).at(-1)).toEqual(candle(98));
  });

  it('streams closed candles over WebSockets, once each and in order, with tickers', async () => {
    await setUp({ tickers: true });
    expect(tickers.at(-1)).toMatchObject({ symbol: LINEAR, last: candle(99).close }); // the REST snapshot
    for (const i of range(100, 105)) standIn.pushCandle(LINEAR, '1m', candle(i));
    await until('five candles', () => seen.length >= 5);
    expect(minutes()).toEqual(range(100, 105));
    expect(seen[0]).toEqual({ symbol: LINEAR, timeframe: '1m', candle: candle(100) });
    expect(market.history(LINEAR, 1, Number.MAX_SAFE_INTEGER)).toEqual([candle(104)]);
    // tickers are a latest-value stream: updates that arrive together may be merged into the last one
    let i = 105;
    for (; i < 125; i++) {
      standIn.pushCandle(LINEAR, '1m', candle(i));
      const last = candle(i).close;
      const got = await until('the ticker', () => tickers.at(-1)?.last === last, 250).then(
        () => true,
        () => false,
      );
      if (got) break;
    }
    expect(i).toBeLessThan(125);
    expect(tickers.at(-1)?.symbol).toBe(LINEAR);
  });

  it('reconnects a dropped stream and back-fills the candles it missed over REST', async () => {
    await setUp();
    standIn.pushCandle(LINEAR, '1m', candle(100));
    await until('the first candle', () => seen.length === 1);
    expect(standIn.dropWebSockets('market')).toBeGreaterThan(0);
    for (const i of range(101, 104)) standIn.pushCandle(LINEAR, '1m', candle(i)); // nobody listening
    await until('the back-fill', () => seen.length >= 4);
    await until('the reconnection', () => standIn.connections('market') > 0);
    standIn.pushCandle(LINEAR, '1m', candle(104));
    await until('the live candle', () => seen.length >= 5);
    await new Promise((r) => setTimeout(r, 50));
    expect(minutes()).toEqual(range(100, 105));
    expect(seen.map((e) => e.candle)).toEqual(range(100, 105).map(candle));
  });

  it('polls over REST when asked', async () => {
    await setUp({ transport: 'poll', pollIntervalMs: 20 }, 'spot');
    for (const i of range(100, 103)) standIn.pushCandle(SPOT, '1m', candle(i));
    await until('three candles', () => seen.length >= 3);
    expect(minutes()).toEqual(range(100, 103));
    expect(seen.every((e) => e.symbol === SPOT)).toBe(true);
  });
});
