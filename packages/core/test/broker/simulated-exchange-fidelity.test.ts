import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedExchange, type FundingPayment } from '../../src/broker/index.js';
import { candleColumnsFrom, type Candle } from '../../src/model/candle.js';
import type { BrokerEvent } from '../../src/model/events.js';
import type { SubmitOrder } from '../../src/model/orders.js';
import { bar, coid, feed, harness, LIN, linearXyz, ManualClock, mustAccept, SPOT, spotXyz, T0, TF, usdt } from './helpers.js';
import { act, randomRunArb, reactLegs, type RandomRun } from './random-run.js';

const mkt = (id: string, side: 'buy' | 'sell', qty: number, symbol = LIN): SubmitOrder => ({
  clientOrderId: coid(id), symbol, side, type: 'market', qty, reduceOnly: false,
});
const flat = (n: number, price = 100, volume = 1_000): Candle[] =>
  Array.from({ length: n }, (_, i) => bar(i, price, price + 1, price - 1, price, volume));

describe('order arrival latency', () => {
  it('an order works from the first candle that opens at or after its arrival', () => {
    for (const [latencyMs, candle] of [[0, 1], [1, 2], [TF, 2], [TF + 1, 3]] as const) {
      const h = harness({ latencyMs });
      feed(h, LIN, flat(5), { 1: (ex) => mustAccept(ex, mkt('e', 'buy', 1)) });
      expect(h.rec.fills.map((f) => f.candle), `latency ${latencyMs}`).toEqual([candle]);
    }
  });

  it('refuses a negative latency', () => {
    expect(() => harness({ latencyMs: -1 })).toThrow(/latencyMs must be a finite number >= 0/);
  });
});

describe('volume-participation slippage', () => {
  // Market buy of 10 at open 100 on a candle of volume 1000: share 1 %.
  it('adds impactBps × share^0.5 to the fixed slippage (10 + 100 × √0.01 = 20 bps → 100.2)', () => {
    const h = harness({ slippageBps: 10, volumeSlippage: { impactBps: 100 } });
    feed(h, LIN, flat(3, 100, 1_000), { 1: (ex) => mustAccept(ex, mkt('e', 'buy', 10)) });
    expect(h.rec.fills[0]!.price).toBe(100.2);
  });

  it('scales linearly with exponent 1 and worsens sells downwards (share 50 % → 50 bps → 99.5)', () => {
    const h = harness({ volumeSlippage: { impactBps: 100, exponent: 1 } });
    feed(h, LIN, flat(3, 100, 20), { 1: (ex) => mustAccept(ex, mkt('e', 'sell', 10)) });
    expect(h.rec.fills[0]!.price).toBe(99.5);
  });

  it('treats a zero-volume candle as full participation and keeps the price inside the candle', () => {
    const h = harness({ volumeSlippage: { impactBps: 500 } });
    feed(h, LIN, flat(3, 100, 0), { 1: (ex) => mustAccept(ex, mkt('e', 'buy', 1)) });
    expect(h.rec.fills[0]!.price).toBe(101); // 105 clamped to the high
  });

  it('slips a triggered stop from its stop price, and leaves limit fills alone', () => {
    const h = harness({ volumeSlippage: { impactBps: 100, exponent: 1 } });
    const candles = [bar(0, 100, 101, 99, 100, 100), bar(1, 100, 101, 99, 100, 100), bar(2, 100, 100.5, 97, 98, 100)];
    feed(h, LIN, candles, {
      1: (ex) => mustAccept(ex, mkt('e', 'buy', 10)),
      2: (ex) => {
        mustAccept(ex, { clientOrderId: coid('sl'), symbol: LIN, side: 'sell', type: 'stop_market', qty: 10, stopPrice: 99, reduceOnly: true });
      },
    });
    // entry: share 10 % → 10 bps → 100.1; stop: 99 × (1 − 0.001) = 98.901 → floored to the tick 98.9
    expect(h.rec.fills.map((f) => f.price)).toEqual([100.1, 98.9]);
  });
});

