import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Subject } from 'rxjs';
import { MemoryJournal, ReplayScheduler, momentumStrategy, type DomainEvent } from '@quantum-trader/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ContinuousLearning,
  candleHistoryFromSeries,
  externalTrainer,
  logisticPredict,
  logisticToOnnx,
  logisticTrainer,
  trainLogistic,
  type ContinuousLearningOptions,
  type Trainer,
} from '../src/index.js';
import { BTC, captureLogger, closedTrade, realCandles, tempDir } from './fixtures.js';

const H = 3_600_000;
const FEATURES = ['ret_1h', 'direction'];
const EXTERNAL = fileURLToPath(new URL('./fixtures/external-trainer.mjs', import.meta.url));

/** A model that ranks signals backwards: a logistic fit with its weights negated. */
const inverted: Trainer = {
  name: 'inverted',
  async train({ train }) {
    const m = trainLogistic(train.features, train.labels, train.rows, train.spec.names);
    const bad = { ...m, weights: m.weights.map((w) => -w), intercept: -m.intercept };
    return {
      onnx: logisticToOnnx(bad, '5m'),
      manifest: { features: train.spec.names, timeframe: '5m' },
      trainer: 'inverted',
      params: {},
      predict: (x, n) => logisticPredict(bad, x, n),
    };
  },
};

let cleanup = () => {};
afterEach(() => cleanup());

/**
 * A CLM whose labels come from 600 journal trades in which longs win 80 % and shorts 20 % of the time (±2 %), so
 * `direction` carries real skill; `trainer` decides what each run trains.
 */
async function setup(extra: Partial<ContinuousLearningOptions> = {}, dir?: string) {
  let t: { dir: string; cleanup: () => void };
  if (dir === undefined) {
    t = tempDir();
    cleanup = t.cleanup;
  } else t = { dir, cleanup: () => {} };
  const journal = new MemoryJournal();
  const t0 = Date.UTC(2021, 0, 3);
  for (let i = 0; i < 600; i++) {
    const side = (i * 7) % 3 === 0 ? 'short' : 'long';
    const win = side === 'long' ? i % 5 !== 0 : i % 5 === 0;
    journal.append(closedTrade({ n: i, symbol: BTC, side, candleTs: t0 + i * 2 * H, closedAt: t0 + i * 2 * H + H, ret: win ? 0.02 : -0.02 }));
  }
  const scheduler = new ReplayScheduler(Date.UTC(2021, 1, 25));
  const history = candleHistoryFromSeries([{ symbol: BTC, candles: realCandles('BTC', '2021-01-01', '2021-03-01') }], '5m');
  const { logger, lines } = captureLogger();
  const use = { trainer: logisticTrainer({ l2: 300 }) as Trainer };
  const switching: Trainer = { name: 'switching', train: (input) => use.trainer.train(input) };
  const events$ = new Subject<DomainEvent>();
  const clm = new ContinuousLearning({
    dataDir: t.dir,
    journal,
    history,
    strategy: () => momentumStrategy(),
    scheduler,
    logger,
    features: FEATURES,
    trainer: switching,
    labels: { source: 'auto', journalMin: 100 },
    gate: { metric: 'logLoss' },
    schedule: { enabled: false },
    ...extra,
  });
  await clm.start(events$);
  const completed = () => lines.filter((l) => l.message.startsWith('[CLM] retraining completed')).map((l) => l.message);
  return { clm, use, lines, completed, journal, scheduler, events$, dir: t.dir };
}

