import type { Trainer } from '../trainer.js';
import { gbdtPredict, gbdtToOnnx } from './gbdt-model.js';
import { trainGbdt, type GbdtParams } from './train-gbdt.js';

/**
 * The built-in gradient-boosted decision trees trainer (histogram based, written in TypeScript), exporting
 * `ai.onnx.ml.TreeEnsembleRegressor` + `Sigmoid`.
 *
 * @example
 * ```ts
 * const clm = new ContinuousLearning({ …, trainer: gbdtTrainer({ trees: 100, maxDepth: 5 }) });
 * ```
 */
export function gbdtTrainer(params: GbdtParams = {}): Trainer {
  return {
    name: 'gbdt',
    async train({ train }) {
      const model = trainGbdt(train.features, train.labels, train.rows, train.spec.names, params);
      const importance: Record<string, number> = {};
      model.features.forEach((n, j) => (importance[n] = Number(model.gain[j]!.toFixed(4))));
      return {
        onnx: gbdtToOnnx(model, train.spec.timeframe),
        manifest: { features: train.spec.names, timeframe: train.spec.timeframe, input: 'features', output: 'probability' },
        trainer: 'gbdt',
        params: { ...params },
        predict: (features, rows) => gbdtPredict(model, features, rows),
        details: { trees: model.trees.length, gainImportance: importance },
      };
    },
  };
}
