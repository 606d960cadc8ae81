import {
  RealizedVolatility,
  TIMEFRAME_MS,
  candleColumnsFrom,
  type Strategy,
  type Timeframe,
  type UnixMillis,
} from '@quantum-trader/core';
import type { CandleSeries } from '../history/candle-history.js';
import { DEFAULT_LADDER_BARRIER, simulateLadderTrade, type LadderBarrier } from './ladder-barrier.js';
import type { LabelledSignal } from './labelled-signal.js';

/**
 * Options of {@link simulateSignalOutcomes}.
 *
 * @example
 * ```ts
 * const options: SimulateOutcomesOptions = { strategy: momentumStrategy(), series, timeframe: '5m', from: Date.UTC(2021, 0, 1) };
 * ```
 */
export interface SimulateOutcomesOptions {
  /** A fresh strategy instance (it is fed every candle); the signals are its decisions. */
  readonly strategy: Strategy;
  readonly series: readonly CandleSeries[];
  readonly timeframe: Timeframe;
  readonly barrier?: LadderBarrier;
  /** Only signals decided at or after this time (earlier candles still warm the strategy up). */
  readonly from?: UnixMillis;
}

/**
 * Labels from history: replays each symbol's candles through the strategy, and for every candle on which it
 * signals, simulates the trade with the {@link LadderBarrier} rule (see {@link simulateLadderTrade}). Every such
 * candle gives one sample, whether or not a position would have been open then: overlapping samples are more
 * data for the trainer; the gate's backtest takes them one position per symbol at a time. Signals whose trade has
 * not finished by the last candle get no label.
 *
 * @example
 * ```ts
 * const outcomes = simulateSignalOutcomes({ strategy: momentumStrategy(), series, timeframe: '5m' });
 * const winRate = outcomes.filter((o) => o.ret > 0).length / outcomes.length;
 * ```
 */
export function simulateSignalOutcomes(options: SimulateOutcomesOptions): LabelledSignal[] {
  const barrier = options.barrier ?? DEFAULT_LADDER_BARRIER;
  const tf = TIMEFRAME_MS[options.timeframe];
  const perDay = Math.round(86_400_000 / tf);
  const volScale = Math.sqrt(86_400_000 / tf);
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const out: LabelledSignal[] = [];
  for (const { symbol, candles } of options.series) {
    const cols = candleColumnsFrom(candles);
    // The kernel's volatility measure: stddev of candle returns over 24 h, scaled to one day.
    const vol = new RealizedVolatility(Math.max(2, perDay));
    for (let i = 0; i < candles.length; i++) {
      const c = candles[i]!;
      options.strategy.onCandle(symbol, c);
      const v = vol.update(c.close) * volScale;
      const decidedAt = c.ts + tf;
      if (decidedAt < from) continue;
      const d = options.strategy.evaluate(symbol, decidedAt);
      if (d === undefined) continue;
      const t = simulateLadderTrade(cols, i, d.direction, v, barrier);
      if (t === undefined) continue;
      out.push({ symbol, decidedAt, direction: d.direction, ret: t.ret, exitTs: cols.ts[t.exitIndex]! + tf });
    }
  }
  return out;
}
