import { symbolId, type Candle, type Instrument } from '@quantum-trader/core';

/** The linear perpetual the integration tests trade: round ticks and lots so hand-computed prices stay exact. */
export const S = symbolId('TEST/USDT:USDT');
export const T0 = Date.UTC(2021, 0, 1);
export const M5 = 300_000;
export const instrument: Instrument = {
  symbol: S,
  base: 'TEST',
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

/** One hand-written candle: open, high, low, close. */
export type Row = [open: number, high: number, low: number, close: number];

/** 5-minute candles from T0, one per row. */
export function candlesOf(rows: readonly Row[], volume = 1_000): Candle[] {
  return rows.map(([open, high, low, close], i) => ({ ts: T0 + i * M5, open, high, low, close, volume }));
}
