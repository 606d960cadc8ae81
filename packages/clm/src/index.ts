// Hand-curated public API of @quantum-trader/clm. Anything not exported here is internal.

export type { FeatureSpec, ParsedFeature, WindowedFeatureKind, PlainFeature } from './features/feature-spec.js';
export {
  DEFAULT_FEATURES,
  WINDOWED_FEATURE_KINDS,
  PLAIN_FEATURES,
  parseFeature,
  validateFeatureSpec,
  featureWarmup,
  sameFeatureSpec,
} from './features/feature-spec.js';
export { FeaturePipeline } from './features/feature-pipeline.js';

export type { CandleHistory, CandleSeries } from './history/candle-history.js';
export { candleHistoryFromSeries, candleHistoryFromMarket } from './history/candle-history.js';

export type { LabelledSignal } from './labels/labelled-signal.js';
export type { LadderBarrier, SimulatedTrade } from './labels/ladder-barrier.js';
export { DEFAULT_LADDER_BARRIER, standardLadderTakeProfits, simulateLadderTrade } from './labels/ladder-barrier.js';
export type { SimulateOutcomesOptions } from './labels/simulated-outcomes.js';
export { simulateSignalOutcomes } from './labels/simulated-outcomes.js';
export { journalOutcomes } from './labels/journal-outcomes.js';

export type { Dataset, LabelSource } from './dataset/dataset.js';
export { sliceDataset, datasetRange } from './dataset/dataset.js';
export type { BuildDatasetOptions, BuiltDataset } from './dataset/build-dataset.js';
export { buildDataset } from './dataset/build-dataset.js';
export type { DatasetHeader, DatasetColumnInfo } from './dataset/dataset-file.js';
export {
  DATASET_MAGIC,
  DATASET_FORMAT_VERSION,
  encodeDataset,
  decodeDataset,
  readDatasetHeader,
  datasetToCsv,
} from './dataset/dataset-file.js';
export type { StoredDataset } from './dataset/dataset-store.js';
export { DatasetStore } from './dataset/dataset-store.js';

export type { ClassificationMetrics } from './metrics/classification-metrics.js';
export { classificationMetrics, auc } from './metrics/classification-metrics.js';
export type { SignalBacktest } from './metrics/signal-backtest.js';
export { backtestSignals } from './metrics/signal-backtest.js';

export type { AttributeValue, GraphNode, FloatInitializer, FloatValueInfo, OnnxModelSpec } from './onnx/onnx-graph.js';
export { encodeOnnxModel, readOnnxMetadata, ONNX_IR_VERSION, ONNX_OPSET, ONNX_ML_OPSET } from './onnx/onnx-graph.js';
export type { OnnxValueInfo, OnnxSessionOptions } from './onnx/onnx-session.js';
export { OnnxSession } from './onnx/onnx-session.js';
export type { ModelManifest } from './onnx/model-manifest.js';
export { parseModelManifest } from './onnx/model-manifest.js';

export type { Trainer, TrainingInput, TrainedModel } from './train/trainer.js';
export type { GbdtParams } from './train/gbdt/train-gbdt.js';
export { trainGbdt } from './train/gbdt/train-gbdt.js';
export type { GbdtModel, GbdtTree } from './train/gbdt/gbdt-model.js';
export { gbdtPredict, gbdtRawScore, gbdtToOnnx } from './train/gbdt/gbdt-model.js';
export { gbdtTrainer } from './train/gbdt/gbdt-trainer.js';
export type { LogisticParams, LogisticModel } from './train/logistic/train-logistic.js';
export { trainLogistic, logisticPredict, logisticToOnnx } from './train/logistic/train-logistic.js';
export { logisticTrainer } from './train/logistic/logistic-trainer.js';
export type { ExternalTrainerOptions } from './train/external/external-trainer.js';
export { externalTrainer } from './train/external/external-trainer.js';

export type { ModelStatus, ModelMetadata, ValidationMetrics, ModelDataInfo } from './registry/model-metadata.js';
export type { ModelRegistryOptions, RegistryLogEntry, NewModel } from './registry/model-registry.js';
export { ModelRegistry } from './registry/model-registry.js';

export type { WalkForwardSplit } from './gate/walk-forward-split.js';
export { walkForwardSplit, rowsFrom, selectRows } from './gate/walk-forward-split.js';
export type { GateMetric, GateOptions, GateDecision } from './gate/promotion-gate.js';
export { breakEvenThreshold, evaluateOnHoldout, decidePromotion } from './gate/promotion-gate.js';

export { ScoringModel } from './serving/scoring-model.js';
export type { ScorerMember, OnnxSignalScorerOptions, ScoredSignal } from './serving/onnx-signal-scorer.js';
export { OnnxSignalScorer } from './serving/onnx-signal-scorer.js';
export { LiveHitRate } from './serving/live-hit-rate.js';

export type { RetrainTiming } from './schedule/retrain-schedule.js';
export { retrainSchedule, nextRetrainDue, FIRST_RETRAIN_DELAY_MS, RETRAIN_INTERVAL_MS } from './schedule/retrain-schedule.js';

export type { ContinuousLearningOptions, RetrainResult, ClmStatus } from './clm/continuous-learning-options.js';
export { ContinuousLearning } from './clm/continuous-learning.js';
