import { describe, expect, it } from 'vitest';
import { ScoringModel, encodeOnnxModel, parseModelManifest, type GraphNode } from '../src/index.js';

const W = [0.5, -1, 2];
const B = 0.25;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** A model shaped like sklearn-onnx's LogisticRegression export (zipmap=False): label int64 + probabilities [N, 2]. */
function sklearnLike(inputName = 'float_input', cols = 3): Uint8Array {
  const node: GraphNode = {
    opType: 'LinearClassifier',
    domain: 'ai.onnx.ml',
    name: 'linear',
    inputs: [inputName],
    outputs: ['label', 'probabilities'],
    attributes: {
      coefficients: { floats: W.slice(0, cols) },
      intercepts: { floats: [B] },
      classlabels_ints: { ints: [0, 1] },
      post_transform: { string: 'LOGISTIC' },
      multi_class: { int: 0 },
    },
  };
  const bytes = encodeOnnxModel({
    producer: 'sklearn-like',
    usesMl: true,
    inputs: [{ name: inputName, dims: ['N', cols] }],
    outputs: [
      { name: 'label', dims: ['N'], type: 'int64' },
      { name: 'probabilities', dims: ['N', 2] },
    ],
    nodes: [node],
  });
  return bytes;
}

/** A model with one [N, 1] input per feature. */
function perFeatureInputs(names: readonly string[]): Uint8Array {
  return encodeOnnxModel({
    producer: 'per-feature',
    inputs: names.map((n) => ({ name: n, dims: ['N', 1] })),
    outputs: [{ name: 'probability', dims: ['N', 1] }],
    initializers: [{ name: 'half', dims: [1], values: Float32Array.of(0.5) }],
    nodes: [
      { opType: 'Sum', name: 'sum', inputs: [...names], outputs: ['s'] },
      { opType: 'Mul', name: 'scale', inputs: ['s', 'half'], outputs: ['z'] },
      { opType: 'Sigmoid', name: 'sigmoid', inputs: ['z'], outputs: ['probability'] },
    ],
  });
}

const features3 = ['ret_1', 'rsi_14', 'direction'];

describe('loading an ONNX model with its manifest', () => {
  it('serves a drop-in model with an [N, 2] probabilities output (positive class in the last column)', () => {
    const model = ScoringModel.load(sklearnLike(), { features: features3, timeframe: '5m', output: 'probabilities' }, 'drop-in');
    const x = Float32Array.of(0.1, 0.6, 1, -0.2, 0.3, -1);
    const p = model.predict(x, 2);
    expect(p[0]).toBeCloseTo(sigmoid(0.5 * 0.1 - 0.6 + 2 + B), 6);
    expect(p[1]).toBeCloseTo(sigmoid(0.5 * -0.2 - 0.3 - 2 + B), 6);
    expect(model.spec).toEqual({ timeframe: '5m', names: features3 });
  });

  it('feeds one input per feature when the model has them, in the manifest order', () => {
    const model = ScoringModel.load(perFeatureInputs(['rsi_14', 'ret_1']), { features: ['ret_1', 'rsi_14'], timeframe: '5m' }, 'cols');
    expect(model.predictOne(Float32Array.of(0.2, 0.6))).toBeCloseTo(sigmoid(0.4), 6);
  });

  it.each([
    ['a column count that differs from the features', () => ScoringModel.load(sklearnLike(), { features: [...features3, 'vol_1h'], timeframe: '5m' }, 'm1'),
      'model m1 refused: input "float_input" has shape [N, 3] but the manifest names 4 features (ret_1, rsi_14, direction, vol_1h); expected [N, 4]'],
    ['an input name the model does not have', () => ScoringModel.load(sklearnLike(), { features: features3, timeframe: '5m', input: 'features' }, 'm2'),
      'model m2 refused: it has no input "features" (its inputs: float_input)'],
    ['per-feature inputs that are not the manifest features', () => ScoringModel.load(perFeatureInputs(['ret_1', 'rsi_14']), { features: ['ret_1', 'atrpct_14'], timeframe: '5m' }, 'm3'),
      'model m3 refused: its inputs do not match the manifest\'s features; model inputs that are not manifest features: rsi_14; manifest features the model has no input for: atrpct_14'],
    ['a feature the pipeline cannot compute', () => ScoringModel.load(sklearnLike(), { features: ['ret_1', 'macd', 'direction'], timeframe: '5m' }, 'm4'),
      'model m4 refused: "macd" is not a feature the CLM pipeline can compute'],
    ['an output that is not float probabilities', () => ScoringModel.load(sklearnLike(), { features: features3, timeframe: '5m', output: 'label' }, 'm5'),
      'model m5 refused: output "label" is int64; expected float32 probabilities'],
    ['a positive column past the output', () => ScoringModel.load(sklearnLike(), { features: features3, timeframe: '5m', output: 'probabilities', positiveColumn: 2 }, 'm6'),
      'model m6 refused: positiveColumn 2 but output "probabilities" has 2 column(s)'],
  ])('refuses %s at load time, naming the mismatch', (_name, load, message) => {
    expect(load).toThrow(message);
  });

  it('refuses bytes that are not an ONNX model', () => {
    const corrupt = sklearnLike().slice(0, 40);
    expect(() => ScoringModel.load(corrupt, { features: features3, timeframe: '5m' }, 'v9')).toThrow(
      /^v9: onnxruntime-node could not load the model \(.+\); the file is corrupt/,
    );
  });

  it('validates manifest.json fields by name', () => {
    expect(parseModelManifest({ features: features3, timeframe: '5m', positiveColumn: 1 }, 'manifest.json')).toEqual({
      features: features3,
      timeframe: '5m',
      positiveColumn: 1,
    });
    expect(() => parseModelManifest({ features: [], timeframe: '5m' }, 'manifest.json')).toThrow('manifest.json: "features" must be a non-empty array');
    expect(() => parseModelManifest({ features: features3, timeframe: '2m' }, 'manifest.json')).toThrow('"timeframe" must be one of 1m, 5m');
    expect(() => parseModelManifest({ features: features3, timeframe: '5m', inputs: 'x' }, 'm.json')).toThrow('"inputs" is not a manifest field');
  });
});
