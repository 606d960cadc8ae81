import { loadCandlesCsv, momentumStrategy, symbolId } from '@quantum-trader/core';
import { buildDataset, simulateSignalOutcomes, DEFAULT_FEATURES, walkForwardSplit, trainGbdt, gbdtPredict, gbdtToOnnx, ScoringModel, trainLogistic, logisticPredict, logisticToOnnx, evaluateOnHoldout, breakEvenThreshold } from './src/index.js';
const dir = 'packages/runner/data/binance/';
const series = [
  { symbol: symbolId('BTC/USDT'), candles: loadCandlesCsv(dir + 'binance_BTCUSDT_5m_2020-12-01_2021-07-17.csv') },
  { symbol: symbolId('ETH/USDT'), candles: loadCandlesCsv(dir + 'binance_ETHUSDT_5m_2020-12-01_2021-07-17.csv') },
];
let t = performance.now();
const signals = simulateSignalOutcomes({ strategy: momentumStrategy(), series, timeframe: '5m' });
console.log('signals', signals.length, 'win', signals.filter(s => s.ret > 0).length / signals.length, (performance.now() - t).toFixed(0), 'ms');
t = performance.now();
const { dataset, droppedWarmup } = buildDataset({ spec: { timeframe: '5m', names: DEFAULT_FEATURES }, signals, series, labelSource: 'simulated' });
console.log('dataset', dataset.rows, 'dropped', droppedWarmup, (performance.now() - t).toFixed(0), 'ms');
const split = walkForwardSplit(dataset, 0.25);
console.log('train', split.train.rows, 'holdout', split.holdout.rows, 'purged', split.purged);
t = performance.now();
const m = trainGbdt(split.train.features, split.train.labels, split.train.rows, DEFAULT_FEATURES, { trees: 100 });
console.log('gbdt train', (performance.now() - t).toFixed(0), 'ms');
const own = gbdtPredict(m, split.holdout.features, split.holdout.rows);
const sm = ScoringModel.load(gbdtToOnnx(m, '5m'), { features: DEFAULT_FEATURES, timeframe: '5m' }, 'gbdt');
const p = sm.predict(split.holdout.features, split.holdout.rows);
let worst = 0; for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i]! - own[i]!));
console.log('gbdt parity', worst);
const thr = breakEvenThreshold(split.train);
console.log('thr', thr, evaluateOnHoldout(p, thr, split.holdout, 1000));
t = performance.now();
const lm = trainLogistic(split.train.features, split.train.labels, split.train.rows, DEFAULT_FEATURES);
console.log('logistic train', (performance.now() - t).toFixed(0), 'ms', lm.iterations);
const lown = logisticPredict(lm, split.holdout.features, split.holdout.rows);
const ls = ScoringModel.load(logisticToOnnx(lm, '5m'), { features: DEFAULT_FEATURES, timeframe: '5m' }, 'lr');
const lp = ls.predict(split.holdout.features, split.holdout.rows);
worst = 0; for (let i = 0; i < lp.length; i++) worst = Math.max(worst, Math.abs(lp[i]! - lown[i]!));
console.log('lr parity', worst);
console.log(evaluateOnHoldout(lp, thr, split.holdout, 1000));
