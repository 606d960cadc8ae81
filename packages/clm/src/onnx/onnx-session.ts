import { QuantumTraderError } from '@quantum-trader/core';
import { Tensor } from 'onnxruntime-node';
// The package's public `InferenceSession.run` defers every call with setImmediate, which would make scoring
// asynchronous and let a replay's virtual clock run ahead of it. The native binding it wraps is synchronous (its
// own typings say "a simple synchronized inference session object wrap"), so serving calls it directly.
import { binding, initOrt } from 'onnxruntime-node/dist/binding.js';

/** Element types onnxruntime reports for tensors, by its numeric code. */
const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
};

/**
 * One input or output of a loaded ONNX model.
 *
 * @example
 * ```ts
 * const first: OnnxValueInfo | undefined = session.inputs[0]; // { name: 'features', isTensor: true, type: 'float32', shape: ['N', 20] }
 * ```
 */
export interface OnnxValueInfo {
  readonly name: string;
  readonly isTensor: boolean;
  /** `float32`, `int64`, … (`unknown(n)` for anything else). */
  readonly type: string;
  /** Dimensions; a symbolic dimension (the batch) is its name, or `?` when unnamed. */
  readonly shape: readonly (number | string)[];
}

/**
 * Options of {@link OnnxSession.load}.
 *
 * @example
 * ```ts
 * const session = OnnxSession.load(bytes, 'big-batch-model', { intraOpThreads: 4 });
 * ```
 */
export interface OnnxSessionOptions {
  /** Threads inside one operator (default 1: a one-row call is faster without a thread pool hand-off). */
  readonly intraOpThreads?: number;
}

type NativeSession = InstanceType<typeof binding.InferenceSession>;

/**
 * A model loaded into onnxruntime-node, run synchronously. `run` blocks for the duration of the inference, which is
 * what keeps scoring inside one event of the trading kernel (a one-row call takes tens of microseconds).
 *
 * @example
 * ```ts
 * const session = OnnxSession.load(bytes, 'v7/model.onnx');
 * const out = session.run({ features: new Tensor('float32', row, [1, row.length]) }, ['probability']);
 * ```
 */
export class OnnxSession {
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  private disposed = false;

  private constructor(private readonly native: NativeSession) {
    this.inputs = native.inputMetadata.map(describe);
    this.outputs = native.outputMetadata.map(describe);
  }

  /**
   * Loads model bytes; `source` names the model in error messages.
   *
   * @throws QuantumTraderError `DATA_INVALID` when onnxruntime cannot load the bytes (corrupt or unsupported file).
   */
  static load(bytes: Uint8Array, source: string, options: OnnxSessionOptions = {}): OnnxSession {
    initOrt();
    const native = new binding.InferenceSession();
    try {
      native.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, {
        intraOpNumThreads: options.intraOpThreads ?? 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
    } catch (err) {
      throw new QuantumTraderError(
        'DATA_INVALID',
        `${source}: onnxruntime-node could not load the model (${err instanceof Error ? err.message : String(err)}); ` +
          'the file is corrupt or not an ONNX model this runtime supports',
        { cause: err },
      );
    }
    return new OnnxSession(native);
  }

  /** Runs the model on `feeds` and returns the requested outputs. Synchronous. */
  run(feeds: Readonly<Record<string, Tensor>>, outputs: readonly string[]): Record<string, Tensor> {
    if (this.disposed) throw new QuantumTraderError('INVARIANT_VIOLATED', 'OnnxSession.run after dispose()');
    const fetches: Record<string, null> = {};
    for (const o of outputs) fetches[o] = null;
    return this.native.run(feeds, fetches, {}) as Record<string, Tensor>;
  }

  /** Frees the native session. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.native.dispose();
  }
}

function describe(m: {
  name: string;
  isTensor: boolean;
  type: number;
  shape: number[];
  symbolicDimensions: string[];
}): OnnxValueInfo {
  const shape: (number | string)[] = [];
  if (m.isTensor) {
    for (let i = 0; i < m.shape.length; i++) {
      const d = m.shape[i]!;
      shape.push(d >= 0 ? d : m.symbolicDimensions[i] || '?');
    }
  }
  return { name: m.name, isTensor: m.isTensor, type: ELEMENT_TYPES[m.type] ?? `unknown(${m.type})`, shape };
}

export { Tensor };
