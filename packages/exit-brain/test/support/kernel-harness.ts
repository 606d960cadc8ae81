import {
  CandleReplay,
  MemoryIntentQueue,
  MemoryJournal,
  ReplayScheduler,
  RiskEngine,
  SimulatedExchange,
  TradingKernel,
  strategyId,
  symbolId,
  type Candle,
  type DomainEvent,
  type ExitManagerContext,
  type Instrument,
  type OrderFilled,
  type PositionClosed,
  type SimulatedExchangeOptions,
  type Strategy,
  type SymbolId,
} from '@quantum-trader/core';
import { ExitBrain, type ExitBrainOptions, type PositionOutcome } from '@quantum-trader/exit-brain';

// A real kernel — scripted entry → risk → execution → SimulatedExchange → Exit Brain → portfolio → journal — on
// hand-written 5-minute candles.

export const T0 = Date.UTC(2021, 0, 1);
export const M5 = 300_000;
export const SYM: SymbolId = symbolId('TEST/USDT:USDT');
export const INSTRUMENT: Instrument = {
  symbol: SYM,
  base: 'TEST',
  quote: 'USDT',
  contractType: 'linear',
  tickSize: 0.01,
  lotStep: 0.001,
  minQty: 0.001,
  minNotional: 5,
  maxLeverage: 125,
  makerFee: 0.0002,
  takerFee: 0.0004,
  maintenanceMarginRate: 0.004,
};

/** `[open, high, low, close, volume?]` of one 5-minute candle. */
export type Row = readonly [number, number, number, number, number?];

export const candlesOf = (rows: readonly Row[]): Candle[] =>
  rows.map(([open, high, low, close, volume], i) => ({ ts: T0 + i * M5, open, high, low, close, volume: volume ?? 1_000 }));

export interface Entry {
  /** Index of the candle after whose close the entry is decided; it fills at the open of the next one. */
  readonly at: number;
  readonly side: 'long' | 'short';
  readonly qty: number;
  readonly leverage?: number;
}

/** A strategy that enters once, after candle `entry.at` of a series starting at `t0` closes. */
export function scriptedEntry(entry: Entry, t0: number = T0): Strategy {
  let last = Number.NaN;
  return {
    id: strategyId('scripted'),
    warmupCandles: 0,
    onCandle: (_s, c) => {
      last = c.ts;
    },
    evaluate: () =>
      last === t0 + entry.at * M5 ? { direction: entry.side, strength: 1, reason: 'scripted entry' } : undefined,
  };
}

export interface RunOptions {
  readonly rows: readonly Row[];
  readonly entry: Entry;
  /** Options of the Exit Brain; `volatility` defaults to a constant 1 % (low regime). */
  readonly brain?: ExitBrainOptions;
  readonly exchange?: Partial<Pick<SimulatedExchangeOptions, 'maxVolumeParticipation' | 'slippageBps' | 'intrabar'>>;
  readonly instrument?: Instrument;
  /** Called after every candle, once the venue, the kernel and the Exit Brain have all processed it. */
  readonly afterCandle?: (world: World, candle: Candle) => void;
}

export interface World {
  readonly scheduler: ReplayScheduler;
  readonly market: CandleReplay;
  readonly exchange: SimulatedExchange;
  readonly journal: MemoryJournal;
  readonly kernel: TradingKernel;
  readonly brain: () => ExitBrain;
}

export interface RunResult extends World {
  readonly events: DomainEvent[];
  readonly fills: OrderFilled[];
  readonly closed: PositionClosed[];
  readonly outcomes: PositionOutcome[];
}

export interface KernelParts {
  readonly scheduler: ReplayScheduler;
  readonly market: CandleReplay;
  readonly exchange: SimulatedExchange;
  readonly journal: MemoryJournal;
  readonly entry: Entry;
  readonly brain?: ExitBrainOptions | ((parts: KernelParts) => ExitBrainOptions);
  readonly instrument?: Instrument;
  readonly resume?: 'journal' | 'fresh';
}

/** A kernel on the given parts, with the scripted entry and an Exit Brain (volatility 1 % unless told). */
export function kernelOn(parts: KernelParts): { kernel: TradingKernel; brain: () => ExitBrain } {
  const instrument = parts.instrument ?? INSTRUMENT;
  const options = typeof parts.brain === 'function' ? parts.brain(parts) : parts.brain;
  let brain: ExitBrain | undefined;
  const kernel = new TradingKernel({
    scheduler: parts.scheduler,
    market: parts.market,
    broker: parts.exchange,
    journal: parts.journal,
    queue: new MemoryIntentQueue(),
    strategies: [scriptedEntry(parts.entry)],
    risk: new RiskEngine({ rules: [], sizer: () => parts.entry.qty, leverage: parts.entry.leverage ?? 1, instrument: () => instrument }),
    instruments: [instrument],
    exits: (ctx: ExitManagerContext) => (brain = new ExitBrain(ctx, { volatility: () => 0.01, timeframe: '5m', ...options })),
    initialBalance: 10_000,
    resume: parts.resume ?? 'fresh',
  });
  return { kernel, brain: () => brain! };
}

export function buildWorld(o: Omit<RunOptions, 'afterCandle'>): World {
  const instrument = o.instrument ?? INSTRUMENT;
  const scheduler = new ReplayScheduler(T0);
  const market = new CandleReplay({ series: [{ symbol: instrument.symbol, candles: candlesOf(o.rows) }], timeframe: '5m' }, scheduler);
  const exchange = new SimulatedExchange({ instruments: [instrument], balances: { USDT: 10_000 }, scheduler, ...o.exchange });
  market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
  const journal = new MemoryJournal();
  const { kernel, brain } = kernelOn({ scheduler, market, exchange, journal, entry: o.entry, ...(o.brain ? { brain: o.brain } : {}), instrument });
  return { scheduler, market, exchange, journal, kernel, brain };
}

/** Runs the scenario to the end and collects what happened. */
export async function run(o: RunOptions): Promise<RunResult> {
  const world = buildWorld(o);
  const outcomes: PositionOutcome[] = [];
  world.brain().outcomes$.subscribe((x) => outcomes.push(x));
  await world.kernel.start();
  if (o.afterCandle !== undefined) {
    const check = o.afterCandle;
    world.market.candles$.subscribe((e) => check(world, e.candle));
  }
  world.market.start();
  world.scheduler.runAll(world.market.endTime + 60_000);
  world.kernel.stop();
  if (world.kernel.error !== undefined) throw world.kernel.error;
  return { ...world, ...collect(world.journal), outcomes };
}

export function collect(journal: MemoryJournal): Pick<RunResult, 'events' | 'fills' | 'closed'> {
  const events = journal.events().map((j) => j.event);
  return {
    events,
    fills: events.filter((e): e is OrderFilled => e.type === 'OrderFilled'),
    closed: events.filter((e): e is PositionClosed => e.type === 'PositionClosed'),
  };
}

/** `leg side qty @ price (liquidity) c<candle>` for every fill, in order. */
export function fillSummary(events: readonly DomainEvent[]): string[] {
  const legs = new Map<string, string>();
  for (const e of events) if (e.type === 'OrderSubmitting') legs.set(e.order.clientOrderId, e.order.leg ?? '?');
  return events.flatMap((e) =>
    e.type === 'OrderFilled'
      ? [`${legs.get(e.clientOrderId)} ${e.side} ${e.qty} @ ${e.price} (${e.liquidity}) c${Math.round((e.ts - T0) / M5) - 1}`]
      : [],
  );
}
