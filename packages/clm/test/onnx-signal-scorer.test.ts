import type { SignalGenerated } from '@quantum-trader/core';
import { describe, expect, it } from 'vitest';
import { FeaturePipeline, OnnxSignalScorer, ScoringModel, logisticToOnnx, type ScoredSignal } from '../src/index.js';
import { BTC, ETH, candle, realCandles, scoringReplay } from './fixtures.js';

/** A logistic model on `names` with the given weights and intercept (mean 0, scale 1). */
function linear(names: readonly string[], weights: readonly number[], intercept: number, label: string): ScoringModel {
  const onnx = logisticToOnnx(
    {
      features: names,
      mean: new Float32Array(names.length),
      scale: new Float32Array(names.length).fill(1),
      weights: Float32Array.from(weights),
      intercept: Math.fround(intercept),
      iterations: 0,
    },
    '5m',
  );
  return ScoringModel.load(onnx, { features: names, timeframe: '5m' }, label);
}
const constant = (p: number, label: string) => linear(['direction'], [0], Math.log(p / (1 - p)), label);

function signal(symbol = BTC, direction: 'long' | 'short' = 'long', candleTs = 0): SignalGenerated {
  return {
    id: `sig-${candleTs}`,
    type: 'SignalGenerated',
    ts: candleTs + 300_000,
    strategyId: 'momentum-24h' as SignalGenerated['strategyId'],
    symbol,
    direction,
    candleTs,
    price: 1,
    strength: 0.02,
    reason: 'test',
  };
}

describe('the ONNX signal scorer', () => {
  it('passes every signal when no model is deployed', () => {
    expect(new OnnxSignalScorer().score(signal())).toEqual({ probability: Number.NaN, accept: true, model: 'none' });
  });

  it('swaps a model and its feature pipeline together, warming the new features from the kept candles', () => {
    const scorer = new OnnxSignalScorer();
    const v1 = linear(['ret_1', 'direction'], [5, 0.1], 0, 'v1');
    scorer.deploy([{ version: 'v1', model: v1, threshold: 0.5 }]);
    const candles = Array.from({ length: 40 }, (_, i) => candle(i, [100 + i, 101 + i, 99 + i, 100 + ((i * 7) % 11)]));
    candles.slice(0, 30).forEach((c) => scorer.onCandle(BTC, c));
    const seen: ScoredSignal[] = [];
    scorer.scored$.subscribe((s) => seen.push(s));
    expect(scorer.score(signal(BTC, 'long', candles[29]!.ts)).model).toBe('v1');

    const names = ['ret_3', 'rangepos_5', 'direction'];
    const v2 = linear(names, [3, -1, 0.2], 0.1, 'v2');
    const replaced = scorer.deploy([{ version: 'v2', model: v2, threshold: 0.4 }]);
    expect(replaced.map((m) => m.version)).toEqual(['v1']);
    candles.slice(30).forEach((c) => scorer.onCandle(BTC, c));
    const s = scorer.score(signal(BTC, 'short', candles[39]!.ts));

    const reference = new FeaturePipeline({ timeframe: '5m', names });
    candles.forEach((c) => reference.update(BTC, c));
    const row = new Float32Array(3);
    expect(reference.read(BTC, 'short', row)).toBe(true);
    expect(seen[1]!.features).toEqual(row);
    expect(s).toEqual({ probability: v2.predictOne(row), accept: v2.predictOne(row) >= 0.4, model: 'v2' });
    // Candles the kernel replays again at start-up (already seen) are ignored.
    scorer.onCandle(BTC, candles[10]!);
    expect(scorer.score(signal(BTC, 'short', candles[39]!.ts)).probability).toBe(s.probability);
  });

  it('averages an ensemble against the mean threshold, or takes a majority vote', () => {
    const members = [
      { version: 'v5', model: constant(0.7, 'v5'), threshold: 0.6 },
      { version: 'v6', model: constant(0.4, 'v6'), threshold: 0.45 },
    ];
    const c = candle(0, [1, 1, 1, 1]);
    const mean = new OnnxSignalScorer({ combine: 'mean' });
    mean.onCandle(BTC, c);
    mean.deploy(members);
    const m = mean.score(signal(BTC, 'long', c.ts));
    expect(m.model).toBe('ensemble(v5,v6)');
    expect(m.probability).toBeCloseTo(0.55, 6);
    expect(m.accept).toBe(true); // 0.55 ≥ (0.6 + 0.45) / 2
    const vote = new OnnxSignalScorer({ combine: 'vote' });
    vote.onCandle(BTC, c);
    vote.deploy(members);
    expect(vote.score(signal(BTC, 'long', c.ts)).accept).toBe(false); // 1 vote of 2 is no majority
  });

  it('lets the strategy decide (or refuses, if configured) while a symbol is warming up', () => {
    const model = linear(['ret_24h', 'direction'], [1, 0], 0, 'v1');
    const accept = new OnnxSignalScorer();
    accept.deploy([{ version: 'v1', model, threshold: 0.5 }]);
    expect(accept.score(signal(ETH))).toEqual({ probability: Number.NaN, accept: true, model: 'v1(warming-up)' });
    const reject = new OnnxSignalScorer({ whenNotReady: 'reject' });
    reject.deploy([{ version: 'v1', model, threshold: 0.5 }]);
    expect(reject.score(signal(ETH)).accept).toBe(false);
  });

  it('makes the kernel deny a refused signal with rule model-filter, naming the model', async () => {
    const scorer = new OnnxSignalScorer();
    scorer.deploy([{ version: 'v3', model: constant(0.1, 'v3'), threshold: 0.5 }]);
    const series = [{ symbol: BTC, candles: realCandles('BTC', '2021-01-01', '2021-01-03') }];
    const { scheduler, kernel, market } = scoringReplay(series, series[0]!.candles[0]!.ts, scorer);
    const denied: string[] = [];
    kernel.events$.subscribe((e) => {
      if (e.type === 'OrderDenied') denied.push(`${e.rule}: ${e.reason}`);
    });
    await kernel.start();
    market.start();
    scheduler.runUntil(market.endTime + 60_000);
    kernel.stop();
    expect(denied.length).toBeGreaterThan(10);
    expect(denied[0]).toBe('model-filter: model v3 gives this signal a 10.0 % chance of profit, below its threshold');
  });
});
