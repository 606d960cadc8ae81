import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedExchange } from '../../src/broker/index.js';
import type { Candle } from '../../src/model/candle.js';
import type { BrokerEvent } from '../../src/model/events.js';
import { linearXyz, ManualClock, spotXyz, TF } from './helpers.js';
import { act, randomRunArb, reactLegs, type RandomRun } from './random-run.js';

function exchangeFor(run: RandomRun, clock: ManualClock): SimulatedExchange {
  return new SimulatedExchange({
    instruments: [linearXyz, spotXyz],
    balances: { USDT: run.quote },
    scheduler: clock,
    intrabar: run.intrabar,
    slippageBps: run.slippageBps,
    ...(run.participation !== undefined ? { maxVolumeParticipation: run.participation } : {}),
  });
}

describe('SimulatedExchange invariants (fast-check)', () => {
  it('never fills outside the candle, never goes negative, never flips on reduce-only, never overfills', () => {
    fc.assert(
      fc.property(randomRunArb, (run) => {
        const clock = new ManualClock();
        const ex = exchangeFor(run, clock);
        let candle: Candle | undefined;
        let pos = 0; // our own net position, rebuilt from the fills
        const filledByOrder = new Map<string, number>();
        const ids = new Set<string>();
        const problems: string[] = [];
        ex.events$.subscribe((e: BrokerEvent) => {
          if (ids.has(e.id)) problems.push(`duplicate event id ${e.id}`);
          ids.add(e.id);
          if (e.type !== 'OrderFilled') return;
          if (candle === undefined) {
            problems.push(`fill ${e.id} outside onCandle`);
            return;
          }
          if (!(e.price >= candle.low && e.price <= candle.high)) {
            problems.push(`fill ${e.id} at ${e.price} outside [${candle.low}, ${candle.high}]`);
          }
          if (!(e.qty > 0)) problems.push(`fill ${e.id} with qty ${e.qty}`);
          const signed = e.side === 'buy' ? e.qty : -e.qty;
          if (e.reduceOnly || e.liquidation === true) {
            if (!(pos * signed < 0 && e.qty <= Math.abs(pos) + 1e-9)) {
              problems.push(`reduce-only fill ${e.id} of ${signed} against position ${pos}`);
            }
          }
          pos = Math.round((pos + signed) * 100) / 100;
          if (run.symbol === spotXyz.symbol && pos < 0) problems.push(`spot position went short: ${pos}`);
          const total = Math.round(((filledByOrder.get(e.clientOrderId) ?? 0) + e.qty) * 100) / 100;
          filledByOrder.set(e.clientOrderId, total);
          const order = ex.getOrder(e.clientOrderId, e.symbol);
          if (order === undefined || total > order.qty + 1e-9) problems.push(`order ${e.clientOrderId} overfilled: ${total}`);
          if (order !== undefined && Math.abs(order.qty - total - e.remainingQty) > 1e-9) {
            problems.push(`remainingQty of ${e.id} is ${e.remainingQty}, expected ${order.qty - total}`);
          }
          reactLegs(ex, run, e);
        });

        run.candles.forEach((c, i) => {
          clock.t = c.ts;
          act(ex, run, i);
          clock.t = c.ts + TF;
          candle = c;
          ex.onCandle(run.symbol, c);
          candle = undefined;
          for (const b of ex.balances()) {
            if (b.total < -1e-9) problems.push(`candle ${i}: ${b.currency} total ${b.total}`);
            if (b.free < -1e-6 * Math.max(1, b.total)) problems.push(`candle ${i}: ${b.currency} free ${b.free}`);
          }
          const venuePos = ex.positions().find((p) => p.symbol === run.symbol);
          const venueSigned = venuePos === undefined ? 0 : venuePos.side === 'long' ? venuePos.qty : -venuePos.qty;
          if (venuePos !== undefined && !(venuePos.qty > 0)) problems.push(`candle ${i}: position qty ${venuePos.qty}`);
          if (Math.abs(venueSigned - pos) > 1e-9) problems.push(`candle ${i}: venue position ${venueSigned}, fills say ${pos}`);
        });
        expect(problems).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});
