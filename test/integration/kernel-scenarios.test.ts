import { describe, expect, it } from 'vitest';
import {
  CandleReplay,
  MemoryIntentQueue,
  MemoryJournal,
  ReplayScheduler,
  RiskEngine,
  SimulatedExchange,
  TradingKernel,
  cooldownRule,
  fixedNotionalSizer,
  maxLeverageRule,
  maxNotionalRule,
  momentumStrategy,
  onePositionPerSymbolRule,
  type Candle,
  type DomainEvent,
  type OrderFilled,
  type PositionClosed,
} from '@quantum-trader/core';
import { ExitBrain } from '@quantum-trader/exit-brain';
import { M5, S, T0, candlesOf, instrument, type Row } from './support/test-market.js';

// A full kernel — signal → risk → execution → SimulatedExchange → Exit Brain ladder → portfolio → journal — on
// hand-written 5-minute candles. Momentum look-back is one candle, so a +2 % candle is a LONG signal.
const candles = (rows: Row[]): Candle[] => candlesOf(rows);

interface Outcome {
  events: DomainEvent[];
  fills: OrderFilled[];
  closed: PositionClosed[];
  kernel: TradingKernel;
  exchange: SimulatedExchange;
}

async function run(rows: Row[], leverage = 1): Promise<Outcome> {
  const scheduler = new ReplayScheduler(T0);
  const market = new CandleReplay({ series: [{ symbol: S, candles: candles(rows) }], timeframe: '5m' }, scheduler);
  const exchange = new SimulatedExchange({ instruments: [instrument], balances: { USDT: 10_000 }, scheduler });
  market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
  const journal = new MemoryJournal();
  const kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal,
    queue: new MemoryIntentQueue(),
    strategies: [momentumStrategy({ lookbackHours: 5 / 60, timeframe: '5m' })],
    risk: new RiskEngine({
      rules: [maxNotionalRule(1000), maxLeverageRule(10), onePositionPerSymbolRule(), cooldownRule(86_400_000)],
      sizer: fixedNotionalSizer(1000, leverage),
      leverage,
      instrument: () => instrument,
    }),
    instruments: [instrument],
    exits: (ctx) => new ExitBrain(ctx),
    initialBalance: 10_000,
  });
  await kernel.start();
  market.start();
  scheduler.runAll(market.endTime + 60_000);
  kernel.stop();
  if (kernel.error !== undefined) throw kernel.error;
  const events = journal.events().map((j) => j.event);
  return {
    events,
    fills: events.filter((e): e is OrderFilled => e.type === 'OrderFilled'),
    closed: events.filter((e): e is PositionClosed => e.type === 'PositionClosed'),
    kernel,
    exchange,
  };
}

const legOf = (o: Outcome, f: OrderFilled) => {
  const sub = o.events.find((e) => e.type === 'OrderSubmitting' && e.order.clientOrderId === f.clientOrderId);
  return sub?.type === 'OrderSubmitting' ? sub.order.leg : undefined;
};
const summary = (o: Outcome) => o.fills.map((f) => `${legOf(o, f)} ${f.side} ${f.qty} @ ${f.price} (${f.liquidity}) c${Math.round((f.ts - T0) / M5) - 1}`);

// Entry at 100 with 10 units ($1000). Low-volatility regime: TP1 101.95 (3), TP2 103.25 (3), TP3 105.20 (4); SL 98.
const ENTRY_FEE = 10 * 100 * 0.0004;
const UP: Row[] = [
  [98, 98, 98, 98], // c0
  [98, 100, 98, 100], // c1: +2.04 % → LONG signal when it closes
  [100, 100.5, 99.5, 100], // c2: entry fills at the open, 100
];

