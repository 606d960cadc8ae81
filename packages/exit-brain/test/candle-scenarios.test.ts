import { describe, expect, it } from 'vitest';
import {
  BREAKEVEN_AFTER_TP1_PROFILE,
  ExitProfileRegistry,
  TIME_STOP_PROFILE,
  type ExitBrainOptions,
} from '@quantum-trader/exit-brain';
import { symbolId, type Instrument } from '@quantum-trader/core';
import { INSTRUMENT, fillSummary, run, type Entry, type Row, type RunOptions } from './support/kernel-harness.js';

// Hand-written 5-minute candles through the real kernel and the simulated exchange (conservative intrabar path,
// no slippage). The entry is decided after candle 0 and fills at the open of candle 1 (100 unless said otherwise):
// 10 units, low-volatility regime → long TP1 101.95 (3), TP2 103.25 (3), TP3 105.20 (4), stop 98 (2 %).
// Fees: taker 0.04 %, maker 0.02 %.

const TAKER = INSTRUMENT.takerFee;
const MAKER = INSTRUMENT.makerFee;
const ENTRY_FEE = 10 * 100 * TAKER;
const LONG: Entry = { at: 0, side: 'long', qty: 10 };
const SHORT: Entry = { at: 0, side: 'short', qty: 10 };
const FLAT: Row = [100, 100, 100, 100];
const QUIET: Row = [100, 100.5, 99.5, 100];

interface Scenario {
  readonly name: string;
  readonly rows: readonly Row[];
  readonly entry?: Entry;
  readonly brain?: ExitBrainOptions;
  readonly exchange?: RunOptions['exchange'];
  readonly instrument?: Instrument;
  /** `leg side qty @ price (liquidity) c<candle>`, entry first. */
  readonly fills: readonly string[];
  /** The portfolio's exit reason of the position. */
  readonly exitReason: string;
  /** The Exit Brain's reason for each slice, in fill order. */
  readonly reasons: readonly string[];
  readonly pnl: number;
  /** Stop price and size of every stop order sent, in order (checked when given). */
  readonly stops?: readonly string[];
}

const SPOT: Instrument = { ...INSTRUMENT, symbol: symbolId('TEST/USDT'), contractType: 'spot', maxLeverage: 1 };
const quickTimeStop = new ExitProfileRegistry().register({ ...TIME_STOP_PROFILE, name: 'TIME_STOP_15M', timeStopMs: 15 * 60_000 });

