import {
  CandleReplay,
  MemoryIntentQueue,
  MemoryJournal,
  ReplayScheduler,
  SimulatedExchange,
  TradingKernel,
  type Candle,
  type CandleColumns,
  type Instrument,
  type SimulatedExchangeOptions,
  type SymbolId,
  type Timeframe,
  type TradingKernelOptions,
} from '@quantum-trader/core';
import { ExitBrain, type ExitBrainOptions } from '@quantum-trader/exit-brain';

/** What {@link replayKernel} wires: candles, the venue's and the kernel's options (the rest has defaults). */
export interface ReplayKernelSetup {
  readonly series: readonly { readonly symbol: SymbolId; readonly candles: readonly Candle[] | CandleColumns }[];
  readonly timeframe: Timeframe;
  readonly instruments: readonly Instrument[];
  /** Venue options besides instruments and scheduler (default balance 10 000 USDT). */
  readonly exchange?: Partial<Omit<SimulatedExchangeOptions, 'instruments' | 'scheduler'>>;
  /** Kernel options besides the wiring (strategies and risk are required). */
  readonly kernel: Pick<TradingKernelOptions, 'strategies' | 'risk'> & Partial<Omit<TradingKernelOptions, 'scheduler' | 'market' | 'broker' | 'journal' | 'queue' | 'instruments'>>;
  /** Exit Brain options (default: the standard ladder). */
  readonly exits?: ExitBrainOptions;
  /** `true` (default): the venue is attached with `attach()` (quiet runs); `false`: a plain `candles$` subscription. */
  readonly quietRuns?: boolean;
}

/**
 * The whole engine on recorded candles, as the integration tests run it: a ReplayScheduler at the first candle, a
 * CandleReplay, a SimulatedExchange, a MemoryJournal and a TradingKernel with the Exit Brain. `kernel(resume)` builds
 * a kernel on that wiring (call it again for a restart on the same venue and journal).
 */
export function replayKernel(setup: ReplayKernelSetup) {
  const first = setup.series[0]!.candles;
  const start = Array.isArray(first) ? (first as readonly Candle[])[0]!.ts : (first as CandleColumns).ts[0]!;
  const scheduler = new ReplayScheduler(start);
  const market = new CandleReplay({ series: setup.series, timeframe: setup.timeframe }, scheduler);
  const exchange = new SimulatedExchange({ balances: { USDT: 10_000 }, ...setup.exchange, instruments: setup.instruments, scheduler });
  const journal = new MemoryJournal();
  const connect = (): void => {
    if (setup.quietRuns === false) market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
    else exchange.attach(market);
  };
  const kernel = (resume: 'fresh' | 'journal' = 'fresh'): TradingKernel =>
    new TradingKernel({
      initialBalance: 10_000,
      exits: (ctx) => new ExitBrain(ctx, setup.exits),
      ...setup.kernel,
      scheduler,
      market,
      broker: exchange,
      journal,
      queue: new MemoryIntentQueue(),
      instruments: setup.instruments,
      resume,
    });
  return { scheduler, market, exchange, journal, connect, kernel };
}
