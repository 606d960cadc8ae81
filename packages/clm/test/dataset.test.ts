import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DatasetStore,
  datasetToCsv,
  decodeDataset,
  encodeDataset,
  readDatasetHeader,
  type Dataset,
} from '../src/index.js';
import { tempDir } from './fixtures.js';

function dataset(rows: number, t0 = Date.UTC(2021, 0, 1)): Dataset {
  const f = 3;
  return {
    spec: { timeframe: '5m', names: ['ret_1', 'rsi_14', 'direction'] },
    rows,
    features: Float32Array.from({ length: rows * f }, (_, i) => Math.sin(i) * 0.1),
    labels: Uint8Array.from({ length: rows }, (_, i) => i % 3 === 0 ? 1 : 0),
    returns: Float32Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 0.02 : -0.01)),
    ts: Float64Array.from({ length: rows }, (_, i) => t0 + i * 300_000),
    exitTs: Float64Array.from({ length: rows }, (_, i) => t0 + (i + 7) * 300_000),
    direction: Int8Array.from({ length: rows }, (_, i) => (i % 2 === 0 ? 1 : -1)),
    symbolIndex: Uint16Array.from({ length: rows }, (_, i) => i % 2),
    symbols: ['BTC/USDT', 'ETH/USDT'],
    labelSource: 'simulated',
  };
}

let cleanup = () => {};
afterEach(() => cleanup());

describe('datasets on disk', () => {
  it('round-trips every column through the compact binary format, with range and row count in the header', () => {
    const d = dataset(1000);
    const bytes = encodeDataset(d, 42);
    // Columnar float32/float64 with a small JSON header: ~ (3·4 + 1 + 4 + 8 + 8 + 1 + 2) bytes per row.
    expect(bytes.length).toBeLessThan(1000 * 36 + 2048);
    const h = readDatasetHeader(bytes);
    expect(h).toMatchObject({ format: 'QTDS', version: 1, rows: 1000, from: d.ts[0], to: d.ts[999], createdAt: 42, labelSource: 'simulated' });
    expect(h.features).toEqual(['ret_1', 'rsi_14', 'direction']);
    expect(decodeDataset(bytes)).toEqual(d);
  });

  it('refuses a file that is not a dataset or is truncated, saying which', () => {
    expect(() => decodeDataset(new TextEncoder().encode('ts,open,high\n1,2,3'), 'x.qtds')).toThrow('x.qtds: not a CLM dataset file');
    const bytes = encodeDataset(dataset(100), 0);
    expect(() => decodeDataset(bytes.subarray(0, bytes.length - 500), 'cut.qtds')).toThrow(/cut.qtds: column "\w+" runs past the end/);
  });

  it('versions datasets (ds-000001, ds-000002 …) and keeps the newest ones', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = new DatasetStore(t.dir, 3);
    const saved = [];
    for (let i = 0; i < 5; i++) saved.push(await store.save(dataset(10 + i, Date.UTC(2021, 0, 1 + i)), i));
    expect(saved.map((s) => s.id)).toEqual(['ds-000001', 'ds-000002', 'ds-000003', 'ds-000004', 'ds-000005']);
    const list = await store.list();
    expect(list.map((s) => [s.id, s.header.rows, s.header.from])).toEqual([
      ['ds-000003', 12, Date.UTC(2021, 0, 3)],
      ['ds-000004', 13, Date.UTC(2021, 0, 4)],
      ['ds-000005', 14, Date.UTC(2021, 0, 5)],
    ]);
    expect((await store.load('ds-000005')).rows).toBe(14);
    // Overwriting a file with garbage is detected on load.
    await writeFile(list[0]!.path, 'garbage');
    await expect(store.load('ds-000003')).rejects.toThrow('ds-000003: not a CLM dataset file');
    expect((await readFile(list[1]!.path)).subarray(0, 4).toString()).toBe('QTDS');
  });

  it('writes CSV for external trainers with the feature names as the header', () => {
    const csv = datasetToCsv(dataset(2)).trim().split('\n');
    expect(csv[0]).toBe('ret_1,rsi_14,direction,label,ret,ts,exit_ts,side,symbol');
    expect(csv).toHaveLength(3);
    expect(csv[2]!.endsWith(',-1,ETH/USDT')).toBe(true);
  });
});