describe('ContinuousLearning: gate, registry and serving', () => {
  it('labels from journal trades, promotes a better model and refuses a worse one with the reason', async () => {
    const { clm, use, completed, journal } = await setup();
    const r1 = await clm.triggerRetrain();
    expect(r1).toMatchObject({ status: 'completed', version: 'v1', promoted: true, champion: 'v1' });
    expect(r1.reason).toMatch(/^no champion serving; beats momentum alone: logLoss 0\.\d{4}/);
    use.trainer = logisticTrainer({ l2: 1 });
    const r2 = await clm.triggerRetrain();
    expect(r2).toMatchObject({ version: 'v2', promoted: true, champion: 'v2' });
    expect(r2.metrics!.logLoss).toBeLessThan(r1.metrics!.logLoss);
    use.trainer = inverted;
    const r3 = await clm.triggerRetrain();
    expect(r3).toMatchObject({ version: 'v3', promoted: false, champion: 'v2' });
    expect(r3.reason).toMatch(/^worse than v2: logLoss \d\.\d{4} ≥ v2's 0\.\d{4}; backtested PnL -?\d+\.\d\d < v2's \d+\.\d\d$/);
    expect(completed()[2]).toMatch(/^\[CLM\] retraining completed: version=v3 accuracy=0\.\d\d auc=0\.\d\d promoted=false \(worse than v2\)$/);

    const v3 = await clm.registry.get('v3');
    expect(v3).toMatchObject({ status: 'rejected', trainer: 'inverted', comparedWith: { version: 'v2' } });
    expect(v3!.data).toMatchObject({ labelSource: 'journal', dataset: 'ds-000003' });
    expect(v3!.metrics!.auc).toBeLessThan(0.5);
    expect(clm.scorer.serving).toBe('v2');
    const promoted = (await journal.events({ types: ['ModelPromoted'] })).map((e) => e.event);
    expect(promoted.map((e) => (e.type === 'ModelPromoted' ? [e.version, e.metric] : []))).toEqual([['v1', 'logLoss'], ['v2', 'logLoss']]);
    await clm.close();
  });

  it('keeps the champion serving and logs a clear error when the model to switch to is corrupt', async () => {
    const { clm, use, lines } = await setup();
    await clm.triggerRetrain();
    use.trainer = logisticTrainer({ l2: 1 });
    await clm.triggerRetrain();
    await writeFile(clm.registry.modelPath('v1'), 'not an onnx file any more');
    expect(await clm.rollback('requested by the operator')).toEqual({ from: 'v2', to: 'v2' });
    expect(clm.scorer.serving).toBe('v2');
    expect(clm.registry.champion).toBe('v2');
    const error = lines.find((l) => l.level === 'error')!;
    expect(error.message).toMatch(/^\[CLM\] rollback from v2 to v1 failed: model v1: .*v1\/model\.onnx is corrupt \(SHA-256 .* differs .*\); v2 keeps serving$/);
    await clm.close();
  });

  it('refuses a trained model ONNX Runtime cannot load, and the champion keeps serving', async () => {
    const { clm, use, lines } = await setup();
    await clm.triggerRetrain();
    use.trainer = { name: 'broken', train: async ({ train }) => ({ onnx: Uint8Array.of(1, 2, 3), manifest: { features: train.spec.names, timeframe: '5m' }, trainer: 'broken', params: {} }) };
    const r = await clm.triggerRetrain();
    expect(r).toMatchObject({ status: 'completed', version: 'v2', promoted: false, champion: 'v1' });
    expect(r.reason).toMatch(/^refused at load time: broken candidate: onnxruntime-node could not load the model/);
    expect(lines.some((l) => l.level === 'error' && l.message.startsWith('[CLM] retraining completed: version=v2 promoted=false (refused at load time'))).toBe(true);
    expect(clm.scorer.serving).toBe('v1');
    await clm.close();
  });

  it('after a restart serves the champion from disk, or says clearly why it cannot', async () => {
    const first = await setup();
    await first.clm.triggerRetrain();
    await first.clm.close();
    const again = await setup({}, first.dir);
    expect(again.clm.scorer.serving).toBe('v1');
    await again.clm.close();
    const { rm } = await import('node:fs/promises');
    await rm(join(first.dir, 'models', 'v1', 'model.onnx'));
    const broken = await setup({}, first.dir);
    expect(broken.clm.scorer.serving).toBe('none');
    expect(broken.lines.find((l) => l.level === 'error')!.message).toMatch(
      /^\[CLM\] cannot serve champion v1: model v1: cannot read .*model\.onnx \(ENOENT\); signals pass unfiltered until a model loads$/,
    );
    await broken.clm.close();
  });

  it('rolls back to the previous champion when the live hit rate falls below the threshold over N trades', async () => {
    const { clm, use, lines, scheduler, events$ } = await setup({ rollback: { window: 10, minHitRate: 0.4 } });
    await clm.triggerRetrain();
    use.trainer = logisticTrainer({ l2: 1 });
    await clm.triggerRetrain();
    const now = scheduler.now();
    for (let i = 0; i < 10; i++) {
      const [, closed] = closedTrade({ n: 1000 + i, symbol: BTC, side: 'long', candleTs: now, closedAt: now + (i + 1) * H, ret: i < 3 ? 0.02 : -0.02 });
      events$.next(closed);
    }
    await clm.idle();
    expect(clm.scorer.serving).toBe('v1');
    expect(clm.registry.champion).toBe('v1');
    expect(await clm.registry.get('v2')).toMatchObject({ status: 'rolled-back', reason: 'live hit rate 0.30 over the last 10 trades < 0.40' });
    expect(lines.map((l) => l.message)).toContain('[CLM] rolled back: v2 → v1 (live hit rate 0.30 over the last 10 trades < 0.40)');
    await clm.close();
  });

  it('serves an ensemble of the best k champions', async () => {
    const { clm, use } = await setup({ serving: { mode: 'ensemble', k: 2, combine: 'mean' } });
    await clm.triggerRetrain();
    expect(clm.scorer.serving).toBe('v1');
    use.trainer = logisticTrainer({ l2: 1 });
    await clm.triggerRetrain();
    expect(clm.scorer.serving).toBe('ensemble(v2,v1)');
    await clm.close();
  });

  it('imports a dropped-in ONNX model through the same gate, and refuses one whose inputs do not match', async () => {
    const { clm, dir } = await setup();
    await clm.triggerRetrain();
    const path = join(dir, 'dropped.onnx');
    const m = trainLogistic(Float32Array.of(0, 1, 0, -1, 1, 1, 1, -1), Uint8Array.of(1, 0, 1, 0), 4, FEATURES);
    await writeFile(path, logisticToOnnx({ ...m, weights: m.weights.map((w) => -w) }, '5m'));
    await writeFile(`${path}.json`, JSON.stringify({ features: FEATURES, timeframe: '5m' }));
    const r = await clm.importModel(path, `${path}.json`);
    expect(r).toMatchObject({ trigger: 'import', status: 'completed', version: 'v2', promoted: false });
    expect(r.reason).toMatch(/^worse than v1/);
    expect(await clm.registry.get('v2')).toMatchObject({ trainer: 'imported', status: 'rejected' });
    await expect(clm.importModel(path, { features: ['ret_1h', 'ret_4h', 'direction'], timeframe: '5m' })).rejects.toThrow(
      'refused: input "features" has shape [N, 2] but the manifest names 3 features (ret_1h, ret_4h, direction); expected [N, 3]',
    );
    await expect(clm.importModel(path, { features: FEATURES, timeframe: '1h' })).rejects.toThrow(
      "refused: its features are computed on 1h candles but this bot's market data is 5m",
    );
    await clm.close();
  });

  it('trains through an external command that writes an ONNX file (and reports its failure)', async () => {
    const { clm, use } = await setup();
    use.trainer = externalTrainer({ name: 'my-lightgbm', command: process.execPath, args: [EXTERNAL, '{output}'] });
    const r = await clm.triggerRetrain();
    expect(r).toMatchObject({ status: 'completed', version: 'v1', promoted: true });
    expect(r.metrics!.auc).toBeGreaterThan(0.7);
    expect(await clm.registry.get('v1')).toMatchObject({ trainer: 'my-lightgbm', manifest: { input: 'float_input', output: 'p' } });
    use.trainer = externalTrainer({ command: process.execPath, args: ['-e', "console.error('lightgbm is not installed'); process.exit(3)"] });
    const failed = await clm.triggerRetrain();
    expect(failed).toMatchObject({ status: 'failed', promoted: false, champion: 'v1' });
    expect(failed.reason).toMatch(/exited with code 3: lightgbm is not installed$/);
    expect(clm.scorer.serving).toBe('v1');
    await clm.close();
  });
});
