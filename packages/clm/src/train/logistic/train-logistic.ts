import { QuantumTraderError } from '@quantum-trader/core';
import { encodeOnnxModel } from '../../onnx/onnx-graph.js';

/**
 * Parameters of the logistic regression.
 *
 * @example
 * ```ts
 * const params: LogisticParams = { l2: 10 };
 * ```
 */
export interface LogisticParams {
  /** L2 penalty on the standardised weights (not the intercept), default 1. */
  readonly l2?: number;
  /** Newton iterations at most (default 25). */
  readonly maxIterations?: number;
  /** Stop when no weight moves more than this (default 1e-8). */
  readonly tolerance?: number;
}

/**
 * A trained logistic regression on standardised features: `p = sigmoid(b + Σ w_j (x_j − mean_j) / scale_j)`.
 * All parameters are float32 values, as written to ONNX.
 *
 * @example
 * ```ts
 * const p = logisticPredict(model, holdout.features, holdout.rows);
 * ```
 */
export interface LogisticModel {
  readonly features: readonly string[];
  readonly mean: Float32Array;
  readonly scale: Float32Array;
  readonly weights: Float32Array;
  readonly intercept: number;
  readonly iterations: number;
}

/**
 * Fits a logistic regression by Newton's method (iteratively reweighted least squares) with an L2 penalty, on
 * standardised features. Deterministic; converges in a handful of iterations.
 *
 * @example
 * ```ts
 * const model = trainLogistic(dataset.features, dataset.labels, dataset.rows, dataset.spec.names, { l2: 1 });
 * ```
 */
export function trainLogistic(
  features: Float32Array,
  labels: Uint8Array,
  rows: number,
  names: readonly string[],
  params: LogisticParams = {},
): LogisticModel {
  const F = names.length;
  const l2 = params.l2 ?? 1;
  const maxIt = params.maxIterations ?? 25;
  const tol = params.tolerance ?? 1e-8;
  if (rows < 2) throw new QuantumTraderError('PARAMETER_OUT_OF_RANGE', `logistic: ${rows} rows is too few`);
  const mean = new Float32Array(F);
  const scale = new Float32Array(F);
  for (let j = 0; j < F; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += features[r * F + j]!;
    const m = s / rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (features[r * F + j]! - m) ** 2;
    const sd = Math.sqrt(v / rows);
    mean[j] = m;
    scale[j] = sd > 0 ? sd : 1;
  }
  const D = F + 1; // weight 0 is the intercept
  const z = new Float64Array(rows * D);
  for (let r = 0; r < rows; r++) {
    z[r * D] = 1;
    for (let j = 0; j < F; j++) z[r * D + 1 + j] = (features[r * F + j]! - mean[j]!) / scale[j]!;
  }
  let pos = 0;
  for (let r = 0; r < rows; r++) pos += labels[r]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, pos / rows));
  const w = new Float64Array(D);
  w[0] = Math.log(rate / (1 - rate));
  const g = new Float64Array(D);
  const H = new Float64Array(D * D);
  let it = 0;
  for (; it < maxIt; it++) {
    g.fill(0);
    H.fill(0);
    for (let r = 0; r < rows; r++) {
      const o = r * D;
      let s = 0;
      for (let a = 0; a < D; a++) s += w[a]! * z[o + a]!;
      const p = 1 / (1 + Math.exp(-s));
      const e = p - labels[r]!;
      const h = Math.max(p * (1 - p), 1e-12);
      for (let a = 0; a < D; a++) {
        const za = z[o + a]!;
        g[a]! += e * za;
        const hz = h * za;
        for (let b = 0; b <= a; b++) H[a * D + b]! += hz * z[o + b]!;
      }
    }
    for (let a = 1; a < D; a++) {
      g[a]! += l2 * w[a]!;
      H[a * D + a]! += l2;
    }
    H[0]! += 1e-9;
    const step = choleskySolve(H, g, D);
    let moved = 0;
    for (let a = 0; a < D; a++) {
      w[a]! -= step[a]!;
      moved = Math.max(moved, Math.abs(step[a]!));
    }
    if (moved < tol) {
      it++;
      break;
    }
  }
  return {
    features: [...names],
    mean,
    scale,
    weights: Float32Array.from(w.subarray(1)),
    intercept: Math.fround(w[0]!),
    iterations: it,
  };
}

/**
 * The model's own probabilities for row-major float32 features.
 *
 * @example
 * ```ts
 * const p = logisticPredict(model, features, rows);
 * ```
 */
export function logisticPredict(model: LogisticModel, features: Float32Array, rows: number): Float64Array {
  const F = model.features.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = model.intercept;
    for (let j = 0; j < F; j++) s += model.weights[j]! * ((features[r * F + j]! - model.mean[j]!) / model.scale[j]!);
    out[r] = 1 / (1 + Math.exp(-s));
  }
  return out;
}

/**
 * Writes the model as plain ONNX operators: `Sub(mean) → Div(scale) → MatMul(weights) → Add(intercept) → Sigmoid`;
 * input `features` float32 `[N, F]`, output `probability` float32 `[N, 1]`.
 *
 * @example
 * ```ts
 * await writeFile('model.onnx', logisticToOnnx(model, '5m'));
 * ```
 */
export function logisticToOnnx(model: LogisticModel, timeframe: string): Uint8Array {
  const F = model.features.length;
  return encodeOnnxModel({
    producer: 'quantum-trader-clm-logistic',
    inputs: [{ name: 'features', dims: ['N', F] }],
    outputs: [{ name: 'probability', dims: ['N', 1] }],
    initializers: [
      { name: 'mean', dims: [F], values: model.mean },
      { name: 'scale', dims: [F], values: model.scale },
      { name: 'weights', dims: [F, 1], values: model.weights },
      { name: 'intercept', dims: [1], values: Float32Array.of(model.intercept) },
    ],
    nodes: [
      { opType: 'Sub', name: 'center', inputs: ['features', 'mean'], outputs: ['centered'] },
      { opType: 'Div', name: 'standardise', inputs: ['centered', 'scale'], outputs: ['z'] },
      { opType: 'MatMul', name: 'dot', inputs: ['z', 'weights'], outputs: ['dot'] },
      { opType: 'Add', name: 'bias', inputs: ['dot', 'intercept'], outputs: ['logit'] },
      { opType: 'Sigmoid', name: 'sigmoid', inputs: ['logit'], outputs: ['probability'] },
    ],
    metadata: { 'qt.features': JSON.stringify(model.features), 'qt.timeframe': timeframe, 'qt.trainer': 'logistic' },
  });
}

/** Solves `A x = b` for a symmetric positive-definite `A` given by its lower triangle (row-major `n × n`). */
function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) throw new QuantumTraderError('INVARIANT_VIOLATED', 'logistic: the Hessian is not positive definite');
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * y[k]!;
    y[i] = s / L[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}
