import { fileURLToPath } from 'node:url';
import { sliceCandles, symbolId, type Candle, type Instrument } from '@quantum-trader/core';
import { loadCandleDirectory, type BacktestSeries } from '../src/index.js';

export const T0 = Date.UTC(2021, 0, 1);
export const M5 = 300_000;
export const SYM = 'TEST/USDT:USDT';
export const SYM2 = 'TWO/USDT:USDT';

/** A linear perpetual with round numbers (tick 0.01, lot 0.001, maker 2 bps, taker 4 bps). */
export function testInstrument(symbol = SYM): Instrument {
  return {
    symbol: symbolId(symbol),
    base: symbol.split('/')[0]!,
    quote: 'USDT',
    contractType: 'linear',
    tickSize: 0.01,
    lotStep: 0.001,
    minQty: 0.001,
    minNotional: 5,
    maxLeverage: 125,
    makerFee: 0.0002,
    takerFee: 0.0004,
  };
}

export type Row = [open: number, high: number, low: number, close: number];

/** 5-minute candles from [open, high, low, close] rows, starting at T0. */
export function candles(rows: readonly Row[], start = T0): Candle[] {
  return rows.map(([open, high, low, close], i) => ({ ts: start + i * M5, open, high, low, close, volume: 1_000 }));
}

/** A one-candle momentum: a close 2 % above the previous one is a LONG signal. */
export const FAST = { name: 'momentum', params: { lookbackHours: 5 / 60 } } as const;

const DATA_DIR = fileURLToPath(new URL('../../runner/data/binance/', import.meta.url));
const cache = new Map<string, BacktestSeries[]>();

/** Real Binance candles from the runner's bundled data, cut to [from, to) (loaded once per timeframe). */
export function realData(timeframe: '5m' | '1m', symbols: readonly string[], from: string, to: string): BacktestSeries[] {
  const key = `${timeframe}|${symbols.join(',')}`;
  let all = cache.get(key);
  if (all === undefined) {
    all = loadCandleDirectory(DATA_DIR, { timeframe, symbols });
    cache.set(key, all);
  }
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return all.map((s) => ({ symbol: s.symbol, candles: sliceCandles(s.candles, a, b) }));
}