const scenarios: Scenario[] = [
  {
    name: 'TP1 → TP2 → stop at breakeven (BREAKEVEN_AFTER_TP1)',
    brain: { profile: BREAKEVEN_AFTER_TP1_PROFILE.name },
    rows: [FLAT, QUIET, [100, 102.2, 100, 102], [102, 103.5, 101.5, 103], [103, 103.1, 99.5, 99.8]],
    fills: [
      'entry buy 10 @ 100 (taker) c1',
      'tp1 sell 3 @ 101.95 (maker) c2',
      'tp2 sell 3 @ 103.25 (maker) c3',
      'sl-3 sell 4 @ 100 (taker) c4',
    ],
    exitReason: 'stop_loss',
    reasons: ['tp1', 'tp2', 'breakeven_stop'],
    stops: ['sl 10 @ 98', 'sl-2 7 @ 100', 'sl-3 4 @ 100'],
    pnl: 3 * 1.95 + 3 * 3.25 + 4 * 0 - ENTRY_FEE - (3 * 101.95 + 3 * 103.25) * MAKER - 4 * 100 * TAKER,
  },
  {
    name: 'a gap through the stop fills at the open, below the stop',
    rows: [FLAT, QUIET, [97, 97.5, 96.5, 97.2]],
    fills: ['entry buy 10 @ 100 (taker) c1', 'sl sell 10 @ 97 (taker) c2'],
    exitReason: 'stop_loss',
    reasons: ['stop_loss'],
    pnl: -30 - ENTRY_FEE - 10 * 97 * TAKER,
  },
  {
    name: 'all three take profits in one candle',
    rows: [FLAT, QUIET, [100.5, 106, 100.2, 105.5]],
    fills: [
      'entry buy 10 @ 100 (taker) c1',
      'tp1 sell 3 @ 101.95 (maker) c2',
      'tp2 sell 3 @ 103.25 (maker) c2',
      'tp3 sell 4 @ 105.2 (maker) c2',
    ],
    exitReason: 'tp3',
    reasons: ['tp1', 'tp2', 'tp3'],
    pnl: 3 * 1.95 + 3 * 3.25 + 4 * 5.2 - ENTRY_FEE - (3 * 101.95 + 3 * 103.25 + 4 * 105.2) * MAKER,
  },
  {
    name: 'a partly filled TP1 (volume cap): the stop follows each part, the rest of TP1 fills later',
    exchange: { maxVolumeParticipation: 0.5 },
    rows: [FLAT, QUIET, [100, 102.2, 100, 101.9, 4], [101.9, 102.1, 101.5, 102], [101, 101.2, 97.5, 97.8]],
    fills: [
      'entry buy 10 @ 100 (taker) c1',
      'tp1 sell 2 @ 101.95 (maker) c2',
      'tp1 sell 1 @ 101.95 (maker) c3',
      'sl-3 sell 7 @ 98 (taker) c4',
    ],
    exitReason: 'stop_loss',
    reasons: ['tp1', 'stop_loss'],
    pnl: 3 * 1.95 - 7 * 2 - ENTRY_FEE - 3 * 101.95 * MAKER - 7 * 98 * TAKER,
  },
  {
    name: 'a short mirrors the ladder: TP1 below the entry, then the stop above it',
    entry: SHORT,
    rows: [FLAT, QUIET, [100, 100.5, 97.9, 98.2], [98.5, 102.5, 98.3, 102.2]],
    fills: ['entry sell 10 @ 100 (taker) c1', 'tp1 buy 3 @ 98.05 (maker) c2', 'sl-2 buy 7 @ 102 (taker) c3'],
    exitReason: 'stop_loss',
    reasons: ['tp1', 'stop_loss'],
    pnl: 3 * 1.95 - 7 * 2 - ENTRY_FEE - 3 * 98.05 * MAKER - 7 * 102 * TAKER,
  },
  {
    name: 'at 10x leverage the stop tightens to 1.5 % (15 % of the margin), far from liquidation at 90.40',
    entry: { ...LONG, leverage: 10 },
    rows: [FLAT, QUIET, [99.9, 100.2, 98.4, 98.6]],
    fills: ['entry buy 10 @ 100 (taker) c1', 'sl sell 10 @ 98.5 (taker) c2'],
    exitReason: 'stop_loss',
    reasons: ['stop_loss'],
    stops: ['sl 10 @ 98.5'],
    pnl: -15 - ENTRY_FEE - 10 * 98.5 * TAKER,
  },
  {
    // ATR(2) of the candles: 1.6 after c2, 1.65 after c3, 1.675 after c4, 1.5875 after c5. After TP2 the trail is
    // 3 × ATR behind the best price: 103.25 − 4.8 = 98.45, then 103.5 − 4.95 = 98.55, 105 − 5.025 → 99.97,
    // 106 − 4.7625 → 101.23 (rounded away from the price). TP3 (105.20) is canceled, so c5's 106 does not fill it.
    name: 'after TP2 the rest trails 3 × ATR behind the best price (TRAILING_AFTER_TP2) instead of waiting for TP3',
    brain: { profile: 'TRAILING_AFTER_TP2', atrPeriod: 2 },
    rows: [
      FLAT,
      QUIET,
      [100, 102.2, 100, 102],
      [102, 103.5, 101.8, 103.4],
      [103.4, 105, 103.3, 104.8],
      [104.8, 106, 104.5, 105.8],
      [105.5, 105.6, 100.5, 101],
    ],
    fills: [
      'entry buy 10 @ 100 (taker) c1',
      'tp1 sell 3 @ 101.95 (maker) c2',
      'tp2 sell 3 @ 103.25 (maker) c3',
      'sl-6 sell 4 @ 101.23 (taker) c6',
    ],
    exitReason: 'stop_loss',
    reasons: ['tp1', 'tp2', 'trailing_stop'],
    stops: ['sl 10 @ 98', 'sl-2 7 @ 98', 'sl-3 4 @ 98.45', 'sl-4 4 @ 98.55', 'sl-5 4 @ 99.97', 'sl-6 4 @ 101.23'],
    pnl: 3 * 1.95 + 3 * 3.25 + 4 * 1.23 - ENTRY_FEE - (3 * 101.95 + 3 * 103.25) * MAKER - 4 * 101.23 * TAKER,
  },
  {
    name: 'a time stop closes what is left at market once the position is 15 minutes old',
    brain: { profiles: quickTimeStop, profile: 'TIME_STOP_15M' },
    rows: [FLAT, QUIET, [100, 102.2, 100, 102], [102, 102.5, 101.5, 102.1], [102.1, 102.4, 101.9, 102.2], [102.3, 102.4, 102, 102.2]],
    fills: ['entry buy 10 @ 100 (taker) c1', 'tp1 sell 3 @ 101.95 (maker) c2', 'time-stop sell 7 @ 102.3 (taker) c5'],
    exitReason: 'time-stop',
    reasons: ['tp1', 'time_stop'],
    pnl: 3 * 1.95 + 7 * 2.3 - ENTRY_FEE - 3 * 101.95 * MAKER - 7 * 102.3 * TAKER,
  },
  {
    name: 'local emulation: a touched TP1 sends a market order that fills at the next open; the stop the same way',
    brain: { execution: 'local' },
    rows: [FLAT, QUIET, [100, 102.2, 100, 102], [101.5, 101.8, 100.5, 100.8], [100.8, 101, 97.9, 98.2], [97.5, 98, 97, 97.8]],
    fills: ['entry buy 10 @ 100 (taker) c1', 'tp1 sell 3 @ 101.5 (taker) c3', 'sl sell 7 @ 97.5 (taker) c5'],
    exitReason: 'stop_loss',
    reasons: ['tp1', 'stop_loss'],
    pnl: 3 * 1.5 - 7 * 2.5 - ENTRY_FEE - 3 * 101.5 * TAKER - 7 * 97.5 * TAKER,
  },
  {
    name: 'on spot the legs are watched locally by default (resting sells would each lock the coins)',
    instrument: SPOT,
    rows: [FLAT, QUIET, [100, 102.2, 100, 102], [101.5, 101.8, 100.5, 100.8], [100.8, 101, 97.9, 98.2], [97.5, 98, 97, 97.8]],
    fills: ['entry buy 10 @ 100 (taker) c1', 'tp1 sell 3 @ 101.5 (taker) c3', 'sl sell 7 @ 97.5 (taker) c5'],
    exitReason: 'stop_loss',
    reasons: ['tp1', 'stop_loss'],
    pnl: 3 * 1.5 - 7 * 2.5 - ENTRY_FEE - 3 * 101.5 * TAKER - 7 * 97.5 * TAKER,
  },
  {
    name: 'forced to rest legs on spot, the refused stop makes it free the coins and close at market at once',
    instrument: SPOT,
    brain: { execution: 'venue' },
    rows: [FLAT, QUIET, QUIET],
    fills: ['entry buy 10 @ 100 (taker) c1', 'sl-fallback sell 10 @ 100 (taker) c2'],
    exitReason: 'stop_loss',
    reasons: ['stop_fallback'],
    pnl: -ENTRY_FEE - 10 * 100 * TAKER,
  },
];

