import { QuantumTraderError, TIMEFRAME_MS, type Timeframe } from '@quantum-trader/core';

/**
 * What a model takes and gives: the features it expects (in column order, named as the feature pipeline names
 * them), their timeframe, and which tensors carry them. The built-in trainers write `features` → `probability`;
 * a model trained elsewhere (sklearn-onnx, onnxmltools, PyTorch) is described by a small `manifest.json` beside it.
 *
 * - One input taking `[N, features.length]` floats: the features are fed as columns in this order.
 * - Several inputs: each input must be named after one feature and take `[N, 1]` floats.
 * - The output is a float tensor `[N]`, `[N, 1]` (the probability of a win) or `[N, k]` (class probabilities;
 *   `positiveColumn`, default the last one, is the win). Export sklearn classifiers with `zipmap=False`.
 *
 * @example
 * ```ts
 * const manifest: ModelManifest = {
 *   features: ['ret_1h', 'rsi_14', 'direction'], timeframe: '5m', input: 'float_input', output: 'probabilities', positiveColumn: 1,
 * };
 * ```
 */
export interface ModelManifest {
  readonly features: readonly string[];
  readonly timeframe: Timeframe;
  /** Input tensor name (default: the model's only input). */
  readonly input?: string;
  /** Output tensor name (default: `probability` if present, else the first float output). */
  readonly output?: string;
  /** Column of the output holding the probability of a win (default: the last column). */
  readonly positiveColumn?: number;
}

/**
 * Validates a parsed `manifest.json`.
 *
 * @throws QuantumTraderError `CONFIG_INVALID` naming the field that is wrong.
 * @example
 * ```ts
 * const manifest = parseModelManifest(JSON.parse(await readFile('manifest.json', 'utf8')), 'manifest.json');
 * ```
 */
export function parseModelManifest(value: unknown, source: string): ModelManifest {
  const bad = (field: string, expected: string): never => {
    throw new QuantumTraderError('CONFIG_INVALID', `${source}: "${field}" ${expected}`);
  };
  if (typeof value !== 'object' || value === null) return bad('(root)', 'must be a JSON object');
  const v = value as Record<string, unknown>;
  const known = new Set(['features', 'timeframe', 'input', 'output', 'positiveColumn']);
  for (const k of Object.keys(v)) if (!known.has(k)) bad(k, `is not a manifest field (known: ${[...known].join(', ')})`);
  if (!Array.isArray(v.features) || v.features.length === 0 || !v.features.every((x) => typeof x === 'string')) {
    bad('features', 'must be a non-empty array of feature names');
  }
  if (typeof v.timeframe !== 'string' || !(v.timeframe in TIMEFRAME_MS)) {
    bad('timeframe', `must be one of ${Object.keys(TIMEFRAME_MS).join(', ')}`);
  }
  if (v.input !== undefined && typeof v.input !== 'string') bad('input', 'must be a string');
  if (v.output !== undefined && typeof v.output !== 'string') bad('output', 'must be a string');
  if (v.positiveColumn !== undefined && !(Number.isInteger(v.positiveColumn) && (v.positiveColumn as number) >= 0)) {
    bad('positiveColumn', 'must be an integer ≥ 0');
  }
  return {
    features: v.features as string[],
    timeframe: v.timeframe as Timeframe,
    ...(v.input !== undefined ? { input: v.input as string } : {}),
    ...(v.output !== undefined ? { output: v.output as string } : {}),
    ...(v.positiveColumn !== undefined ? { positiveColumn: v.positiveColumn as number } : {}),
  };
}
