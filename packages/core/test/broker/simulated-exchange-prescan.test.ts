import fc from 'fast-check';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { IntrabarPath } from '../../src/broker/simulated/intrabar-path.js';
import { newSimOrder, type SymbolBook } from '../../src/broker/simulated/simulated-book.js';
import { SimLedger } from '../../src/broker/simulated/simulated-ledger.js';
import { matchCandle, mayTrigger, type MatchConfig } from '../../src/broker/simulated/simulated-matcher.js';
import type { Candle } from '../../src/model/candle.js';
import type { BrokerEvent } from '../../src/model/events.js';
import type { ClientOrderId } from '../../src/model/ids.js';
import type { OrderSide, OrderType } from '../../src/model/orders.js';
import { bar, LIN, linearXyz, ManualClock, SPOT, spotXyz, T0 } from './helpers.js';

// The exchange skips the intrabar walk when mayTrigger says nothing in the book can execute on a candle. That is
// only safe if, whenever it says no, the walk would have executed nothing: checked here against matchCandle itself.

interface OrderSpec {
  readonly type: OrderType;
  readonly side: OrderSide;
  /** Trigger level, as an offset from 100 in ticks. */
  readonly offset: number;
  readonly reduceOnly: boolean;
  readonly triggered: boolean;
  readonly status: 'open' | 'partially_filled' | 'filled' | 'canceled';
}

function bookWith(spot: boolean, posQty: number, entry: number, leverage: number, orders: readonly OrderSpec[]) {
  const events: BrokerEvent[] = [];
  const subject = new Subject<BrokerEvent>();
  subject.subscribe((e) => events.push(e));
  const clock = new ManualClock();
  clock.t = T0;
  const ledger = new SimLedger([linearXyz, spotXyz], { USDT: 1_000_000, XYZ: 1_000 }, subject, clock);
  const book = ledger.books.get(spot ? SPOT : LIN)!;
  if (posQty !== 0) {
    book.posQty = spot ? Math.abs(posQty) : posQty;
    book.entryPrice = entry;
    book.leverage = leverage;
    book.margin = spot ? 0 : (Math.abs(posQty) * entry) / leverage;
    book.updateLiquidationPrice();
  }
  orders.forEach((o, i) => {
    const level = Math.round((100 + o.offset * 0.01) * 100) / 100;
    const sim = newSimOrder({
      clientOrderId: `o-${i}` as ClientOrderId,
      venueOrderId: ledger.nextVenueOrderId(),
      symbol: book.symbol,
      side: o.side,
      type: o.type,
      qty: 1,
      price: o.type === 'limit' ? level : undefined,
      stopPrice: o.type === 'stop_market' ? level : undefined,
      reduceOnly: o.reduceOnly,
      leverage: spot ? 1 : leverage,
      intentId: undefined,
      positionId: undefined,
      leg: undefined,
      seq: ++ledger.orderSeq,
      createdAt: T0 - 60_000,
      refPrice: level,
      liquidation: false,
      updatedAt: T0 - 60_000,
      status: o.status,
      filledQty: o.status === 'partially_filled' ? 0.5 : o.status === 'filled' ? 1 : 0,
      avgFillPrice: 0,
      fees: 0,
      fillCount: 0,
      triggered: o.type === 'stop_market' && o.triggered,
    });
    ledger.orders.set(sim.clientOrderId, sim);
    book.orders.push(sim);
  });
  return { ledger, book, events, clock };
}

const CFG: MatchConfig = { mode: 'conservative', slip: 0, participation: Infinity, latency: 0, impact: 0, impactExponent: 0.5 };

function walk(ledger: SimLedger, book: SymbolBook, candle: Candle, cfg: MatchConfig): void {
  ledger.processing++;
  try {
    matchCandle(ledger, book, candle, new IntrabarPath(), cfg, undefined, { ambiguous: 0, refined: 0 });
  } finally {
    ledger.processing--;
  }
}

