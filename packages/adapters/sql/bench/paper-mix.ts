// A deterministic event stream shaped like the reference bot's paper run (122 325 events over the bundled data:
// 53 % portfolio snapshots, 12 % signals, 11 % denied orders, 6 % submitting, 6 % accepted, 3 % canceled,
// 3 % filled, 1 % each intent, position opened / closed, exit plan created / completed, 0.7 % position changed),
// with the same ids and payload sizes. Three symbols trade staggered life cycles, so a batch of 100 patches rows
// that earlier batches created, as a live journal does.
import type {
  ClientOrderId,
  DomainEvent,
  ExitLeg,
  IntentId,
  OrderSide,
  PlanId,
  PositionId,
  SymbolId,
  UnixMillis,
  VenueOrderId,
} from '@quantum-trader/core';
import { strategyId } from '@quantum-trader/core';

const STEP_MS = 300_000;
const T0 = 1_609_459_200_000;
const MOMENTUM = strategyId('momentum-24h');
const SYMBOLS = ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'BNB/USDT:USDT'] as SymbolId[];
/** Steps between the phases of a life cycle (entry, first take-profit, close) and between two cycles of a symbol. */
const PHASE_STEPS = [0, 17, 38] as const;
const CYCLE_STEPS = 147;
const LEGS = ['entry', 'tp1', 'tp2', 'tp3', 'sl', 'sl2'] as const;

/** A small seeded PRNG (mulberry32): the same seed gives the same stream on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const hex = (n: number, salt: number) => ((Math.imul(n + 1, 2_654_435_761) ^ salt) >>> 0).toString(16).padStart(8, '0');

/**
 * The first `count` events of the paper-like stream.
 *
 * @example
 * ```ts
 * const events = paperMix(20_000); // batches of 100: for (let i = 0; …; i += 100) journal.append(events.slice(i, i + 100))
 * ```
 */
export function paperMix(count: number, seed = 7): DomainEvent[] {
  const rnd = random(seed);
  const out: DomainEvent[] = [];
  let venueSeq = 0;
  let equity = 10_000;
  for (let step = 0; out.length < count; step++) {
    const ts = (T0 + step * STEP_MS) as UnixMillis;
    for (let s = 0; s < SYMBOLS.length; s++) {
      const symbol = SYMBOLS[s]!;
      const rel = step - s * 49;
      if (rel < 0) continue;
      const cycle = Math.floor(rel / CYCLE_STEPS);
      const phase = PHASE_STEPS.indexOf((rel % CYCLE_STEPS) as (typeof PHASE_STEPS)[number]);
      if (phase >= 0) lifeCycle(out, { symbol, cycle: cycle * 3 + s, phase, ts, price: 100 * (s + 1) * (1 + 0.01 * (cycle % 7)), venue: () => `sim-${++venueSeq}` as VenueOrderId });
    }
    if (rnd() < 0.23) out.push(signalAt(SYMBOLS[step % 3]!, ts, rnd()));
    if (rnd() < 0.21) out.push(deniedAt(SYMBOLS[(step + 1) % 3]!, ts, step));
    equity += (rnd() - 0.5) * 5;
    out.push({
      id: `PortfolioSnapshotTaken:${ts}`,
      type: 'PortfolioSnapshotTaken',
      ts,
      equity,
      balance: 10_000,
      unrealizedPnl: equity - 10_000,
      realizedPnl: 0,
      openPositions: 1,
      drawdown: Math.max(0, (10_050 - equity) / 10_050),
    });
  }
  return out.slice(0, count);
}

interface CycleStep {
  readonly symbol: SymbolId;
  readonly cycle: number;
  readonly phase: number;
  readonly ts: UnixMillis;
  readonly price: number;
  readonly venue: () => VenueOrderId;
}

