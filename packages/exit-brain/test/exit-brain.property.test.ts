import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundToStep } from '@quantum-trader/core';
import { BUILT_IN_PROFILES, type ExecutionMode } from '@quantum-trader/exit-brain';
import { INSTRUMENT, run, type Row, type World } from './support/kernel-harness.js';

// Invariants of a plan, checked after every candle of random price paths run through the real kernel and the
// simulated exchange, for every built-in profile, both execution modes, both sides, leverage 1–10x and volume caps
// that split fills:
// - no exit order survives a flat position;
// - while the position is open (and no exit is under way), a stop covering all of it exists;
// - the take-profit legs still open add up to the position (ladder profiles, before any trail or exit).

const tick = INSTRUMENT.tickSize;
const px = (x: number): number => roundToStep(Math.max(1, x), tick);

const step = fc.record({
  gap: fc.oneof(fc.double({ min: -0.003, max: 0.003, noNaN: true }), fc.double({ min: -0.04, max: 0.04, noNaN: true })),
  body: fc.double({ min: -0.03, max: 0.03, noNaN: true }),
  up: fc.double({ min: 0, max: 0.025, noNaN: true }),
  down: fc.double({ min: 0, max: 0.025, noNaN: true }),
  volume: fc.integer({ min: 1, max: 60 }),
});

function rowsOf(steps: readonly { gap: number; body: number; up: number; down: number; volume: number }[]): Row[] {
  const rows: Row[] = [[100, 100, 100, 100, 1_000]];
  let close = 100;
  for (const s of steps) {
    const open = px(close * (1 + s.gap));
    const c = px(open * (1 + s.body));
    const high = px(Math.max(open, c) * (1 + s.up));
    const low = px(Math.min(open, c) * (1 - s.down));
    rows.push([open, high, low, c, s.volume]);
    close = c;
  }
  return rows;
}

const scenario = fc.record({
  steps: fc.array(step, { minLength: 3, maxLength: 12 }),
  side: fc.constantFrom('long' as const, 'short' as const),
  units: fc.integer({ min: 50, max: 20_000 }),
  profile: fc.constantFrom(...BUILT_IN_PROFILES.map((p) => p.name)),
  // Paths move at most ~10 % per candle. Resting stops sit well before liquidation at up to 10x; local stops act
  // a candle later, so they get at most 3x. (Liquidations are the venue's business, not the plan's.)
  venue: fc.record({ mode: fc.constant<ExecutionMode>('venue'), leverage: fc.constantFrom(1, 2, 3, 5, 10) }),
  local: fc.record({ mode: fc.constant<ExecutionMode>('local'), leverage: fc.constantFrom(1, 2, 3) }),
  useLocal: fc.boolean(),
  participation: fc.constantFrom(undefined, 0.5),
});

const EPS = 1e-9;

function violations(world: World, label: string): string[] {
  const out: string[] = [];
  const pos = world.exchange.positions().find((p) => p.symbol === INSTRUMENT.symbol);
  const exits = world.exchange.openOrders().filter((o) => o.reduceOnly);
  const plans = world.brain().snapshot();
  if (pos === undefined) {
    if (exits.length > 0) out.push(`${label}: flat but ${exits.map((o) => `${o.type} ${o.qty}`).join(', ')} still open`);
    return out;
  }
  const plan = plans[0];
  if (plan === undefined) return [`${label}: position ${pos.side} ${pos.qty} open without a plan`];
  if (Math.abs(plan.qty - pos.qty) > EPS) out.push(`${label}: plan believes ${plan.qty}, venue holds ${pos.qty}`);
  if (plan.closing) return out;
  if (plan.mode === 'venue') {
    const stops = exits.filter((o) => o.type === 'stop_market' && o.qty - o.filledQty >= pos.qty - EPS);
    if (stops.length === 0) out.push(`${label}: ${pos.qty} open and no stop covers it (${exits.map((o) => `${o.type} ${o.qty}`).join(', ')})`);
    if (!plan.trailing) {
      const tps = exits.filter((o) => o.type === 'limit').reduce((a, o) => a + o.qty - o.filledQty, 0);
      if (Math.abs(tps - pos.qty) > 1e-6) out.push(`${label}: take profits add up to ${tps}, position is ${pos.qty}`);
    }
  } else {
    if (plan.stop?.status !== 'armed' || Math.abs(plan.stop.qty - pos.qty) > EPS) {
      out.push(`${label}: local stop ${JSON.stringify(plan.stop)} does not cover ${pos.qty}`);
    }
    if (!plan.trailing) {
      const tps = plan.takeProfits.filter((t) => t.status === 'armed' || t.status === 'working').reduce((a, t) => a + t.remainingQty, 0);
      if (Math.abs(tps - pos.qty) > 1e-6) out.push(`${label}: local take profits add up to ${tps}, position is ${pos.qty}`);
    }
  }
  return out;
}

describe('Exit Brain invariants on random price paths (fast-check, kernel + simulated exchange)', () => {
  it('keeps the position covered by a stop and by legs that add up to it, and leaves nothing behind when flat', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { mode, leverage } = s.useLocal ? s.local : s.venue;
        const found: string[] = [];
        let n = 0;
        const r = await run({
          rows: rowsOf(s.steps),
          entry: { at: 0, side: s.side, qty: s.units / 1000, leverage },
          brain: { profile: s.profile, execution: mode, atrPeriod: 2 },
          ...(s.participation !== undefined ? { exchange: { maxVolumeParticipation: s.participation } } : {}),
          afterCandle: (world) => {
            found.push(...violations(world, `after c${n++}`));
          },
        });
        expect(found).toEqual([]);
        // Every position that closed has its plan completed, and the brain forgot it.
        if (r.closed.length > 0) expect(r.journal.exitPlans({ status: 'completed' })).toHaveLength(r.closed.length);
        expect(r.brain().activePlans()).toBe(r.exchange.positions().length);
      }),
      { numRuns: 80, seed: 4242 },
    );
  });
});