describe('exit scenarios on hand-written candles (kernel + simulated exchange)', () => {
  it.each(scenarios)('$name', async (s) => {
    const r = await run({
      rows: s.rows,
      entry: s.entry ?? LONG,
      ...(s.brain ? { brain: s.brain } : {}),
      ...(s.exchange ? { exchange: s.exchange } : {}),
      ...(s.instrument ? { instrument: s.instrument } : {}),
    });
    expect(fillSummary(r.events)).toEqual(s.fills);
    expect(r.closed).toHaveLength(1);
    expect(r.closed[0]!.exitReason).toBe(s.exitReason);
    expect(r.closed[0]!.realizedPnl).toBeCloseTo(s.pnl, 6);
    expect(r.outcomes).toHaveLength(1);
    expect(r.outcomes[0]!.exitReasons).toEqual(s.reasons);
    expect(r.outcomes[0]!.realizedPnl).toBeCloseTo(s.pnl, 6);
    if (s.stops !== undefined) {
      const stops = r.events.flatMap((e) =>
        e.type === 'OrderSubmitting' && e.order.type === 'stop_market' ? [`${e.order.leg} ${e.order.qty} @ ${e.order.stopPrice}`] : [],
      );
      expect(stops).toEqual(s.stops);
    }
    // OCO: nothing of the plan is left at the venue, and the plan is complete in the journal.
    expect(r.exchange.openOrders()).toEqual([]);
    expect(r.exchange.positions()).toEqual([]);
    expect(r.journal.exitPlans({ status: 'active' })).toEqual([]);
    expect(r.brain().activePlans()).toBe(0);
  });
});
