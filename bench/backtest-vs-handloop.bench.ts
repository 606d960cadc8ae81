// backtest_vs_handloop: the full engine over 1,000,000 one-minute candles, divided by a plain fused loop over
// Float64Array columns that computes the same signals and must produce the very same trades (asserted).
// Prints ONE JSON object on stdout (progress on stderr). Run by `pnpm bench`, or alone:
//   npx tsx bench/backtest-vs-handloop.bench.ts [candles]
import type { CandleColumns, MemoryJournal, PositionClosed } from '@quantum-trader/core';
import { BENCH_CONFIG, BENCH_INSTRUMENT, BENCH_SYMBOL, runEngine } from './lib/engine-run.js';
import { BENCH_HAND_CONFIG } from './lib/engine-variants.js';
import { handLoop, type HandTrade } from './lib/hand-loop.js';
import { memoryLatencyNs } from './lib/memory-latency.js';
import { alternating, bestOf, emit, median, peakRssMB, progress, round, timeOnce } from './lib/measure.js';
import { MINUTE_SERIES_SOURCE, minuteCandles } from './lib/minute-candles.js';

const NAME = 'backtest_vs_handloop';
const N = Number(process.argv[2] ?? 1_000_000);
const WARMUP = Math.min(N, 200_000);
const ROUNDS = 8;

function prefix(c: CandleColumns, n: number): CandleColumns {
  return {
    length: n,
    ts: c.ts.subarray(0, n),
    open: c.open.subarray(0, n),
    high: c.high.subarray(0, n),
    low: c.low.subarray(0, n),
    close: c.close.subarray(0, n),
    volume: c.volume.subarray(0, n),
  };
}

function asTrade(c: PositionClosed): HandTrade {
  return {
    side: c.side,
    entryTs: c.openedAt,
    entryPrice: c.entryPrice,
    exitTs: c.ts,
    exitPrice: c.exitPrice,
    qty: c.qty,
    pnl: c.realizedPnl,
    fees: c.fees,
    exitReason: c.exitReason,
  };
}

/** The first difference between two trade lists, or undefined when they are identical. */
function firstDifference(a: readonly HandTrade[], b: readonly HandTrade[]): string | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = JSON.stringify(a[i]);
    const y = JSON.stringify(b[i]);
    if (x !== y) return `trade ${i}: engine ${x} vs hand loop ${y} (engine ${a.length} trades, hand loop ${b.length})`;
  }
  return undefined;
}

/** The first event where two journals differ, or undefined when they are identical. */
function firstJournalDifference(a: MemoryJournal, b: MemoryJournal): string | undefined {
  const x = a.events();
  const y = b.events();
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = JSON.stringify(x[i]);
    const q = JSON.stringify(y[i]);
    if (p !== q) return `event ${i}: with quiet runs ${p} vs candle by candle ${q}`;
  }
  return undefined;
}

progress(NAME, `building ${N.toLocaleString('en-US')} one-minute candles`);
const cols = minuteCandles(N);

/**
 * Warms both sides up on the first {@link WARMUP} candles and checks them there: quiet runs must not change a thing
 * (the same engine with every candle delivered as an event journals the same), and the hand loop must trade as the
 * engine does. Returns the two engine times only: the warm-up journals are garbage once it returns, so the timed runs
 * below do not carry them (a live journal is marked again by every full collection).
 */
function warmUpAndCheck(): { readonly quietRunsMs: number; readonly perCandleMs: number } {
  const warmCols = prefix(cols, WARMUP);
  const warm = runEngine(warmCols, BENCH_CONFIG, false, true);
  const perCandle = runEngine(warmCols, BENCH_CONFIG, false, true, false);
  const journalDiff = firstJournalDifference(warm.journal!, perCandle.journal!);
  if (journalDiff !== undefined) throw new Error(`${NAME}: quiet runs changed the journal on the warm-up data: ${journalDiff}`);
  const warmHand = bestOf(3, () => handLoop(warmCols, BENCH_HAND_CONFIG));
  const warmDiff = firstDifference(warm.closed.map(asTrade), warmHand.value);
  if (warmDiff !== undefined) throw new Error(`${NAME}: the engine and the hand loop disagree on the warm-up data: ${warmDiff}`);
  return { quietRunsMs: warm.ms, perCandleMs: perCandle.ms };
}

progress(NAME, `warming up on ${WARMUP.toLocaleString('en-US')} candles`);
const warmUp = warmUpAndCheck();