const orderArb: fc.Arbitrary<OrderSpec> = fc.record({
  type: fc.constantFrom<OrderType>('limit', 'stop_market', 'market'),
  side: fc.constantFrom<OrderSide>('buy', 'sell'),
  offset: fc.integer({ min: -800, max: 800 }),
  reduceOnly: fc.boolean(),
  triggered: fc.boolean(),
  status: fc.constantFrom('open', 'open', 'partially_filled', 'filled', 'canceled'),
});

const candleArb = fc
  .record({ open: fc.integer({ min: -600, max: 600 }), up: fc.integer({ min: 0, max: 400 }), down: fc.integer({ min: 0, max: 400 }), close: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ open, up, down, close }) => {
    const o = 100 + open * 0.01;
    const h = o + up * 0.01;
    const l = Math.max(0.5, o - down * 0.01);
    const c = l + (h - l) * close;
    const r = (x: number) => Math.round(x * 100) / 100;
    return bar(0, r(o), r(h), r(l), Math.min(r(h), Math.max(r(l), r(c))));
  });

describe('the exchange pre-scan (mayTrigger)', () => {
  it('says no only when walking the candle would execute nothing', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: -3, max: 3 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(orderArb, { maxLength: 6 }),
        candleArb,
        fc.constantFrom<MatchConfig['mode']>('conservative', 'ohlc', 'olhc'),
        (spot, pos, leverage, orders, candle, mode) => {
          const { ledger, book, events } = bookWith(spot, spot ? Math.abs(pos) : pos, 100, spot ? 1 : leverage, orders);
          if (mayTrigger(book, candle)) return;
          const before = JSON.stringify({ pos: book.posQty, orders: book.orders.map((o) => [o.status, o.filledQty]) });
          walk(ledger, book, candle, { ...CFG, mode });
          expect(events).toEqual([]);
          expect(JSON.stringify({ pos: book.posQty, orders: book.orders.map((o) => [o.status, o.filledQty]) })).toBe(before);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('says yes for a market order, a triggered stop, a limit or stop inside the range, and a reachable liquidation', () => {
    const c = bar(0, 100, 101, 99, 100.5);
    const spec = (o: Partial<OrderSpec>): OrderSpec => ({ type: 'limit', side: 'buy', offset: 0, reduceOnly: false, triggered: false, status: 'open', ...o });
    expect(mayTrigger(bookWith(false, 0, 100, 1, [spec({ type: 'market' })]).book, c)).toBe(true);
    expect(mayTrigger(bookWith(false, 0, 100, 1, [spec({ type: 'stop_market', side: 'buy', offset: 500, triggered: true })]).book, c)).toBe(true);
    expect(mayTrigger(bookWith(false, 0, 100, 1, [spec({ side: 'buy', offset: -100 })]).book, c)).toBe(true); // limit buy at 99
    expect(mayTrigger(bookWith(false, 0, 100, 1, [spec({ side: 'buy', offset: -101 })]).book, c)).toBe(false); // 98.99
    expect(mayTrigger(bookWith(false, 0, 100, 1, [spec({ side: 'sell', offset: 100 })]).book, c)).toBe(true); // limit sell at 101
    expect(mayTrigger(bookWith(false, 0, 100, 1, [spec({ type: 'stop_market', side: 'sell', offset: -101 })]).book, c)).toBe(false);
    expect(mayTrigger(bookWith(false, 0, 100, 1, [spec({ type: 'stop_market', side: 'buy', offset: 100 })]).book, c)).toBe(true);
    expect(mayTrigger(bookWith(false, 0, 100, 1, [spec({ side: 'buy', offset: -50, status: 'filled' })]).book, c)).toBe(false);
    // a 50x long from 100 is liquidated at 98.4 (1 - 1/50 + 0.004): reachable by a candle down to 98
    expect(mayTrigger(bookWith(false, 1, 100, 50, []).book, bar(0, 100, 100.5, 98, 99))).toBe(true);
    expect(mayTrigger(bookWith(false, 1, 100, 50, []).book, bar(0, 100, 100.5, 99, 99.5))).toBe(false);
  });
});
