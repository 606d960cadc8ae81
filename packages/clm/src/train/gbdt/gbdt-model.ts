import { encodeOnnxModel, type GraphNode } from '../../onnx/onnx-graph.js';

/**
 * One regression tree in flat arrays, nodes in breadth-first order (node 0 is the root). A split node sends a row
 * left when `x[feature] <= threshold` (float32 compare, ONNX `BRANCH_LEQ`); a leaf adds `value` to the raw score.
 *
 * @example
 * ```ts
 * const leaves = tree.isLeaf.filter((x) => x === 1).length;
 * ```
 */
export interface GbdtTree {
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Leaf output (already scaled by the learning rate), float32. */
  readonly value: Float32Array;
  readonly isLeaf: Uint8Array;
}

/**
 * A trained gradient-boosted tree ensemble for binary classification: `p = sigmoid(base + Σ leaf values)`.
 *
 * @example
 * ```ts
 * const p = gbdtPredict(model, dataset.features, dataset.rows);
 * const onnx = gbdtToOnnx(model);
 * ```
 */
export interface GbdtModel {
  readonly base: number;
  readonly trees: readonly GbdtTree[];
  readonly features: readonly string[];
  /** Total split gain per feature (a feature-importance measure). */
  readonly gain: Float64Array;
}

/**
 * The ensemble's raw score (log-odds) of one row.
 *
 * @example
 * ```ts
 * const logit = gbdtRawScore(model, features, r * model.features.length);
 * ```
 */
export function gbdtRawScore(model: GbdtModel, x: Float32Array, offset: number): number {
  let s = model.base;
  for (const t of model.trees) {
    let n = 0;
    while (t.isLeaf[n] === 0) n = x[offset + t.feature[n]!]! <= t.threshold[n]! ? t.left[n]! : t.right[n]!;
    s += t.value[n]!;
  }
  return s;
}

/**
 * The ensemble's own probabilities for row-major float32 features (the reference the ONNX export is tested against).
 *
 * @example
 * ```ts
 * const p = gbdtPredict(model, holdout.features, holdout.rows);
 * ```
 */
export function gbdtPredict(model: GbdtModel, features: Float32Array, rows: number): Float64Array {
  const f = model.features.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = 1 / (1 + Math.exp(-gbdtRawScore(model, features, r * f)));
  return out;
}

/**
 * Writes the ensemble as a standard ONNX model: `ai.onnx.ml.TreeEnsembleRegressor` (sum of the trees plus the base
 * score) followed by `Sigmoid`; input `features` float32 `[N, F]`, output `probability` float32 `[N, 1]`. The
 * feature names are stored in the model's metadata (`qt.features`).
 *
 * @example
 * ```ts
 * await writeFile('model.onnx', gbdtToOnnx(model, '5m'));
 * ```
 */
export function gbdtToOnnx(model: GbdtModel, timeframe: string): Uint8Array {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const tTree: number[] = [];
  const tNode: number[] = [];
  const tWeight: number[] = [];
  model.trees.forEach((t, ti) => {
    for (let n = 0; n < t.isLeaf.length; n++) {
      treeIds.push(ti);
      nodeIds.push(n);
      const leaf = t.isLeaf[n] === 1;
      featureIds.push(leaf ? 0 : t.feature[n]!);
      modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      values.push(leaf ? 0 : t.threshold[n]!);
      trueIds.push(leaf ? 0 : t.left[n]!);
      falseIds.push(leaf ? 0 : t.right[n]!);
      if (leaf) {
        tTree.push(ti);
        tNode.push(n);
        tWeight.push(t.value[n]!);
      }
    }
  });
  const f = model.features.length;
  const nodes: GraphNode[] = [
    {
      opType: 'TreeEnsembleRegressor',
      domain: 'ai.onnx.ml',
      name: 'trees',
      inputs: ['features'],
      outputs: ['score'],
      attributes: {
        n_targets: { int: 1 },
        aggregate_function: { string: 'SUM' },
        post_transform: { string: 'NONE' },
        base_values: { floats: [model.base] },
        nodes_treeids: { ints: treeIds },
        nodes_nodeids: { ints: nodeIds },
        nodes_featureids: { ints: featureIds },
        nodes_modes: { strings: modes },
        nodes_values: { floats: values },
        nodes_truenodeids: { ints: trueIds },
        nodes_falsenodeids: { ints: falseIds },
        target_treeids: { ints: tTree },
        target_nodeids: { ints: tNode },
        target_ids: { ints: tTree.map(() => 0) },
        target_weights: { floats: tWeight },
      },
    },
    { opType: 'Sigmoid', name: 'sigmoid', inputs: ['score'], outputs: ['probability'] },
  ];
  return encodeOnnxModel({
    producer: 'quantum-trader-clm-gbdt',
    usesMl: true,
    inputs: [{ name: 'features', dims: ['N', f] }],
    outputs: [{ name: 'probability', dims: ['N', 1] }],
    nodes,
    metadata: { 'qt.features': JSON.stringify(model.features), 'qt.timeframe': timeframe, 'qt.trainer': 'gbdt' },
  });
}