// Peak RSS is read after the first full run: what one run over 1M candles needs (later runs only add garbage that
// the heap has not collected yet).
progress(NAME, 'engine, first run (peak RSS)');
const first = timeOnce(() => runEngine(cols, BENCH_CONFIG));
const rss = peakRssMB();
// Then engine and hand loop alternate, so both are timed under the same machine conditions (a shared machine's load
// moves by tens of percent within seconds); each side keeps its best run.
progress(NAME, `engine and hand loop, ${ROUNDS} alternating runs each`);
const [alternated, hand] = alternating(
  ROUNDS,
  () => runEngine(cols, BENCH_CONFIG),
  () => handLoop(cols, BENCH_HAND_CONFIG),
);
const engine = {
  value: alternated.value,
  timing: { ms: Math.min(first.timing.ms, alternated.timing.ms), cpuMs: Math.min(first.timing.cpuMs, alternated.timing.cpuMs) },
};
const engineTrades = engine.value.closed.map(asTrade);
const diff = firstDifference(engineTrades, hand.value);
if (diff !== undefined) throw new Error(`${NAME}: the engine and the hand loop produced different trades: ${diff}`);

const ratio = engine.timing.ms / hand.timing.ms;
// Read after the timed runs (its buffers would raise the peak RSS above): ratios from machines with slower memory are higher.
progress(NAME, 'memory latency (dependent loads)');
const dependentLoadNs = memoryLatencyNs([0.25, 2, 32, 128]);
emit({
  name: NAME,
  ok: true,
  candles: N,
  trades: engineTrades.length,
  identicalTrades: true,
  quietRunsChangeNothing: true,
  perCandleEngine: { candles: WARMUP, ms: round(warmUp.perCandleMs, 1), quietRunsMs: round(warmUp.quietRunsMs, 1) },
  firstRunMs: round(first.timing.ms, 1),
  journalEvents: engine.value.events,
  ratio: round(ratio),
  ratioCpu: round(engine.timing.cpuMs / hand.timing.cpuMs),
  // how far the machine moved the runs: the middle of the alternating runs, and of the ratios of their pairs
  spread: {
    engineMedianMs: round(median(alternated.runsMs), 1),
    handloopMedianMs: round(median(hand.runsMs), 2),
    pairRatioMedian: round(median(alternated.runsMs.map((ms, i) => ms / hand.runsMs[i]!))),
  },
  target: { ratio: 5, peakRssMB: 300 },
  engine: {
    ms: round(engine.timing.ms, 1),
    cpuMs: round(engine.timing.cpuMs, 1),
    candlesPerSec: Math.round((N / engine.timing.ms) * 1000),
    nsPerCandle: round((engine.timing.ms * 1e6) / N, 1),
  },
  handloop: {
    ms: round(hand.timing.ms, 2),
    cpuMs: round(hand.timing.cpuMs, 2),
    candlesPerSec: Math.round((N / hand.timing.ms) * 1000),
    nsPerCandle: round((hand.timing.ms * 1e6) / N, 1),
  },
  peakRssMB: round(rss, 1),
  machine: {
    dependentLoadNs,
    note: 'ns per dependent load through a random cycle over a buffer of that size (bench/lib/memory-latency.ts), read after the timed runs: the engine chases pointers through its heap while the hand loop streams arrays, so a machine with slow memory slows the engine more (compare ratios from different machines with this)',
  },
  config: {
    symbol: BENCH_SYMBOL,
    instrument: `Binance USDT-M rules: tick ${BENCH_INSTRUMENT.tickSize}, lot ${BENCH_INSTRUMENT.lotStep}, maker ${BENCH_INSTRUMENT.makerFee}, taker ${BENCH_INSTRUMENT.takerFee}`,
    strategy: 'momentum 24 h (ROC over 1440 one-minute closes), LONG > +1 %, SHORT < -1 %, 60 s cycle',
    risk: `fixed notional ${BENCH_CONFIG.notional} at 1x; max notional ${BENCH_CONFIG.notional}, max leverage 10, one position per symbol, cooldown ${BENCH_CONFIG.cooldownMs / 60_000} min`,
    exits: `ExitBrain STANDARD_LADDER (30/30/40 % at the volatility-regime levels, stop -${BENCH_CONFIG.stopLossPct * 100} % re-sized after each take profit)`,
    exchange: 'SimulatedExchange, slippage 0, conservative intrabar path, no volume cap',
    journal: 'MemoryJournal',
    portfolioSyncMs: BENCH_CONFIG.portfolioSyncMs,
    initialBalance: BENCH_CONFIG.initialBalance,
    candleInput: 'CandleColumns (Float64Array columns) for both',
  },
  data: MINUTE_SERIES_SOURCE,
  timing: `after a warm-up on 200k candles: one engine run (peak RSS read after it; its time alone is firstRunMs), then engine and hand loop alternately, ${ROUNDS} runs each; each side's best run; wall clock (ratio) and process CPU time (ratioCpu); spread: the medians of the alternating runs and of the ratios of their pairs, for how much the machine moved them`,
  quietRuns: 'the engine runs with quiet runs (the default of backtest()); on the warm-up data it also ran with every candle delivered as an event (perCandleEngine, one unwarmed run each) and journalled the very same events',
});
