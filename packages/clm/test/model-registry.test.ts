import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelRegistry, type NewModel } from '../src/index.js';
import { tempDir } from './fixtures.js';

const model = (ts: number): NewModel => ({
  createdAt: ts,
  trainer: 'gbdt',
  params: { trees: 10 },
  manifest: { features: ['ret_1'], timeframe: '5m' },
  threshold: 0.4,
});
const bytes = (i: number) => new TextEncoder().encode(`onnx-bytes-${i}`);

let cleanup = () => {};
afterEach(() => cleanup());

async function open(keep?: number) {
  const t = tempDir();
  cleanup = t.cleanup;
  return { dir: t.dir, registry: await ModelRegistry.open(t.dir, keep === undefined ? {} : { keep }) };
}

describe('the model registry', () => {
  it('stores one folder per version with model.onnx and metadata.json', async () => {
    const { dir, registry } = await open();
    const meta = await registry.add(model(1000), bytes(1));
    expect(meta).toMatchObject({ version: 'v1', status: 'candidate', trainer: 'gbdt', createdAt: 1000, threshold: 0.4 });
    expect((await readdir(join(dir, 'v1'))).sort()).toEqual(['metadata.json', 'model.onnx']);
    expect((await registry.readModel('v1')).onnx).toEqual(Buffer.from(bytes(1)));
  });

  it('keeps the last 10 versions by default, and never deletes the champion or the rollback target', async () => {
    const { dir, registry } = await open();
    for (let i = 1; i <= 3; i++) await registry.add(model(i), bytes(i));
    await registry.promote('v2', 'first champion', 10);
    await registry.promote('v3', 'beats v2', 11);
    for (let i = 4; i <= 14; i++) await registry.add(model(i), bytes(i));
    const versions = (await registry.list()).map((m) => m.version);
    expect(versions).toEqual(['v2', 'v3', 'v7', 'v8', 'v9', 'v10', 'v11', 'v12', 'v13', 'v14']);
    expect(existsSync(join(dir, 'v1'))).toBe(false);
    expect(registry.champion).toBe('v3');
    expect(registry.previousChampion).toBe('v2');
    expect(registry.log.filter((e) => e.action === 'deleted').map((e) => e.version)).toEqual(['v1', 'v4', 'v5', 'v6']);
    // Version numbers are never reused, even after a restart.
    const reopened = await ModelRegistry.open(dir);
    expect((await reopened.add(model(15), bytes(15))).version).toBe('v15');
    expect(reopened.champion).toBe('v3');
  });

  it('honours a configured retention', async () => {
    const { registry } = await open(3);
    for (let i = 1; i <= 6; i++) await registry.add(model(i), bytes(i));
    expect((await registry.list()).map((m) => m.version)).toEqual(['v4', 'v5', 'v6']);
  });

  it('moves the champion pointer on promotion and back on rollback, recording statuses and reasons', async () => {
    const { registry } = await open();
    for (let i = 1; i <= 3; i++) await registry.add(model(i), bytes(i));
    await registry.promote('v1', 'first champion', 10);
    await registry.reject('v2', 'worse than v1: auc 0.51 ≤ v1\'s 0.55', 20);
    await registry.promote('v3', 'beats v1', 30);
    expect((await registry.get('v1'))!.status).toBe('retired');
    expect(await registry.get('v2')).toMatchObject({ status: 'rejected', reason: "worse than v1: auc 0.51 ≤ v1's 0.55" });
    expect(await registry.get('v3')).toMatchObject({ status: 'champion', promotedAt: 30 });

    expect(await registry.rollback('live hit rate 0.20 < 0.30', 40)).toEqual({ from: 'v3', to: 'v1' });
    expect(registry.champion).toBe('v1');
    expect(await registry.get('v3')).toMatchObject({ status: 'rolled-back', reason: 'live hit rate 0.20 < 0.30' });
    expect((await registry.get('v1'))!.status).toBe('champion');
    expect(await registry.rollback('again', 50)).toEqual({ from: 'v1', to: undefined });
    expect(registry.champion).toBeUndefined();
    expect(registry.log.map((e) => e.action)).toEqual(['added', 'added', 'added', 'promoted', 'rejected', 'promoted', 'rolled-back', 'rolled-back']);
  });

  it('detects a corrupt or missing model file by its recorded SHA-256', async () => {
    const { registry } = await open();
    await registry.add(model(1), bytes(1));
    await registry.add(model(2), bytes(2));
    await writeFile(registry.modelPath('v1'), 'flipped bits');
    await expect(registry.readModel('v1')).rejects.toThrow(/^model v1: .*v1\/model\.onnx is corrupt \(SHA-256 [0-9a-f]{12}… differs/);
    const { rm } = await import('node:fs/promises');
    await rm(registry.modelPath('v2'));
    await expect(registry.readModel('v2')).rejects.toThrow(/^model v2: cannot read .*v2\/model\.onnx \(ENOENT\)/);
  });
});
