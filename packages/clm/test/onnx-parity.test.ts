import { InferenceSession, Tensor } from 'onnxruntime-node';
import { momentumStrategy } from '@quantum-trader/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURES,
  ScoringModel,
  buildDataset,
  gbdtPredict,
  gbdtToOnnx,
  logisticPredict,
  logisticToOnnx,
  readOnnxMetadata,
  simulateSignalOutcomes,
  trainGbdt,
  trainLogistic,
  walkForwardSplit,
  type WalkForwardSplit,
} from '../src/index.js';
import { BTC, ETH, realCandles } from './fixtures.js';

let split: WalkForwardSplit;
const spec = { timeframe: '5m' as const, names: DEFAULT_FEATURES };
const manifest = { features: DEFAULT_FEATURES, timeframe: '5m' as const };

beforeAll(() => {
  const series = [
    { symbol: BTC, candles: realCandles('BTC', '2021-01-01', '2021-02-10') },
    { symbol: ETH, candles: realCandles('ETH', '2021-01-01', '2021-02-10') },
  ];
  const signals = simulateSignalOutcomes({ strategy: momentumStrategy(), series, timeframe: '5m' });
  split = walkForwardSplit(buildDataset({ spec, signals, series, labelSource: 'simulated' }).dataset, 0.3);
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('ONNX export of the built-in trainers', () => {
  it('has real held-out rows to check on', () => {
    expect(split.train.rows).toBeGreaterThan(2000);
    expect(split.holdout.rows).toBeGreaterThan(1000);
    expect(split.holdout.ts[0]).toBeGreaterThan(split.train.ts[split.train.rows - 1]!);
  });

  it('GBDT (TreeEnsembleRegressor + Sigmoid): onnxruntime-node equals the trainer to 1e-5 on held-out rows', async () => {
    const { train, holdout } = split;
    const model = trainGbdt(train.features, train.labels, train.rows, DEFAULT_FEATURES, { trees: 40, maxDepth: 4, minLeafRows: 20 });
    expect(model.trees).toHaveLength(40);
    const onnx = gbdtToOnnx(model, '5m');
    const own = gbdtPredict(model, holdout.features, holdout.rows);
    const served = ScoringModel.load(onnx, manifest, 'gbdt').predict(holdout.features, holdout.rows);
    expect(maxDiff(served, own)).toBeLessThanOrEqual(1e-5);
    // The package's public (asynchronous) API gives the same numbers as the synchronous binding the scorer uses —
    // on one thread like the scorer: with several, onnxruntime sums the trees in another order (last bits differ).
    const session = await InferenceSession.create(onnx, { intraOpNumThreads: 1 });
    const out = await session.run({ features: new Tensor('float32', holdout.features, [holdout.rows, DEFAULT_FEATURES.length]) });
    expect(maxDiff(out.probability!.data as Float32Array, served)).toBe(0);
    await session.release();
    // The predictions are not constant: the trees did split.
    expect(Math.max(...served) - Math.min(...served)).toBeGreaterThan(0.05);
    expect(JSON.parse(readOnnxMetadata(onnx)['qt.features']!)).toEqual(DEFAULT_FEATURES);
  });

  it('logistic regression (Sub, Div, MatMul, Add, Sigmoid): onnxruntime-node equals the trainer to 1e-5 on held-out rows', () => {
    const { train, holdout } = split;
    const model = trainLogistic(train.features, train.labels, train.rows, DEFAULT_FEATURES, { l2: 1 });
    expect(model.iterations).toBeLessThan(25);
    const own = logisticPredict(model, holdout.features, holdout.rows);
    const served = ScoringModel.load(logisticToOnnx(model, '5m'), manifest, 'logistic').predict(holdout.features, holdout.rows);
    expect(maxDiff(served, own)).toBeLessThanOrEqual(1e-5);
    expect(Math.max(...served) - Math.min(...served)).toBeGreaterThan(0.05);
  });

  it('a one-row call gives the same probability as the batch', () => {
    const { train, holdout } = split;
    const model = trainGbdt(train.features, train.labels, train.rows, DEFAULT_FEATURES, { trees: 10, maxDepth: 3 });
    const served = ScoringModel.load(gbdtToOnnx(model, '5m'), manifest, 'gbdt');
    const batch = served.predict(holdout.features, 50);
    const f = DEFAULT_FEATURES.length;
    for (let r = 0; r < 50; r++) expect(served.predictOne(holdout.features.slice(r * f, (r + 1) * f))).toBe(batch[r]);
  });
});