describe('funding payments', () => {
  const rate = (i: number, r: number) => ({ ts: T0 + i * TF, rate: r });

  it('charges longs and pays shorts qty × open × rate at the first candle opening at or after each funding time', () => {
    const payments: FundingPayment[] = [];
    const h = harness({ fundingRates: { [LIN]: [rate(0, 0.01), rate(2, 0.001), rate(3.5, -0.002)] } });
    h.ex.funding$.subscribe((p) => payments.push(p));
    const candles = [bar(0, 100, 101, 99, 100), bar(1, 100, 101, 99, 100), bar(2, 110, 111, 109, 110), bar(3, 110, 111, 109, 110), bar(4, 120, 121, 119, 120)];
    feed(h, LIN, candles, { 1: (ex) => mustAccept(ex, mkt('e', 'buy', 10)) });
    // t0: flat (nothing); t2: long 10 × 110 × 0.001 = −1.1; t3.5 settles at candle 4's open: −10 × 120 × −0.002 = +2.4
    expect(payments.map((p) => [p.ts, p.positionQty, p.markPrice, p.amount])).toEqual([
      [T0 + 2 * TF, 10, 110, expect.closeTo(-1.1, 12)],
      [T0 + 3.5 * TF, 10, 120, expect.closeTo(2.4, 12)],
    ]);
    const fee = 10 * 100 * linearXyz.takerFee;
    expect(usdt(h.ex).total).toBeCloseTo(10_000 - fee - 1.1 + 2.4, 9);
    expect(h.ex.fidelityStats().fundingPaid).toBeCloseTo(1.3, 12);
  });

  it('pays a short when the rate is positive, and ignores spot holdings', () => {
    const payments: FundingPayment[] = [];
    const h = harness({ fundingRates: { [LIN]: [rate(2, 0.001)], [SPOT]: [rate(2, 0.001)] } });
    h.ex.funding$.subscribe((p) => payments.push(p));
    feed(h, LIN, flat(3), { 1: (ex) => mustAccept(ex, mkt('s', 'sell', 10)) });
    feed(h, SPOT, flat(3), { 1: (ex) => mustAccept(ex, mkt('b', 'buy', 10, SPOT)) });
    expect(payments).toHaveLength(1);
    expect(payments[0]!.amount).toBeCloseTo(1, 12);
  });

  it('ends a quiet run at the candle that reaches the next funding time, which then settles it as usual', () => {
    const h = harness({ fundingRates: { [LIN]: [rate(2, 0.001), rate(6, 0.001)] } });
    feed(h, LIN, flat(2), { 1: (ex) => mustAccept(ex, mkt('e', 'buy', 10)) });
    const cols = candleColumnsFrom(flat(10));
    // a long position, no order: quiet up to candle 6, whose open time is the second funding time (the first is settled)
    expect(h.ex.quietUntil(LIN, cols, 2, 10)).toBe(2); // candle 2 reaches the first funding time
    h.ex.onCandle(LIN, bar(2, 100, 101, 99, 100));
    expect(h.ex.quietUntil(LIN, cols, 3, 10)).toBe(6);
    expect(h.ex.quietUntil(LIN, cols, 3, 5)).toBe(5);
    // asked again with the end of a window found quiet: only the rest is looked at, the answer is the same
    expect(h.ex.quietUntil(LIN, cols, 3, 10, 5)).toBe(6);
    expect(h.ex.quietUntil(LIN, cols, 3, 10, 6)).toBe(6);
    expect(harness().ex.quietUntil(LIN, cols, 3, 10)).toBe(10); // no series: no funding stop
  });

  it('is settled once across a state export and import', () => {
    const options = { fundingRates: { [LIN]: [rate(2, 0.001), rate(4, 0.001)] } };
    const h = harness(options);
    feed(h, LIN, flat(3), { 1: (ex) => mustAccept(ex, mkt('e', 'buy', 10)) });
    const saved = JSON.parse(JSON.stringify(h.ex.exportState())) as ReturnType<SimulatedExchange['exportState']>;
    expect(saved.fundingSettled).toEqual({ [LIN]: T0 + 2 * TF });
    const clock = new ManualClock();
    const resumed = SimulatedExchange.fromState(saved, { instruments: [linearXyz, spotXyz], balances: {}, scheduler: clock, ...options });
    const paid: number[] = [];
    resumed.funding$.subscribe((p) => paid.push(p.ts));
    for (let i = 2; i < 5; i++) {
      clock.t = T0 + (i + 1) * TF;
      resumed.onCandle(LIN, bar(i, 100, 101, 99, 100));
    }
    expect(paid).toEqual([T0 + 4 * TF]);
  });

  it('refuses an unsorted series, naming the symbol and entry', () => {
    expect(() => harness({ fundingRates: { [LIN]: [rate(2, 0.001), rate(1, 0.001)] } })).toThrow(
      /fundingRates of XYZ\/USDT:USDT must be sorted by time without duplicates: entry 1/,
    );
  });
});

