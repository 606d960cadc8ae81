import { describe, expect, it } from 'vitest';
import type { Candle } from '../../src/model/candle.js';
import { symbolId } from '../../src/model/ids.js';
import { momentumStrategy } from '../../src/strategy/momentum-strategy.js';

const S = symbolId('BTC/USDT:USDT');
const candle = (i: number, close: number): Candle => ({ ts: i * 300_000, open: close, high: close, low: close, close, volume: 1 });

function feed(closes: number[], params = {}) {
  const strategy = momentumStrategy({ timeframe: '5m', ...params });
  closes.forEach((c, i) => strategy.onCandle(S, candle(i, c)));
  return strategy;
}

describe('momentumStrategy (24 h momentum, the default strategy)', () => {
  it('compares the last close with the close 24 h (288 five-minute candles) earlier', () => {
    const closes = Array.from({ length: 289 }, (_, i) => (i === 0 ? 100 : 101.5));
    const d = feed(closes).evaluate(S, 0);
    expect(d?.direction).toBe('long');
    expect(d?.strength).toBeCloseTo(0.015, 12);
    expect(d?.reason).toBe('24h momentum +1.50% > +1.00%');
  });

  it('says nothing before it has 24 h of history', () => {
    expect(feed(Array.from({ length: 288 }, () => 100)).evaluate(S, 0)).toBeUndefined();
  });

  it('emits SHORT below -1 % and nothing inside the ±1 % band', () => {
    const at = (last: number) => feed(Array.from({ length: 289 }, (_, i) => (i === 0 ? 100 : last))).evaluate(S, 0);
    expect(at(98.9)?.direction).toBe('short');
    expect(at(99.5)).toBeUndefined();
    expect(at(100.99)).toBeUndefined();
  });

  it('scales the look-back with the timeframe', () => {
    expect(momentumStrategy({ timeframe: '1h' }).warmupCandles).toBe(25);
    expect(momentumStrategy({ timeframe: '1m' }).warmupCandles).toBe(1441);
  });

  it('refuses thresholds that do not bracket zero with a clear error', () => {
    expect(() => momentumStrategy({ longThreshold: -0.01 })).toThrow(/expected longThreshold > 0 > shortThreshold/);
    expect(() => momentumStrategy({ lookbackHours: 0 })).toThrow(/lookbackHours must be > 0/);
  });
});
