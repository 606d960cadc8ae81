import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UnixMillis } from '@quantum-trader/core';
import type { Dataset } from './dataset.js';
import { decodeDataset, encodeDataset, readDatasetHeader, type DatasetHeader } from './dataset-file.js';

const FILE = /^ds-(\d{6})\.qtds$/;

/**
 * A dataset version on disk.
 *
 * @example
 * ```ts
 * const latest: StoredDataset | undefined = (await store.list()).at(-1);
 * console.log(latest?.id, latest?.header.rows);
 * ```
 */
export interface StoredDataset {
  /** `ds-000007` */
  readonly id: string;
  readonly path: string;
  readonly header: DatasetHeader;
}

/**
 * Versioned datasets in a folder (`<dir>/ds-000001.qtds`, `ds-000002.qtds` …), each with its time range and row
 * count in its header; the newest `keep` are kept.
 *
 * @example
 * ```ts
 * const store = new DatasetStore(join(dataDir, 'datasets'));
 * const saved = await store.save(dataset, scheduler.now());
 * console.log(saved.id, saved.header.rows);
 * ```
 */
export class DatasetStore {
  constructor(
    readonly dir: string,
    private readonly keep = 10,
  ) {}

  /** Writes a new version (atomically: a temporary file renamed into place) and applies retention. */
  async save(dataset: Dataset, createdAt: UnixMillis): Promise<StoredDataset> {
    await mkdir(this.dir, { recursive: true });
    const ids = await this.ids();
    const next = (ids.length === 0 ? 0 : ids[ids.length - 1]!) + 1;
    const id = `ds-${String(next).padStart(6, '0')}`;
    const path = join(this.dir, `${id}.qtds`);
    const bytes = encodeDataset(dataset, createdAt);
    const tmp = `${path}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    const all = [...ids, next];
    for (const old of all.slice(0, Math.max(0, all.length - this.keep))) {
      await rm(join(this.dir, `ds-${String(old).padStart(6, '0')}.qtds`), { force: true });
    }
    return { id, path, header: readDatasetHeader(bytes, id) };
  }

  /** Every stored version, oldest first, with its header (only the header is read). */
  async list(): Promise<StoredDataset[]> {
    const out: StoredDataset[] = [];
    for (const n of await this.ids()) {
      const id = `ds-${String(n).padStart(6, '0')}`;
      const path = join(this.dir, `${id}.qtds`);
      out.push({ id, path, header: await readHeaderOnly(path, id) });
    }
    return out;
  }

  /** Reads one version in full. */
  async load(id: string): Promise<Dataset> {
    return decodeDataset(await readFile(join(this.dir, `${id}.qtds`)), id);
  }

  private async ids(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    return names
      .map((n) => FILE.exec(n)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }
}

async function readHeaderOnly(path: string, id: string): Promise<DatasetHeader> {
  const fh = await open(path, 'r');
  try {
    const head = new Uint8Array(12);
    await fh.read(head, 0, 12, 0);
    const len = new DataView(head.buffer).getUint32(8, true);
    const buf = new Uint8Array(12 + len);
    await fh.read(buf, 0, buf.length, 0);
    return readDatasetHeader(buf, id);
  } finally {
    await fh.close();
  }
}
