import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { SimulatedExchange, type SimulatedExchangeOptions } from '../../src/broker/index.js';
import type { Candle } from '../../src/model/candle.js';
import type { OrderCanceled, OrderFilled } from '../../src/model/events.js';
import type { ClientOrderId, SymbolId } from '../../src/model/ids.js';
import type { Instrument } from '../../src/model/instrument.js';
import type { SubmitOrder } from '../../src/model/orders.js';

export const TF = 60_000;
export const T0 = 1_609_459_200_000;

/** A scheduler whose clock the test sets by hand; nothing is ever scheduled on it. */
export class ManualClock implements SchedulerLike {
  t = T0;
  now(): number {
    return this.t;
  }
  schedule<T>(_work: (this: SchedulerAction<T>, state?: T) => void): Subscription {
    throw new Error('ManualClock does not schedule work');
  }
}

export const LIN = 'XYZ/USDT:USDT' as SymbolId;
export const SPOT = 'XYZ/USDT' as SymbolId;

/** A linear perpetual with round numbers: tick 0.01, lot 0.01, maker 2 bps, taker 4 bps, mmr 0.004 (default). */
export const linearXyz: Instrument = {
  symbol: LIN,
  base: 'XYZ',
  quote: 'USDT',
  contractType: 'linear',
  tickSize: 0.01,
  lotStep: 0.01,
  minQty: 0.01,
  minNotional: 5,
  maxLeverage: 20,
  makerFee: 0.0002,
  takerFee: 0.0004,
};

/** A spot market with round numbers: tick 0.01, lot 0.01, fees 0.1 %. */
export const spotXyz: Instrument = {
  symbol: SPOT,
  base: 'XYZ',
  quote: 'USDT',
  contractType: 'spot',
  tickSize: 0.01,
  lotStep: 0.01,
  minQty: 0.01,
  minNotional: 10,
  maxLeverage: 1,
  makerFee: 0.001,
  takerFee: 0.001,
};

/** Candle `i` of a series starting at T0. */
export function bar(i: number, open: number, high: number, low: number, close: number, volume = 1_000): Candle {
  return { ts: T0 + i * TF, open, high, low, close, volume };
}

export function coid(s: string): ClientOrderId {
  return s as ClientOrderId;
}

export interface Recorded {
  readonly fills: Array<OrderFilled & { readonly candle: number }>;
  readonly cancels: Array<OrderCanceled & { readonly candle: number }>;
}

export interface Harness {
  readonly ex: SimulatedExchange;
  readonly clock: ManualClock;
  readonly rec: Recorded;
  /** Index of the candle being matched (or the last one matched). */
  current: number;
}

export function harness(options: Partial<SimulatedExchangeOptions> = {}, clock = new ManualClock()): Harness {
  const ex = new SimulatedExchange({
    instruments: [linearXyz, spotXyz],
    balances: { USDT: 10_000 },
    scheduler: clock,
    ...options,
  });
  const h: Harness = { ex, clock, rec: { fills: [], cancels: [] }, current: -1 };
  ex.events$.subscribe((e) => {
    if (e.type === 'OrderFilled') h.rec.fills.push({ ...e, candle: h.current });
    else if (e.type === 'OrderCanceled') h.rec.cancels.push({ ...e, candle: h.current });
  });
  return h;
}

/**
 * Feeds candles of one symbol. Before candle `i` opens (virtual time = its open time = the previous close),
 * `before[i]` runs; then the clock moves to the candle's close and `onCandle` is called.
 */
export function feed(
  h: Harness,
  symbol: SymbolId,
  candles: readonly Candle[],
  before: Readonly<Record<number, (ex: SimulatedExchange) => void>> = {},
): void {
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    h.clock.t = c.ts;
    before[i]?.(h.ex);
    h.clock.t = c.ts + TF;
    h.current = i;
    h.ex.onCandle(symbol, c);
  }
}

/** Submits and fails the test if the venue rejects. */
export function mustAccept(ex: SimulatedExchange, order: SubmitOrder): void {
  const res = ex.submit(order);
  if (res.status !== 'accepted') throw new Error(`rejected ${order.clientOrderId}: ${res.code} ${res.reason}`);
}

export function usdt(ex: SimulatedExchange): { total: number; free: number; used: number } {
  const b = ex.balances().find((x) => x.currency === 'USDT');
  return b ?? { total: 0, free: 0, used: 0 };
}
