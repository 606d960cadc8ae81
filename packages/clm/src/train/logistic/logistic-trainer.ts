import type { Trainer } from '../trainer.js';
import { logisticPredict, logisticToOnnx, trainLogistic, type LogisticParams } from './train-logistic.js';

/**
 * The built-in logistic regression trainer (Newton/IRLS with L2, written in TypeScript), exporting plain ONNX
 * operators (`Sub`, `Div`, `MatMul`, `Add`, `Sigmoid`).
 *
 * @example
 * ```ts
 * const clm = new ContinuousLearning({ …, trainer: logisticTrainer({ l2: 1 }) });
 * ```
 */
export function logisticTrainer(params: LogisticParams = {}): Trainer {
  return {
    name: 'logistic',
    async train({ train }) {
      const model = trainLogistic(train.features, train.labels, train.rows, train.spec.names, params);
      const weights: Record<string, number> = {};
      model.features.forEach((n, j) => (weights[n] = Number(model.weights[j]!.toFixed(5))));
      return {
        onnx: logisticToOnnx(model, train.spec.timeframe),
        manifest: { features: train.spec.names, timeframe: train.spec.timeframe, input: 'features', output: 'probability' },
        trainer: 'logistic',
        params: { ...params },
        predict: (features, rows) => logisticPredict(model, features, rows),
        details: { iterations: model.iterations, standardisedWeights: weights },
      };
    },
  };
}
