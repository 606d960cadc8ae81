import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  CandleReplay,
  dailyEquity,
  MemoryIntentQueue,
  MemoryJournal,
  performanceMetrics,
  perSymbolStatistics,
  ReplayScheduler,
  SimulatedExchange,
  TradingKernel,
  type DomainEvent,
  type FundingPayment,
  type PositionClosed,
  standardRiskEngine,
} from '@quantum-trader/core';
import { ExitBrain } from '@quantum-trader/exit-brain';
import type { BacktestOptions } from './backtest-options.js';
import { BacktestResult, type BacktestTrade } from './backtest-result.js';
import { EquityRecorder } from './equity-recorder.js';
import { resolveBacktest, type ResolvedBacktest } from './resolve-backtest.js';

const DAY_MS = 86_400_000;

/**
 * Runs a backtest: the candles are replayed in virtual time through the same `TradingKernel` that runs paper and
 * live — strategy → risk → intent queue → execution → `SimulatedExchange` → Exit Brain → portfolio → journal —
 * with every symbol trading on one shared balance. Signals computed on a closed candle act at the next candle's
 * open; nothing reads a candle before it closed. Deterministic: the same data and options give the same events,
 * trades and metrics.
 *
 * Throws `QuantumTraderError` before anything runs for bad input: empty data or range (`DATA_INVALID`), unsorted
 * candles or a gap (`DATA_INVALID`, naming the symbol and the time), an unknown strategy (`UNKNOWN_STRATEGY`), an
 * out-of-range parameter (`PARAMETER_OUT_OF_RANGE`, naming it).
 *
 * @example
 * ```ts
 * import { loadCandlesCsv } from '@quantum-trader/core';
 * import { backtest } from '@quantum-trader/backtest';
 *
 * const result = await backtest({
 *   data: [{ symbol: 'BTC/USDT', candles: loadCandlesCsv('data/binance_BTCUSDT_5m.csv') }],
 *   from: '2021-04-26', to: '2021-05-13',
 *   strategy: { name: 'momentum', params: { lookbackHours: 24 } },
 * });
 * console.log(result.summary());
 * ```
 */
export async function backtest(options: BacktestOptions): Promise<BacktestResult> {
  const r = resolveBacktest(options);
  const scheduler = new ReplayScheduler(r.from);
  const market = new CandleReplay(
    { series: r.series, timeframe: r.timeframe, from: r.from, to: r.to },
    scheduler,
  );
  const exchange = new SimulatedExchange({
    instruments: r.instruments,
    balances: { [r.quote]: r.initialBalance },
    slippageBps: r.slippageBps,
    intrabar: r.intrabar,
    scheduler,
    latencyMs: r.latencyMs,
    ...(r.maxVolumeParticipation !== undefined ? { maxVolumeParticipation: r.maxVolumeParticipation } : {}),
    ...(r.volumeSlippage !== undefined ? { volumeSlippage: r.volumeSlippage } : {}),
    ...(r.fundingRates !== undefined ? { fundingRates: r.fundingRates } : {}),
    ...(r.refinement !== undefined ? { refinement: r.refinement } : {}),
  });
  // attach() lets the venue take part in quiet runs; a plain subscription makes every candle an event.
  if (options.quietRuns === false) market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
  else exchange.attach(market);
  const risk = standardRiskEngine(r.risk, r.instruments);
  const journal = new MemoryJournal();
  const exitOptions = r.exits;
  const kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal,
    queue: new MemoryIntentQueue(),
    strategies: [r.strategy],
    risk,
    instruments: r.instruments,
    ...(exitOptions === false ? {} : { exits: (ctx) => new ExitBrain(ctx, exitOptions) }),
    initialBalance: r.initialBalance,
    cycleMs: r.cycleMs,
    portfolioSyncMs: r.portfolioSyncMs,
    resume: 'fresh',
  });

  const symbols = r.series.map((s) => s.symbol);
  const recorder = new EquityRecorder(symbols, kernel.portfolio, r.from, r.initialBalance);
  const funding: FundingPayment[] = [];
  exchange.funding$.subscribe((p) => {
    funding.push(p);
    recorder.onFunding(p);
  });
  kernel.events$.subscribe((e) => recorder.onEvent(e));
  await kernel.start();
  // Subscribed after the kernel: the sample sees the candle's fills and the new marks.
  recorder.attach(market, scheduler);
  market.start();

  const end = market.endTime;
  const total = Math.max(1, end - r.from);
  let now = scheduler.now();
  while (now < end) {
    scheduler.runUntil(Math.min(end, now + DAY_MS));
    if (kernel.error !== undefined) throw kernel.error;
    now = scheduler.now();
    if (options.onProgress !== undefined) {
      const st = kernel.status();
      options.onProgress({ now, from: r.from, to: end, fraction: Math.min(1, (now - r.from) / total), trades: st.closedTrades, equity: st.equity });
      await yieldToEventLoop();
    }
  }
  // One more cycle after the last close, so the last candle's signals are processed like in a paper run.
  scheduler.runUntil(end + r.cycleMs);
  if (kernel.error !== undefined) throw kernel.error;
  kernel.stop();

  return buildResult(r, journal.events().map((j) => j.event), recorder, funding, kernel, exchange);
}