function lifeCycle(out: DomainEvent[], c: CycleStep): void {
  const { symbol, ts, price } = c;
  const coid = (leg: (typeof LEGS)[number]) => {
    const n = c.cycle * LEGS.length + LEGS.indexOf(leg);
    return `qt-${hex(n, 0x5bd1e995)}${hex(n, 0x27d4eb2f)}x` as ClientOrderId;
  };
  const entry = coid('entry');
  const positionId = `pos-${entry}` as PositionId;
  const planId = `plan-${positionId}` as PlanId;
  const intentId = `momentum-24h|${symbol}|${ts - STEP_MS}|buy` as IntentId;
  const qty = 3.99;
  const legs: ExitLeg[] = [
    { leg: 'tp1', kind: 'take_profit', clientOrderId: coid('tp1'), price: price * 1.03, qty: 1.19, fraction: 0.2982456140350877 },
    { leg: 'tp2', kind: 'take_profit', clientOrderId: coid('tp2'), price: price * 1.05, qty: 1.19, fraction: 0.2982456140350877 },
    { leg: 'tp3', kind: 'take_profit', clientOrderId: coid('tp3'), price: price * 1.08, qty: 1.61, fraction: 0.40350877192982454 },
    { leg: 'sl', kind: 'stop_loss', clientOrderId: coid('sl'), price: price * 0.98, qty, fraction: 1 },
  ];
  const submit = (id: ClientOrderId, side: OrderSide, type: 'market' | 'limit' | 'stop_market', q: number, leg: string, p = price): void => {
    out.push({
      id: `OrderSubmitting:${id}`,
      type: 'OrderSubmitting',
      ts,
      order: {
        clientOrderId: id,
        symbol,
        side,
        type,
        qty: q,
        ...(type === 'limit' ? { price: p } : type === 'stop_market' ? { stopPrice: p } : {}),
        reduceOnly: leg !== 'entry',
        ...(leg === 'entry' ? { intentId, leverage: 1 } : { positionId }),
        leg,
      },
    });
    out.push({ id: `OrderAccepted:${id}`, type: 'OrderAccepted', ts, clientOrderId: id, venueOrderId: c.venue(), symbol });
  };
  const fill = (id: ClientOrderId, side: OrderSide, q: number, p: number): void => {
    out.push({
      id: `OrderFilled:${id}:1`,
      type: 'OrderFilled',
      ts,
      clientOrderId: id,
      venueOrderId: `sim-${c.cycle}` as VenueOrderId,
      symbol,
      side,
      orderType: 'market',
      fillSeq: 1,
      qty: q,
      price: p,
      fee: q * p * 0.0004,
      feeCurrency: 'USDT',
      liquidity: 'taker',
      remainingQty: 0,
      reduceOnly: side === 'sell',
    });
  };
  const cancel = (id: ClientOrderId) =>
    out.push({ id: `OrderCanceled:${id}`, type: 'OrderCanceled', ts, clientOrderId: id, symbol, reason: 'canceled by client' });

  if (c.phase === 0) {
    out.push({
      id: `IntentCreated:${intentId}`,
      type: 'IntentCreated',
      ts,
      intent: { id: intentId, strategyId: MOMENTUM, symbol, side: 'buy', qty, leverage: 1, refPrice: price, ts, signalTs: (ts - STEP_MS) as UnixMillis, volatility: 0.0796 },
    });
    submit(entry, 'buy', 'market', qty, 'entry');
    fill(entry, 'buy', qty, price);
    out.push({ id: `PositionOpened:${positionId}`, type: 'PositionOpened', ts, positionId, symbol, side: 'long', qty, entryPrice: price, leverage: 1, strategyId: MOMENTUM, intentId });
    out.push({ id: `ExitPlanCreated:${planId}`, type: 'ExitPlanCreated', ts, planId, positionId, symbol, side: 'long', profile: 'STANDARD_LADDER', entryPrice: price, volatility: 0.0796, legs });
    for (const l of legs) submit(l.clientOrderId, 'sell', l.kind === 'stop_loss' ? 'stop_market' : 'limit', l.qty, l.leg, l.price);
  } else if (c.phase === 1) {
    fill(legs[0]!.clientOrderId, 'sell', 1.19, price * 1.03);
    out.push({ id: `PositionChanged:${positionId}:${legs[0]!.clientOrderId}:1`, type: 'PositionChanged', ts, positionId, symbol, qty: qty - 1.19, entryPrice: price, realizedPnl: 1.19 * price * 0.03 });
    cancel(legs[3]!.clientOrderId);
    submit(coid('sl2'), 'sell', 'stop_market', qty - 1.19, 'sl', price);
  } else {
    fill(coid('sl2'), 'sell', qty - 1.19, price);
    cancel(legs[1]!.clientOrderId);
    cancel(legs[2]!.clientOrderId);
    out.push({ id: `PositionClosed:${positionId}`, type: 'PositionClosed', ts, positionId, symbol, side: 'long', entryPrice: price, exitPrice: price, qty, openedAt: ts, realizedPnl: 1.19 * price * 0.03, fees: qty * price * 0.0008, exitReason: 'stop_loss' });
    out.push({ id: `ExitPlanCompleted:${planId}`, type: 'ExitPlanCompleted', ts, planId, positionId, reason: 'stop_loss' });
  }
}

function signalAt(symbol: SymbolId, ts: UnixMillis, r: number): DomainEvent {
  return {
    id: `SignalGenerated:momentum-24h:${symbol}:${ts - STEP_MS}`,
    type: 'SignalGenerated',
    ts,
    strategyId: MOMENTUM,
    symbol,
    direction: r < 0.5 ? 'long' : 'short',
    candleTs: (ts - STEP_MS) as UnixMillis,
    price: 37.567 + r,
    strength: 0.012363844109927191 * (1 + r),
    volatility: 0.039267792843082495,
    reason: `24h momentum +${(1 + r).toFixed(2)}% > +1.00%`,
  };
}

function deniedAt(symbol: SymbolId, ts: UnixMillis, step: number): DomainEvent {
  const intentId = `momentum-24h|${symbol}|${ts - STEP_MS}|sell` as IntentId;
  return {
    id: `OrderDenied:${intentId}`,
    type: 'OrderDenied',
    ts,
    intentId,
    strategyId: MOMENTUM,
    symbol,
    side: 'sell',
    rule: 'cooldown',
    reason: `${symbol} is cooling down for ${35 - (step % 30)} more minute(s) after its last close`,
  };
}
