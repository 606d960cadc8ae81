import type { Journal, Strategy, UnixMillis } from '@quantum-trader/core';
import { buildDataset } from '../dataset/build-dataset.js';
import type { Dataset, LabelSource } from '../dataset/dataset.js';
import { sameFeatureSpec, type FeatureSpec } from '../features/feature-spec.js';
import { walkForwardSplit, type WalkForwardSplit } from '../gate/walk-forward-split.js';
import type { CandleHistory, CandleSeries } from '../history/candle-history.js';
import { journalOutcomes } from '../labels/journal-outcomes.js';
import type { LadderBarrier } from '../labels/ladder-barrier.js';
import type { LabelledSignal } from '../labels/labelled-signal.js';
import { simulateSignalOutcomes } from '../labels/simulated-outcomes.js';

/**
 * The data of one retraining run: labelled signals, the dataset built from them and its walk-forward split.
 *
 * @internal
 */
export interface RunData {
  readonly now: UnixMillis;
  readonly source: LabelSource;
  readonly signals: readonly LabelledSignal[];
  readonly series: readonly CandleSeries[];
  readonly dataset: Dataset;
  readonly split: WalkForwardSplit;
  readonly droppedWarmup: number;
}

/** @internal */
export interface RunDataOptions {
  readonly now: UnixMillis;
  readonly journal: Journal;
  readonly history: CandleHistory;
  readonly strategy: () => Strategy;
  readonly spec: FeatureSpec;
  readonly barrier: LadderBarrier;
  readonly source: 'auto' | 'journal' | 'simulated';
  readonly journalMin: number;
  readonly closedTrades: number;
  readonly holdoutFraction: number;
}

/**
 * Gathers labels (journal trades once there are enough, simulated history before), builds the dataset with the
 * feature pipeline and splits it walk-forward. Only what is known at `now` is used.
 *
 * @internal
 */
export async function prepareRunData(o: RunDataOptions): Promise<RunData> {
  const series = o.history.symbols.map((symbol) => ({ symbol, candles: o.history.candles(symbol, o.now) }));
  const source: LabelSource =
    o.source === 'auto' ? (o.closedTrades >= o.journalMin ? 'journal' : 'simulated') : o.source;
  let signals: LabelledSignal[];
  if (source === 'journal') {
    const closed = await o.journal.positions({ status: 'closed' });
    signals = journalOutcomes(closed, o.history.timeframe).filter((s) => s.exitTs <= o.now);
  } else {
    signals = simulateSignalOutcomes({ strategy: o.strategy(), series, timeframe: o.history.timeframe, barrier: o.barrier });
  }
  const built = buildDataset({ spec: o.spec, signals, series, labelSource: source });
  return {
    now: o.now,
    source,
    signals,
    series,
    dataset: built.dataset,
    split: walkForwardSplit(built.dataset, o.holdoutFraction),
    droppedWarmup: built.droppedWarmup,
  };
}

/**
 * The holdout rows of a run as seen by a model with `spec` (the run's own holdout when the features are the same,
 * else the same signals rebuilt with that model's features).
 *
 * @internal
 */
export function holdoutFor(data: RunData, spec: FeatureSpec): Dataset {
  if (sameFeatureSpec(spec, data.split.holdout.spec)) return data.split.holdout;
  const from = data.split.holdoutStart;
  return buildDataset({
    spec,
    signals: data.signals.filter((s) => s.decidedAt >= from),
    series: data.series,
    labelSource: data.source,
  }).dataset;
}