describe('refinement of ambiguous candles from finer candles', () => {
  // Coarse candles of TF (60 s) refined with 20 s candles. Long 10 @ 100 from candle 1; at candle 2 a TP at 103 and
  // a stop at 97 are both inside the candle [96, 104]: the conservative path takes the stop.
  const coarse = [bar(0, 100, 101, 99, 100), bar(1, 100, 101, 99, 100), bar(2, 100, 104, 96, 99)];
  const sub = (i: number, k: number, o: number, hi: number, lo: number, c: number): Candle => ({
    ts: T0 + i * TF + k * 20_000, open: o, high: hi, low: lo, close: c, volume: 300,
  });
  const upFirst = [sub(2, 0, 100, 104, 99.5, 103.5), sub(2, 1, 103.5, 103.6, 96, 97), sub(2, 2, 97, 99, 96.5, 99)];
  const legs = (ex: SimulatedExchange) => {
    mustAccept(ex, { clientOrderId: coid('tp'), symbol: LIN, side: 'sell', type: 'limit', qty: 10, price: 103, reduceOnly: true });
    mustAccept(ex, { clientOrderId: coid('sl'), symbol: LIN, side: 'sell', type: 'stop_market', qty: 10, stopPrice: 97, reduceOnly: true });
  };
  const run = (fine: readonly Candle[] | undefined) => {
    const h = harness(fine === undefined ? {} : { refinement: { candleMs: TF, fineMs: 20_000, candles: { [LIN]: fine } } });
    feed(h, LIN, coarse, { 1: (ex) => mustAccept(ex, mkt('e', 'buy', 10)), 2: legs });
    return h;
  };

  it('without finer data the conservative path exits at the stop', () => {
    const h = run(undefined);
    expect(h.rec.fills.map((f) => `${f.clientOrderId} ${f.price}`)).toEqual(['e 100', 'sl 97']);
    expect(h.ex.fidelityStats()).toMatchObject({ ambiguousCandles: 1, refinedCandles: 0 });
  });

  it('with finer candles that reach the TP first, the TP fills and the stop is canceled', () => {
    const h = run(upFirst);
    expect(h.rec.fills.map((f) => `${f.clientOrderId} ${f.price} (${f.liquidity})`)).toEqual(['e 100 (taker)', 'tp 103 (maker)']);
    expect(h.rec.cancels.map((c) => `${c.clientOrderId}: ${c.reason}`)).toEqual(['sl: reduce-only: no position to reduce']);
    expect(h.ex.fidelityStats()).toMatchObject({ ambiguousCandles: 1, refinedCandles: 1 });
  });

  it('with finer candles that fall first, the stop fills (the finer path decides, not the mode)', () => {
    const downFirst = [sub(2, 0, 100, 100.5, 96, 96.5), sub(2, 1, 96.5, 104, 96.4, 103), sub(2, 2, 103, 103.2, 98, 99)];
    const h = run(downFirst);
    expect(h.rec.fills.map((f) => `${f.clientOrderId} ${f.price}`)).toEqual(['e 100', 'sl 97']);
  });

  it('falls back to the intrabar path when a finer candle is missing', () => {
    const h = run([upFirst[0]!, upFirst[2]!]);
    expect(h.rec.fills.map((f) => f.clientOrderId)).toEqual(['e', 'sl']);
    expect(h.ex.fidelityStats()).toMatchObject({ ambiguousCandles: 1, refinedCandles: 0 });
  });

  it('leaves unambiguous candles on the coarse path', () => {
    const h = harness({ refinement: { candleMs: TF, fineMs: 20_000, candles: { [LIN]: upFirst } } });
    feed(h, LIN, coarse, { 1: (ex) => mustAccept(ex, mkt('e', 'buy', 10)) });
    expect(h.ex.fidelityStats()).toMatchObject({ ambiguousCandles: 0, refinedCandles: 0 });
  });

  it('refuses finer candles that do not divide the candle or are unsorted', () => {
    expect(() => harness({ refinement: { candleMs: TF, fineMs: 7_000, candles: {} } })).toThrow(/fineMs dividing candleMs/);
    expect(() => harness({ refinement: { candleMs: TF, fineMs: 20_000, candles: { [LIN]: [upFirst[1]!, upFirst[0]!] } } })).toThrow(
      /refinement candles of XYZ\/USDT:USDT must be sorted by time/,
    );
  });
});

describe('no look-ahead (fast-check)', () => {
  // Runs a random order flow; then runs it again with every candle from `cut` on replaced by other prices.
  // Every event stamped before the first replaced candle closed must be identical.
  function events(run: RandomRun, candles: readonly Candle[], latencyMs: number): BrokerEvent[] {
    const clock = new ManualClock();
    const ex = new SimulatedExchange({
      instruments: [linearXyz, spotXyz],
      balances: { USDT: run.quote },
      scheduler: clock,
      intrabar: run.intrabar,
      slippageBps: run.slippageBps,
      latencyMs,
      volumeSlippage: { impactBps: 30 },
      ...(run.participation !== undefined ? { maxVolumeParticipation: run.participation } : {}),
    });
    const log: BrokerEvent[] = [];
    ex.events$.subscribe((e) => {
      log.push(e);
      reactLegs(ex, run, e);
    });
    for (let i = 0; i < candles.length; i++) {
      const c = candles[i]!;
      clock.t = c.ts;
      act(ex, run, i);
      clock.t = c.ts + TF;
      ex.onCandle(run.symbol, c);
    }
    return log;
  }

  it('events before the first changed candle closes do not depend on later candles', () => {
    fc.assert(
      fc.property(randomRunArb, fc.nat(), fc.double({ min: 0.5, max: 1.5, noNaN: true }), fc.constantFrom(0, 1), (run, k, factor, latencyMs) => {
        const cut = k % run.candles.length;
        const changed = run.candles.map((c, i) =>
          i < cut ? c : { ...c, open: c.open * factor, high: c.high * factor * 1.01, low: c.low * factor * 0.99, close: c.close * factor, volume: c.volume + 7 },
        );
        const before = T0 + cut * TF + TF;
        const a = events(run, run.candles, latencyMs).filter((e) => e.ts < before);
        const b = events(run, changed, latencyMs).filter((e) => e.ts < before);
        expect(b).toEqual(a);
      }),
      { numRuns: 150 },
    );
  });
});
