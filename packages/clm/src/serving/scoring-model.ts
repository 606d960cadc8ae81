import { QuantumTraderError } from '@quantum-trader/core';
import { validateFeatureSpec, type FeatureSpec } from '../features/feature-spec.js';
import type { ModelManifest } from '../onnx/model-manifest.js';
import { OnnxSession, Tensor, type OnnxSessionOptions, type OnnxValueInfo } from '../onnx/onnx-session.js';

/**
 * An ONNX model checked against its manifest and ready to score feature rows through onnxruntime-node.
 * {@link ScoringModel.load} refuses a model whose inputs do not match the features, naming the mismatch.
 *
 * @example
 * ```ts
 * const model = ScoringModel.load(bytes, { features: DEFAULT_FEATURES, timeframe: '5m' }, 'v7');
 * const p = model.predict(dataset.features, dataset.rows); // probability of a win per row
 * ```
 */
export class ScoringModel {
  /** The features the model takes, as a spec for a {@link FeaturePipeline}. */
  readonly spec: FeatureSpec;
  private readonly columnInputs: readonly string[] | undefined;
  private readonly input: string;
  private readonly output: string;
  private readonly positiveColumn: number;
  private readonly outputColumns: number;

  private constructor(
    private readonly session: OnnxSession,
    manifest: ModelManifest,
    /** Names the model in messages (`v7`, a file path …). */
    readonly label: string,
  ) {
    this.spec = { timeframe: manifest.timeframe, names: [...manifest.features] };
    const f = manifest.features.length;
    const inputs = session.inputs;
    const refuse = (why: string): never => {
      throw new QuantumTraderError('CONFIG_INVALID', `model ${label} refused: ${why}`);
    };
    try {
      validateFeatureSpec(this.spec);
    } catch (err) {
      refuse(err instanceof Error ? err.message : String(err));
    }
    if (manifest.input !== undefined || inputs.length === 1) {
      const name = manifest.input ?? inputs[0]!.name;
      const info = inputs.find((i) => i.name === name);
      if (info === undefined) refuse(`it has no input "${name}" (its inputs: ${inputs.map((i) => i.name).join(', ')})`);
      checkFloat(info!, refuse);
      const cols = info!.shape[info!.shape.length - 1];
      if (info!.shape.length !== 2 || (typeof cols === 'number' && cols !== f)) {
        refuse(
          `input "${name}" has shape [${info!.shape.join(', ')}] but the manifest names ${f} features ` +
            `(${manifest.features.join(', ')}); expected [N, ${f}]`,
        );
      }
      this.input = name;
      this.columnInputs = undefined;
    } else {
      const names = inputs.map((i) => i.name);
      const missing = names.filter((n) => !manifest.features.includes(n));
      const unfed = manifest.features.filter((n) => !names.includes(n));
      if (missing.length > 0 || unfed.length > 0) {
        refuse(
          `its inputs do not match the manifest's features` +
            (missing.length > 0 ? `; model inputs that are not manifest features: ${missing.join(', ')}` : '') +
            (unfed.length > 0 ? `; manifest features the model has no input for: ${unfed.join(', ')}` : ''),
        );
      }
      for (const i of inputs) checkFloat(i, refuse);
      this.input = '';
      this.columnInputs = manifest.features;
    }
    const outputs = session.outputs;
    const outName =
      manifest.output ??
      (outputs.some((o) => o.name === 'probability')
        ? 'probability'
        : outputs.find((o) => o.isTensor && o.type === 'float32')?.name);
    const out = outputs.find((o) => o.name === outName);
    if (outName === undefined || out === undefined) {
      refuse(`no output "${outName ?? 'float32'}" (its outputs: ${outputs.map((o) => `${o.name}:${o.type}`).join(', ')})`);
    }
    if (!out!.isTensor || out!.type !== 'float32') {
      refuse(`output "${outName}" is ${out!.isTensor ? out!.type : 'not a tensor'}; expected float32 probabilities (export sklearn models with zipmap=False)`);
    }
    this.output = outName!;
    // A probe row finds the output width and proves the graph runs before it is trusted with signals.
    let probe: Float32Array | undefined;
    try {
      probe = this.runRaw(new Float32Array(f), 1);
    } catch (err) {
      refuse(`it fails on a row of ${f} features: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.outputColumns = probe!.length;
    this.positiveColumn = manifest.positiveColumn ?? this.outputColumns - 1;
    if (this.positiveColumn >= this.outputColumns) {
      refuse(`positiveColumn ${this.positiveColumn} but output "${outName}" has ${this.outputColumns} column(s)`);
    }
  }

  /**
   * Loads model bytes and checks them against `manifest`.
   *
   * @throws QuantumTraderError `DATA_INVALID` when onnxruntime cannot load the bytes; `CONFIG_INVALID` when the
   * inputs or outputs do not match the manifest (the message names the mismatch).
   */
  static load(bytes: Uint8Array, manifest: ModelManifest, label: string, options?: OnnxSessionOptions): ScoringModel {
    const session = OnnxSession.load(bytes, label, options);
    try {
      return new ScoringModel(session, manifest, label);
    } catch (err) {
      session.dispose();
      throw err;
    }
  }

  /** Probability of a win for each of `rows` feature rows (row-major, `rows × spec.names.length`). */
  predict(features: Float32Array, rows: number): Float32Array {
    const raw = this.runRaw(features, rows);
    if (this.outputColumns === 1) return raw;
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) out[r] = raw[r * this.outputColumns + this.positiveColumn]!;
    return out;
  }

  /** Probability of a win for one feature row. */
  predictOne(row: Float32Array): number {
    return this.runRaw(row, 1)[this.positiveColumn]!;
  }

  /** Frees the runtime session. */
  dispose(): void {
    this.session.dispose();
  }

  private runRaw(features: Float32Array, rows: number): Float32Array {
    const f = this.spec.names.length;
    const feeds: Record<string, Tensor> = {};
    if (this.columnInputs === undefined) {
      feeds[this.input] = new Tensor('float32', features.subarray(0, rows * f), [rows, f]);
    } else {
      this.columnInputs.forEach((name, j) => {
        const col = new Float32Array(rows);
        for (let r = 0; r < rows; r++) col[r] = features[r * f + j]!;
        feeds[name] = new Tensor('float32', col, [rows, 1]);
      });
    }
    const result = this.session.run(feeds, [this.output])[this.output];
    if (result === undefined || !(result.data instanceof Float32Array)) {
      throw new QuantumTraderError('DATA_INVALID', `model ${this.label}: output "${this.output}" is not a float32 tensor`);
    }
    return result.data;
  }
}

function checkFloat(info: OnnxValueInfo, refuse: (why: string) => never): void {
  if (!info.isTensor || info.type !== 'float32') {
    refuse(`input "${info.name}" is ${info.isTensor ? info.type : 'not a tensor'}; the CLM feeds float32 features`);
  }
}
