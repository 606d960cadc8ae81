import type { Dataset } from '../dataset/dataset.js';
import type { ModelManifest } from '../onnx/model-manifest.js';

/**
 * What a trainer is given.
 *
 * @example
 * ```ts
 * const input: TrainingInput = { train: split.train, workDir: '/tmp/clm-run-1' };
 * const trained = await gbdtTrainer().train(input);
 * ```
 */
export interface TrainingInput {
  /** The training rows (never the rows the gate validates on). */
  readonly train: Dataset;
  /** A scratch folder of this run, for trainers that work through files (it is deleted afterwards). */
  readonly workDir: string;
}

/**
 * A model as a trainer hands it back: standard ONNX bytes plus the manifest naming its inputs.
 *
 * @example
 * ```ts
 * const trained: TrainedModel = await gbdtTrainer().train({ train, workDir });
 * await writeFile('model.onnx', trained.onnx);
 * ```
 */
export interface TrainedModel {
  readonly onnx: Uint8Array;
  readonly manifest: ModelManifest;
  readonly trainer: string;
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * The trainer's own probabilities for feature rows — the reference the ONNX export is checked against
   * (built-in trainers only; an external model has no reference but its ONNX output).
   */
  readonly predict?: (features: Float32Array, rows: number) => Float64Array;
  /** Anything else worth keeping in the registry's metadata (feature importance, iterations …). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The model-trainer plugin interface: turns training rows into an ONNX model. Built in: {@link gbdtTrainer},
 * {@link logisticTrainer}; any command-line trainer through {@link externalTrainer}.
 *
 * @example
 * ```ts
 * const constant: Trainer = {
 *   name: 'my-trainer',
 *   async train({ train }) { return myOwnFit(train); },
 * };
 * ```
 */
export interface Trainer {
  readonly name: string;
  train(input: TrainingInput): Promise<TrainedModel>;
}
