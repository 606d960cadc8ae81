import { TIMEFRAME_MS, type Candle } from '@quantum-trader/core';
import { FeaturePipeline } from '../features/feature-pipeline.js';
import type { FeatureSpec } from '../features/feature-spec.js';
import type { CandleSeries } from '../history/candle-history.js';
import type { LabelledSignal } from '../labels/labelled-signal.js';
import type { Dataset, LabelSource } from './dataset.js';

/**
 * Options of {@link buildDataset}.
 *
 * @example
 * ```ts
 * const options: BuildDatasetOptions = { spec: { timeframe: '5m', names: DEFAULT_FEATURES }, signals, series, labelSource: 'simulated' };
 * ```
 */
export interface BuildDatasetOptions {
  readonly spec: FeatureSpec;
  readonly signals: readonly LabelledSignal[];
  /** Candles of every symbol the signals name, from early enough to warm the features up. */
  readonly series: readonly CandleSeries[];
  readonly labelSource: LabelSource;
}

/**
 * What {@link buildDataset} made, and how many signals it had to leave out.
 *
 * @example
 * ```ts
 * const { dataset, droppedWarmup }: BuiltDataset = buildDataset(options);
 * ```
 */
export interface BuiltDataset {
  readonly dataset: Dataset;
  /** Signals dropped because some feature had no value yet (not enough candles before them). */
  readonly droppedWarmup: number;
  /** Signals dropped because no candle history was given for their symbol. */
  readonly droppedNoHistory: number;
}

/**
 * Builds a dataset: replays each symbol's candles through a {@link FeaturePipeline} — the same class the scorer
 * serves with — and reads every signal's feature row as of its decision time. Rows come out sorted by decision
 * time (ties in symbol order).
 *
 * @example
 * ```ts
 * const { dataset } = buildDataset({ spec, signals: simulateSignalOutcomes({ strategy, series, timeframe: '5m' }), series, labelSource: 'simulated' });
 * ```
 */
export function buildDataset(options: BuildDatasetOptions): BuiltDataset {
  const { spec } = options;
  const tf = TIMEFRAME_MS[spec.timeframe];
  const f = spec.names.length;
  const bySymbol = new Map<string, LabelledSignal[]>();
  for (const s of options.signals) {
    let list = bySymbol.get(s.symbol);
    if (list === undefined) bySymbol.set(s.symbol, (list = []));
    list.push(s);
  }
  const candlesOf = new Map<string, readonly Candle[]>();
  for (const s of options.series) candlesOf.set(s.symbol, s.candles);
  const symbols: string[] = [];
  const kept: { s: LabelledSignal; sym: number; row: Float32Array }[] = [];
  let droppedWarmup = 0;
  let droppedNoHistory = 0;
  for (const [symbol, list] of bySymbol) {
    const candles = candlesOf.get(symbol);
    if (candles === undefined) {
      droppedNoHistory += list.length;
      continue;
    }
    const sym = symbols.length;
    symbols.push(symbol);
    list.sort((a, b) => a.decidedAt - b.decidedAt);
    const pipeline = new FeaturePipeline(spec);
    let k = 0;
    for (let i = 0; i < candles.length && k < list.length; i++) {
      const c = candles[i]!;
      pipeline.update(symbol, c);
      const close = c.ts + tf;
      const nextClose = i + 1 < candles.length ? candles[i + 1]!.ts + tf : Number.POSITIVE_INFINITY;
      while (k < list.length && list[k]!.decidedAt < close) {
        droppedWarmup++; // decided before any candle we have
        k++;
      }
      while (k < list.length && list[k]!.decidedAt < nextClose) {
        const s = list[k++]!;
        const row = new Float32Array(f);
        if (pipeline.read(symbol, s.direction, row)) kept.push({ s, sym, row });
        else droppedWarmup++;
      }
    }
    droppedWarmup += list.length - k;
  }
  kept.sort((a, b) => a.s.decidedAt - b.s.decidedAt || a.sym - b.sym);
  const n = kept.length;
  const dataset: Dataset = {
    spec: { timeframe: spec.timeframe, names: [...spec.names] },
    rows: n,
    features: new Float32Array(n * f),
    labels: new Uint8Array(n),
    returns: new Float32Array(n),
    ts: new Float64Array(n),
    exitTs: new Float64Array(n),
    direction: new Int8Array(n),
    symbolIndex: new Uint16Array(n),
    symbols,
    labelSource: options.labelSource,
  };
  kept.forEach(({ s, sym, row }, r) => {
    dataset.features.set(row, r * f);
    dataset.labels[r] = s.ret > 0 ? 1 : 0;
    dataset.returns[r] = s.ret;
    dataset.ts[r] = s.decidedAt;
    dataset.exitTs[r] = s.exitTs;
    dataset.direction[r] = s.direction === 'long' ? 1 : -1;
    dataset.symbolIndex[r] = sym;
  });
  return { dataset, droppedWarmup, droppedNoHistory };
}
