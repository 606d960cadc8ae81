import { QuantumTraderError } from '@quantum-trader/core';
import { binFeatures } from './histogram-binner.js';
import type { GbdtModel, GbdtTree } from './gbdt-model.js';

/**
 * Parameters of the histogram GBDT (binary log-loss). Defaults suit tens of thousands of noisy trading rows.
 *
 * @example
 * ```ts
 * const params: GbdtParams = { trees: 200, maxDepth: 4, learningRate: 0.05 };
 * ```
 */
export interface GbdtParams {
  /** Boosting rounds (default 100). */
  readonly trees?: number;
  /** Depth of each tree (default 3: up to 8 leaves; trading labels are noisy, shallow trees overfit less). */
  readonly maxDepth?: number;
  /** Shrinkage of every leaf (default 0.05). */
  readonly learningRate?: number;
  /** Rows a leaf needs at least (default 200). */
  readonly minLeafRows?: number;
  /** L2 penalty on leaf values (default 1). */
  readonly l2?: number;
  /** Smallest gain a split must bring (default 0). */
  readonly minGain?: number;
  /** Histogram bins per feature, ≤ 256 (default 255). */
  readonly maxBins?: number;
  /** Share of rows each tree sees (default 1). */
  readonly rowSubsample?: number;
  /** Share of features each tree may split on (default 1). */
  readonly featureSubsample?: number;
  /** Seed of the sampling (default 1): same data and params ⇒ same model. */
  readonly seed?: number;
}

const HIST = 3; // gradient, hessian, count per bin

/**
 * Trains a gradient-boosted tree ensemble on row-major float32 features and 0/1 labels, LightGBM-style:
 * features are quantised into histogram bins once, each tree grows depth-wise on gradient/hessian histograms
 * (a node's larger child is its parent's histogram minus the smaller child's), leaves are Newton steps with L2.
 *
 * @example
 * ```ts
 * const model = trainGbdt(dataset.features, dataset.labels, dataset.rows, dataset.spec.names, { trees: 100 });
 * ```
 */
