// CLM speed: training time (100,000 rows × 20 features), one-row inference latency (p50/p99) and batch throughput
// through onnxruntime-node. Prints one JSON object. Run: npx tsx packages/clm/bench/clm.bench.ts
import { InferenceSession, Tensor } from 'onnxruntime-node';
import {
  DEFAULT_FEATURES,
  ScoringModel,
  gbdtToOnnx,
  logisticToOnnx,
  trainGbdt,
  trainLogistic,
} from '../src/index.js';

const ROWS = 100_000;
const F = DEFAULT_FEATURES.length;

// Deterministic synthetic rows: 20 features, a label that depends on 5 of them through a noisy logistic link.
function synthetic(): { x: Float32Array; y: Uint8Array } {
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const x = new Float32Array(ROWS * F);
  const y = new Uint8Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    let z = -0.8;
    for (let j = 0; j < F; j++) {
      const v = (rnd() - 0.5) * 0.04 * (1 + j);
      x[r * F + j] = v;
      if (j < 5) z += (v / (0.04 * (1 + j))) * 2 * (j % 2 === 0 ? 1 : -1);
    }
    y[r] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x, y };
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function latency(fn: () => void, n: number): { p50Us: number; p99Us: number; meanUs: number } {
  for (let i = 0; i < 500; i++) fn();
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = process.hrtime.bigint();
    fn();
    t[i] = Number(process.hrtime.bigint() - a) / 1000;
  }
  const mean = t.reduce((a, b) => a + b, 0) / n;
  t.sort();
  return { p50Us: round(percentile(t, 0.5)), p99Us: round(percentile(t, 0.99)), meanUs: round(mean) };
}

const round = (x: number, d = 1) => Number(x.toFixed(d));

async function main(): Promise<void> {
  const { x, y } = synthetic();
  // Wall time and this process's CPU time (the two differ on a busy machine; CPU time is the stable one).
  const timed = <T>(fn: () => T): [T, number, number] => {
    const w = performance.now();
    const c = process.cpuUsage();
    const out = fn();
    const cpu = process.cpuUsage(c);
    return [out, Math.round(performance.now() - w), Math.round((cpu.user + cpu.system) / 1000)];
  };
  const [gbdt, gbdtMs, gbdtCpuMs] = timed(() => trainGbdt(x, y, ROWS, DEFAULT_FEATURES, { trees: 100, maxDepth: 5 }));
  const [logistic, logisticMs, logisticCpuMs] = timed(() => trainLogistic(x, y, ROWS, DEFAULT_FEATURES));
  let t: number;

  const manifest = { features: DEFAULT_FEATURES, timeframe: '5m' as const };
  const gbdtOnnx = gbdtToOnnx(gbdt, '5m');
  const model = ScoringModel.load(gbdtOnnx, manifest, 'bench-gbdt');
  const lr = ScoringModel.load(logisticToOnnx(logistic, '5m'), manifest, 'bench-logistic');
  const row = x.slice(0, F);
  let k = 0;
  const oneRow = latency(() => {
    row[0] = x[(k++ % ROWS) * F]!;
    model.predictOne(row);
  }, 20_000);
  const oneRowLogistic = latency(() => lr.predictOne(row), 20_000);

  // The package's public asynchronous API, for comparison (it defers every call with setImmediate).
  const session = await InferenceSession.create(gbdtOnnx, { intraOpNumThreads: 1 });
  const asyncTimes = new Float64Array(2000);
  for (let i = 0; i < 2200; i++) {
    const a = process.hrtime.bigint();
    await session.run({ features: new Tensor('float32', row, [1, F]) });
    if (i >= 200) asyncTimes[i - 200] = Number(process.hrtime.bigint() - a) / 1000;
  }
  asyncTimes.sort();
  await session.release();

  const batches = 200;
  t = performance.now();
  for (let b = 0; b < batches; b++) {
    const start = (b * 1000) % (ROWS - 1000);
    model.predict(x.subarray(start * F, (start + 1000) * F), 1000);
  }
  const batchMs = (performance.now() - t) / batches;

  const result = {
    name: 'clm',
    rows: ROWS,
    features: F,
    training: {
      gbdt: { trees: gbdt.trees.length, maxDepth: 5, ms: gbdtMs, cpuMs: gbdtCpuMs },
      logistic: { iterations: logistic.iterations, ms: logisticMs, cpuMs: logisticCpuMs },
    },
    inference: {
      gbdt100OneRowSync: oneRow,
      logisticOneRowSync: oneRowLogistic,
      gbdt100OneRowPublicAsyncApi: { p50Us: round(percentile(asyncTimes, 0.5)), p99Us: round(percentile(asyncTimes, 0.99)) },
      gbdt100Batch1000: { msPerBatch: round(batchMs, 3), rowsPerSecond: Math.round(1000 / (batchMs / 1000)) },
    },
    target: { oneRowP50Us: 100, met: oneRow.p50Us < 100 },
  };
  model.dispose();
  lr.dispose();
  console.log(JSON.stringify(result, null, 2));
}

await main();
