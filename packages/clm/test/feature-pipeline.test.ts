import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURES,
  FeaturePipeline,
  OnnxSignalScorer,
  ScoringModel,
  buildDataset,
  candleHistoryFromSeries,
  featureWarmup,
  logisticToOnnx,
  parseFeature,
  type ScoredSignal,
} from '../src/index.js';
import { BTC, ETH, candle, realCandles, scoringReplay } from './fixtures.js';

const spec = { timeframe: '5m', names: DEFAULT_FEATURES } as const;

/** A scorer serving a small logistic model on the default features (its weights do not matter here). */
function scorerWithModel(): OnnxSignalScorer {
  const F = DEFAULT_FEATURES.length;
  const model = ScoringModel.load(
    logisticToOnnx(
      {
        features: DEFAULT_FEATURES,
        mean: new Float32Array(F),
        scale: new Float32Array(F).fill(1),
        weights: Float32Array.from({ length: F }, (_, j) => (j % 3) - 1),
        intercept: 0,
        iterations: 0,
      },
      '5m',
    ),
    { features: DEFAULT_FEATURES, timeframe: '5m' },
    'test',
  );
  const scorer = new OnnxSignalScorer();
  scorer.deploy([{ version: 'v1', model, threshold: 0.5 }]);
  return scorer;
}

function servedFeatures(scorer: OnnxSignalScorer, run: () => void): ScoredSignal[] {
  const seen: ScoredSignal[] = [];
  const sub = scorer.scored$.subscribe((s) => {
    if (Number.isFinite(s.score.probability)) seen.push(s);
  });
  run();
  sub.unsubscribe();
  return seen;
}

function trainingFeatures(series: readonly { symbol: typeof BTC; candles: ReturnType<typeof realCandles> }[], served: readonly ScoredSignal[]) {
  const signals = served.map((s) => ({
    symbol: s.signal.symbol,
    decidedAt: s.signal.candleTs + 300_000,
    direction: s.signal.direction,
    ret: 0.01,
    exitTs: s.signal.candleTs + 600_000,
  }));
  const { dataset } = buildDataset({ spec, signals, series, labelSource: 'simulated' });
  const byKey = new Map<string, Float32Array>();
  const f = DEFAULT_FEATURES.length;
  for (let r = 0; r < dataset.rows; r++) {
    const key = `${dataset.symbols[dataset.symbolIndex[r]!]}|${dataset.ts[r]}|${dataset.direction[r]}`;
    byKey.set(key, dataset.features.slice(r * f, (r + 1) * f));
  }
  return (s: ScoredSignal) => byKey.get(`${s.signal.symbol}|${s.signal.candleTs + 300_000}|${s.signal.direction === 'long' ? 1 : -1}`);
}

describe('the feature pipeline', () => {
  it('parses windows in candles or hours and names an unknown feature with the ones it knows', () => {
    expect(parseFeature('ret_1h', '5m')).toEqual({ name: 'ret_1h', kind: 'ret', window: 12 });
    expect(parseFeature('rsi_14', '5m')).toEqual({ name: 'rsi_14', kind: 'rsi', window: 14 });
    expect(() => parseFeature('macd_12', '5m')).toThrow(/"macd_12" is not a feature the CLM pipeline can compute.*kind one of ret, sret/);
    expect(() => parseFeature('ret_7h', '4h')).toThrow(/whole number of candles/);
    expect(featureWarmup(spec)).toBe(2890); // distema_24h: 10 × (288 + 1)
  });

  it('computes returns, signed returns, range position, hour and direction from the candles it was fed', () => {
    const p = new FeaturePipeline({ timeframe: '5m', names: ['ret_1', 'sret_2', 'rangepos_3', 'hour_sin', 'hour_cos', 'direction'] });
    const closes = [100, 110, 99, 104.5];
    closes.forEach((c, i) => p.update('X', candle(i, [c, c + 1, c - 1, c])));
    const long = new Float32Array(6);
    expect(p.read('X', 'long', long)).toBe(true);
    const short = new Float32Array(6);
    p.read('X', 'short', short);
    const ts = candle(3, [0, 0, 0, 0]).ts;
    const angle = (2 * Math.PI * (ts % 86_400_000)) / 86_400_000;
    expect([...long]).toEqual(
      [104.5 / 99 - 1, 104.5 / 110 - 1, (104.5 - 98) / (111 - 98), Math.sin(angle), Math.cos(angle), 1].map(Math.fround),
    );
    expect(short[1]).toBe(Math.fround(-(104.5 / 110 - 1)));
    expect(short[5]).toBe(-1);
  });

  it('is not ready until a symbol has seen the warm-up', () => {
    const p = new FeaturePipeline({ timeframe: '5m', names: ['ret_3'] });
    const row = new Float32Array(1);
    for (let i = 0; i < 3; i++) {
      p.update('X', candle(i, [1, 1, 1, 1 + i]));
      expect(p.read('X', 'long', row)).toBe(false);
    }
    p.update('X', candle(3, [1, 1, 1, 5]));
    expect(p.read('X', 'long', row)).toBe(true);
    expect(row[0]).toBe(Math.fround(5 / 1 - 1));
  });

  it('serves, through the kernel and the ONNX scorer, exactly the feature rows the training path computes', () => {
    const series = [
      { symbol: BTC, candles: realCandles('BTC', '2021-01-01', '2021-01-13') },
      { symbol: ETH, candles: realCandles('ETH', '2021-01-01', '2021-01-13') },
    ];
    const scorer = scorerWithModel();
    const { scheduler, kernel, market } = scoringReplay(series, series[0]!.candles[0]!.ts, scorer);
    const served = servedFeatures(scorer, () => {
      void kernel.start();
      market.start();
      scheduler.runUntil(market.endTime + 60_000);
    });
    kernel.stop();
    expect(served.length).toBeGreaterThan(300);
    const train = trainingFeatures(series, served);
    for (const s of served) expect(train(s)).toEqual(s.features);
  });

  it('agrees with training rows to 1e-6 when serving starts mid-stream from preloaded history', () => {
    const from = Date.UTC(2021, 0, 11);
    const series = [{ symbol: BTC, candles: realCandles('BTC', '2020-12-01', '2021-01-16') }];
    const scorer = scorerWithModel();
    // The scorer only keeps its last 3000 candles; training replays everything since 2020-12-01.
    scorer.preload(candleHistoryFromSeries(series, '5m'), from);
    const { scheduler, kernel, market } = scoringReplay(series, from, scorer);
    const served = servedFeatures(scorer, () => {
      void kernel.start();
      market.start();
      scheduler.runUntil(market.endTime + 60_000);
    });
    kernel.stop();
    expect(served.length).toBeGreaterThan(100);
    const train = trainingFeatures(series, served);
    let worst = 0;
    for (const s of served) {
      const t = train(s)!;
      for (let j = 0; j < t.length; j++) worst = Math.max(worst, Math.abs(t[j]! - s.features[j]!));
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
  });
});