export function trainGbdt(
  features: Float32Array,
  labels: Uint8Array,
  rows: number,
  names: readonly string[],
  params: GbdtParams = {},
): GbdtModel {
  const nTrees = params.trees ?? 100;
  const maxDepth = params.maxDepth ?? 3;
  const lr = params.learningRate ?? 0.05;
  const minLeaf = params.minLeafRows ?? 200;
  const l2 = params.l2 ?? 1;
  const minGain = params.minGain ?? 0;
  const maxBins = Math.min(256, params.maxBins ?? 255);
  const rowSub = params.rowSubsample ?? 1;
  const colSub = params.featureSubsample ?? 1;
  const F = names.length;
  if (rows < 2 * minLeaf || rows < 2) {
    throw new QuantumTraderError('PARAMETER_OUT_OF_RANGE', `gbdt: ${rows} rows is too few for minLeafRows=${minLeaf}`);
  }
  if (!(lr > 0) || !(nTrees >= 1) || !(maxDepth >= 1) || !(rowSub > 0 && rowSub <= 1) || !(colSub > 0 && colSub <= 1)) {
    throw new QuantumTraderError('PARAMETER_OUT_OF_RANGE', `gbdt: invalid parameters ${JSON.stringify(params)}`);
  }
  const { bins, thresholds } = binFeatures(features, rows, F, maxBins);
  const nb = new Int32Array(F);
  for (let j = 0; j < F; j++) nb[j] = thresholds[j]!.length + 1;
  let pos = 0;
  for (let r = 0; r < rows; r++) pos += labels[r]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, pos / rows));
  const base = Math.fround(Math.log(rate / (1 - rate)));
  const raw = new Float64Array(rows).fill(base);
  const grad = new Float64Array(rows);
  const hess = new Float64Array(rows);
  const idx = new Uint32Array(rows);
  const rng = mulberry32(params.seed ?? 1);
  const gain = new Float64Array(F);
  const histSize = F * 256 * HIST;
  const pool: Float64Array[] = [];
  const take = () => pool.pop()?.fill(0) ?? new Float64Array(histSize);
  const allowed = new Uint8Array(F);
  const trees: GbdtTree[] = [];

  const build = (h: Float64Array, start: number, end: number): void => {
    for (let k = start; k < end; k++) {
      const r = idx[k]!;
      const g = grad[r]!;
      const hh = hess[r]!;
      const row = r * F;
      for (let j = 0; j < F; j++) {
        const o = (j * 256 + bins[row + j]!) * HIST;
        h[o]! += g;
        h[o + 1]! += hh;
        h[o + 2]! += 1;
      }
    }
  };

  for (let t = 0; t < nTrees; t++) {
    for (let r = 0; r < rows; r++) {
      const p = 1 / (1 + Math.exp(-raw[r]!));
      grad[r] = p - labels[r]!;
      hess[r] = Math.max(p * (1 - p), 1e-12);
    }
    let n = 0;
    for (let r = 0; r < rows; r++) if (rowSub >= 1 || rng() < rowSub) idx[n++] = r;
    for (let j = 0; j < F; j++) allowed[j] = colSub >= 1 || rng() < colSub ? 1 : 0;
    const tree = {
      feature: [] as number[],
      threshold: [] as number[],
      left: [] as number[],
      right: [] as number[],
      value: [] as number[],
      isLeaf: [] as number[],
    };
    const newNode = (): number => {
      tree.feature.push(0);
      tree.threshold.push(0);
      tree.left.push(0);
      tree.right.push(0);
      tree.value.push(0);
      tree.isLeaf.push(1);
      return tree.isLeaf.length - 1;
    };
    interface Pending {
      id: number;
      start: number;
      end: number;
      depth: number;
      hist: Float64Array;
      G: number;
      H: number;
    }
    const rootHist = take();
    build(rootHist, 0, n);
    let G = 0;
    let H = 0;
    for (let b = 0; b < nb[0]!; b++) {
      G += rootHist[b * HIST]!;
      H += rootHist[b * HIST + 1]!;
    }
    let level: Pending[] = [{ id: newNode(), start: 0, end: n, depth: 0, hist: rootHist, G, H }];
    const leaves: Pending[] = [];
    while (level.length > 0) {
      const next: Pending[] = [];
      for (const node of level) {
        const count = node.end - node.start;
        let best = minGain;
        let bestF = -1;
        let bestB = -1;
        let bGL = 0;
        let bHL = 0;
        if (node.depth < maxDepth && count >= 2 * minLeaf) {
          const parentScore = (node.G * node.G) / (node.H + l2);
          for (let j = 0; j < F; j++) {
            if (allowed[j] === 0) continue;
            let GL = 0;
            let HL = 0;
            let CL = 0;
            const h = node.hist;
            for (let b = 0; b < nb[j]! - 1; b++) {
              const o = (j * 256 + b) * HIST;
              GL += h[o]!;
              HL += h[o + 1]!;
              CL += h[o + 2]!;
              if (CL < minLeaf) continue;
              if (count - CL < minLeaf) break;
              const GR = node.G - GL;
              const HR = node.H - HL;
              const g = (GL * GL) / (HL + l2) + (GR * GR) / (HR + l2) - parentScore;
              if (g > best) {
                best = g;
                bestF = j;
                bestB = b;
                bGL = GL;
                bHL = HL;
              }
            }
          }
        }
        if (bestF < 0) {
          leaves.push(node);
          continue;
        }
        gain[bestF]! += best;
        // Partition the node's rows: bin ≤ bestB to the left.
        let i = node.start;
        let e = node.end - 1;
        while (i <= e) {
          if (bins[idx[i]! * F + bestF]! <= bestB) i++;
          else {
            const tmp = idx[i]!;
            idx[i] = idx[e]!;
            idx[e--] = tmp;
          }
        }
        const l = newNode();
        const r = newNode();
        tree.isLeaf[node.id] = 0;
        tree.feature[node.id] = bestF;
        tree.threshold[node.id] = thresholds[bestF]![bestB]!;
        tree.left[node.id] = l;
        tree.right[node.id] = r;
        const nl = i - node.start;
        const nr = node.end - i;
        const small = take();
        const leftSmaller = nl <= nr;
        if (leftSmaller) build(small, node.start, i);
        else build(small, i, node.end);
        const large = node.hist;
        for (let k = 0; k < histSize; k++) large[k]! -= small[k]!;
        const lh = leftSmaller ? small : large;
        const rh = leftSmaller ? large : small;
        next.push({ id: l, start: node.start, end: i, depth: node.depth + 1, hist: lh, G: bGL, H: bHL });
        next.push({ id: r, start: i, end: node.end, depth: node.depth + 1, hist: rh, G: node.G - bGL, H: node.H - bHL });
      }
      level = next;
    }
    for (const leaf of leaves) {
      const v = Math.fround((-leaf.G / (leaf.H + l2)) * lr);
      tree.value[leaf.id] = v;
      pool.push(leaf.hist);
      if (rowSub >= 1) for (let k = leaf.start; k < leaf.end; k++) raw[idx[k]!]! += v;
    }
    const frozen: GbdtTree = {
      feature: Int32Array.from(tree.feature),
      threshold: Float32Array.from(tree.threshold),
      left: Int32Array.from(tree.left),
      right: Int32Array.from(tree.right),
      value: Float32Array.from(tree.value),
      isLeaf: Uint8Array.from(tree.isLeaf),
    };
    trees.push(frozen);
    if (rowSub < 1) {
      // Rows outside the sample were not partitioned: walk the tree for every row.
      for (let r = 0; r < rows; r++) {
        let node = 0;
        while (frozen.isLeaf[node] === 0) {
          node = features[r * F + frozen.feature[node]!]! <= frozen.threshold[node]! ? frozen.left[node]! : frozen.right[node]!;
        }
        raw[r]! += frozen.value[node]!;
      }
    }
  }
  return { base, trees, features: [...names], gain };
}

/** A small deterministic PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
