import { decimalsOf, symbolId, type Instrument } from '@quantum-trader/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { standardLadder } from '@quantum-trader/exit-brain';
import { POSITION } from './fixtures.js';

const STEPS = [0.00001, 0.0001, 0.001, 0.01, 0.1, 0.25, 0.5, 1, 5, 10] as const;

const instrumentArb = fc
  .record({
    tickSize: fc.constantFrom(...STEPS),
    lotStep: fc.constantFrom(...STEPS),
    minLots: fc.integer({ min: 1, max: 5 }),
    minNotional: fc.constantFrom(0, 5, 10, 100),
  })
  .map(
    ({ tickSize, lotStep, minLots, minNotional }): Instrument => ({
      symbol: symbolId('XYZ/USDT:USDT'),
      base: 'XYZ',
      quote: 'USDT',
      contractType: 'linear',
      tickSize,
      lotStep,
      minQty: Number((lotStep * minLots).toFixed(decimalsOf(lotStep))),
      minNotional,
      maxLeverage: 20,
      makerFee: 0.0002,
      takerFee: 0.0004,
    }),
  );

const caseArb = instrumentArb.chain((instrument) =>
  fc.record({
    instrument: fc.constant(instrument),
    side: fc.constantFrom('long' as const, 'short' as const),
    // On-tick and off-tick entries, from a few ticks to ten million ticks.
    entryTicks: fc.double({ min: 3, max: 1e7, noNaN: true }),
    offTick: fc.boolean(),
    lots: fc.integer({ min: 1, max: 1_000_000 }),
    volatility: fc.oneof(fc.double({ min: 0, max: 0.2, noNaN: true }), fc.constant(Number.NaN), fc.constant(undefined)),
    stopLossPct: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
  }),
);

const units = (qty: number, step: number): number => qty / step;
const isWhole = (x: number): boolean => Math.abs(x - Math.round(x)) < 1e-6;

describe('standardLadder (properties)', () => {
  it('splits any position into lot-step legs that add up to it exactly, on the right sides of the entry', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { instrument } = c;
        const entryPrice = c.offTick
          ? c.entryTicks * instrument.tickSize
          : Math.round(c.entryTicks) * instrument.tickSize;
        const qty = Number((c.lots * instrument.lotStep).toFixed(decimalsOf(instrument.lotStep)));
        const plan = standardLadder({
          positionId: POSITION,
          symbol: instrument.symbol,
          side: c.side,
          qty,
          entryPrice,
          volatility: c.volatility,
          instrument,
          profile: { stopLossPct: c.stopLossPct },
        });
        const tps = plan.legs.filter((l) => l.kind === 'take_profit');
        const sls = plan.legs.filter((l) => l.kind === 'stop_loss');

        // Sum of take-profit legs = position size, exactly in lot steps.
        const tpUnits = tps.map((l) => units(l.qty, instrument.lotStep));
        expect(tpUnits.every(isWhole)).toBe(true);
        expect(tpUnits.reduce((a, b) => a + Math.round(b), 0)).toBe(c.lots);
        expect(Math.abs(tps.reduce((a, l) => a + l.qty, 0) - qty)).toBeLessThan(instrument.lotStep * 1e-6);

        // One stop loss on the whole position.
        expect(sls).toHaveLength(1);
        expect(sls[0]!.qty).toBe(qty);

        // Every leg tradable; a position too small for two legs keeps one.
        expect(tps.length).toBeGreaterThanOrEqual(1);
        expect(tps.length).toBeLessThanOrEqual(3);
        for (const l of tps) {
          expect(l.qty).toBeGreaterThan(0);
          if (qty >= instrument.minQty) expect(l.qty).toBeGreaterThanOrEqual(instrument.minQty - 1e-12);
          if (tps.length > 1) expect(l.qty * l.price).toBeGreaterThanOrEqual(instrument.minNotional * (1 - 1e-9));
        }

        // Prices on the tick grid, take profits strictly profitable, stop strictly losing (and above zero).
        for (const l of plan.legs) expect(isWhole(l.price / instrument.tickSize)).toBe(true);
        const sl = sls[0]!.price;
        if (c.side === 'long') {
          for (const l of tps) expect(l.price).toBeGreaterThan(entryPrice);
          expect(sl).toBeLessThan(entryPrice);
        } else {
          for (const l of tps) expect(l.price).toBeLessThan(entryPrice);
          expect(sl).toBeGreaterThan(entryPrice);
        }
        expect(sl).toBeGreaterThan(0);

        // Legs further out never sit closer to the entry than earlier ones.
        for (let i = 1; i < tps.length; i++) {
          const closer = c.side === 'long' ? tps[i]!.price >= tps[i - 1]!.price : tps[i]!.price <= tps[i - 1]!.price;
          expect(closer).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