describe('the kernel end to end on hand-written candles', () => {
  it('TP1 then stop loss: the stop is resized to what remains and fills at 98', async () => {
    const o = await run([...UP, [100, 102, 99.5, 101.5], [101, 101.2, 97.5, 97.8], [97.8, 98, 97.5, 97.9]]);
    expect(summary(o)).toEqual([
      'entry buy 10 @ 100 (taker) c2',
      'tp1 sell 3 @ 101.95 (maker) c3',
      'sl-2 sell 7 @ 98 (taker) c4',
    ]);
    const pnl = 3 * 1.95 + 7 * -2 - ENTRY_FEE - 3 * 101.95 * 0.0002 - 7 * 98 * 0.0004;
    expect(o.closed).toHaveLength(1);
    expect(o.closed[0]!.exitReason).toBe('stop_loss');
    expect(o.closed[0]!.realizedPnl).toBeCloseTo(pnl, 6);
    expect(o.kernel.portfolio.equity()).toBeCloseTo(10_000 + pnl, 6);
    // OCO: nothing of the plan is left working at the venue.
    expect(o.exchange.openOrders()).toEqual([]);
  });

  it('a gap through the stop fills at the open, not at the stop price', async () => {
    const o = await run([...UP, [100, 102, 99.5, 101.5], [97, 97.5, 96.5, 97.2]]);
    expect(summary(o).at(-1)).toBe('sl-2 sell 7 @ 97 (taker) c4');
    const pnl = 3 * 1.95 + 7 * -3 - ENTRY_FEE - 3 * 101.95 * 0.0002 - 7 * 97 * 0.0004;
    expect(o.closed[0]!.realizedPnl).toBeCloseTo(pnl, 6);
  });

  it('TP and SL inside one candle: the conservative path takes the stop first', async () => {
    const o = await run([...UP, [100, 106, 97.5, 101]]);
    expect(summary(o)).toEqual(['entry buy 10 @ 100 (taker) c2', 'sl sell 10 @ 98 (taker) c3']);
    expect(o.closed[0]!.realizedPnl).toBeCloseTo(-20 - ENTRY_FEE - 10 * 98 * 0.0004, 6);
  });

  it('all three take profits in one candle close the position at TP3', async () => {
    const o = await run([...UP, [100.5, 106, 100.2, 105.5]]);
    expect(summary(o)).toEqual([
      'entry buy 10 @ 100 (taker) c2',
      'tp1 sell 3 @ 101.95 (maker) c3',
      'tp2 sell 3 @ 103.25 (maker) c3',
      'tp3 sell 4 @ 105.2 (maker) c3',
    ]);
    const pnl = 3 * 1.95 + 3 * 3.25 + 4 * 5.2 - ENTRY_FEE - (3 * 101.95 + 3 * 103.25 + 4 * 105.2) * 0.0002;
    expect(o.closed[0]).toMatchObject({ exitReason: 'tp3' });
    expect(o.closed[0]!.realizedPnl).toBeCloseTo(pnl, 6);
    expect(o.exchange.openOrders()).toEqual([]);
  });

  it('mirrors the ladder for a SHORT: TP below, stop above', async () => {
    const o = await run([
      [102, 102, 102, 102],
      [102, 102, 100, 100], // −1.96 % → SHORT
      [100, 100.5, 99.5, 100],
      [100, 100.5, 98, 98.5],
      [99, 102.5, 98.8, 102.2],
    ]);
    expect(summary(o)).toEqual([
      'entry sell 10 @ 100 (taker) c2',
      'tp1 buy 3 @ 98.05 (maker) c3',
      'sl-2 buy 7 @ 102 (taker) c4',
    ]);
    const pnl = 3 * 1.95 - 7 * 2 - ENTRY_FEE - 3 * 98.05 * 0.0002 - 7 * 102 * 0.0004;
    expect(o.closed[0]!.realizedPnl).toBeCloseTo(pnl, 6);
  });

  it('a 10x long gapping through its liquidation price is liquidated, journalled, and loses at most its margin', async () => {
    const o = await run([...UP, [85, 86, 84, 85.5]], 10);
    expect(o.kernel.error).toBeUndefined();
    expect(o.closed).toHaveLength(1);
    expect(o.closed[0]!.exitReason).toBe('liquidation');
    const liq = o.fills.at(-1)!;
    expect(liq.liquidation).toBe(true);
    expect(legOf(o, liq)).toBe('liquidation');
    // margin = 1000 / 10; the loss is capped there (plus fees)
    expect(o.closed[0]!.realizedPnl).toBeGreaterThanOrEqual(-100 - 1);
    expect(o.closed[0]!.realizedPnl).toBeLessThan(-90);
  });

  it('journals every step of the cycle in order, with deterministic ids', async () => {
    const a = await run([...UP, [100, 102, 99.5, 101.5], [101, 101.2, 97.5, 97.8]]);
    const b = await run([...UP, [100, 102, 99.5, 101.5], [101, 101.2, 97.5, 97.8]]);
    expect(a.events).toEqual(b.events);
    const types = a.events.map((e) => e.type);
    const first = (t: string) => types.indexOf(t as never);
    expect(first('SignalGenerated')).toBeLessThan(first('IntentCreated'));
    expect(first('IntentCreated')).toBeLessThan(first('OrderSubmitting'));
    expect(first('OrderSubmitting')).toBeLessThan(first('OrderAccepted'));
    expect(first('OrderFilled')).toBeLessThan(first('PositionOpened'));
    expect(first('PositionOpened')).toBeLessThan(first('ExitPlanCreated'));
    expect(first('PositionClosed')).toBeLessThan(first('ExitPlanCompleted'));
  });
});