function buildResult(
  r: ResolvedBacktest,
  events: readonly DomainEvent[],
  recorder: EquityRecorder,
  funding: readonly FundingPayment[],
  kernel: TradingKernel,
  exchange: SimulatedExchange,
): BacktestResult {
  const leverage = new Map<string, number>();
  for (const e of events) if (e.type === 'PositionOpened') leverage.set(e.positionId, e.leverage);
  const trades: BacktestTrade[] = events
    .filter((e): e is PositionClosed => e.type === 'PositionClosed')
    .map((e) => ({
      symbol: e.symbol,
      side: e.side,
      entryTs: e.openedAt,
      exitTs: e.ts,
      entryPrice: e.entryPrice,
      exitPrice: e.exitPrice,
      qty: e.qty,
      pnl: e.realizedPnl,
      fees: e.fees,
      exitReason: e.exitReason,
      positionId: e.positionId,
      leverage: leverage.get(e.positionId) ?? 1,
    }));
  const equity = { ts: recorder.ts, equity: recorder.equity };
  const symbols = r.series.map((s) => String(s.symbol));
  let days: number[] = [];
  const symbolDaily = recorder.symbolPnl.map((values) => {
    const daily = dailyEquity({ ts: recorder.ts, equity: values });
    days = daily.days;
    return daily.equity.map((v, i) => v - (i === 0 ? 0 : daily.equity[i - 1]!));
  });
  const open = kernel.portfolio.openPositions();
  const base = performanceMetrics({
    trades,
    equity,
    from: r.from,
    to: recorder.ts[recorder.ts.length - 1] ?? r.to,
    openSince: open.map((p) => p.openedAt),
    symbolDailyReturns: symbolDaily,
  });
  const fidelity = exchange.fidelityStats();
  const metrics = {
    ...base,
    funding: recorder.fundingTotal,
    openPositions: open.length,
    ordersDenied: kernel.status().ordersDenied,
    ambiguousCandles: fidelity.ambiguousCandles,
    refinedCandles: fidelity.refinedCandles,
  };
  return new BacktestResult(
    {
      symbols,
      timeframe: r.timeframe,
      from: r.from,
      to: r.to,
      strategy: r.strategyLabel,
      strategyName: r.strategyName,
      params: r.strategyParams,
      initialBalance: r.initialBalance,
      quote: r.quote,
    },
    trades,
    equity,
    metrics,
    perSymbolStatistics(trades, symbols),
    events,
    funding,
    { days, symbols, pnl: symbolDaily },
    r.series.map((s) => ({ symbol: s.symbol, candles: s.candles.filter((c) => c.ts >= r.from && c.ts < r.to) })),
  );
}
