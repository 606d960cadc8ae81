import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QuantumTraderError, type UnixMillis } from '@quantum-trader/core';
import type { ModelMetadata, ModelStatus } from './model-metadata.js';

/**
 * Options of {@link ModelRegistry.open}.
 *
 * @example
 * ```ts
 * const registry = await ModelRegistry.open(dir, { keep: 20 });
 * ```
 */
export interface ModelRegistryOptions {
  /** Versions kept on disk (default 10); the champion and the rollback target are never deleted. */
  readonly keep?: number;
}

/**
 * One entry of the registry's history.
 *
 * @example
 * ```ts
 * const last: RegistryLogEntry | undefined = registry.log.at(-1); // { action: 'promoted', version: 'v7', … }
 * ```
 */
export interface RegistryLogEntry {
  readonly ts: UnixMillis;
  readonly action: 'added' | 'promoted' | 'rejected' | 'rolled-back' | 'deleted';
  readonly version: string;
  readonly reason: string;
}

interface RegistryState {
  nextVersion: number;
  champion: string | null;
  /** Champions in the order they were promoted; the last is the champion, the one before it the rollback target. */
  championHistory: string[];
  log: RegistryLogEntry[];
}

const STATE_FILE = 'registry.json';
const LOG_LIMIT = 500;
const VERSION_DIR = /^v(\d+)$/;

/**
 * What {@link ModelRegistry.add} needs: the metadata without what the registry assigns.
 *
 * @example
 * ```ts
 * const entry: NewModel = { createdAt: now, trainer: 'gbdt', params: {}, manifest, threshold: 0.4 };
 * const meta = await registry.add(entry, onnxBytes);
 * ```
 */
export type NewModel = Omit<ModelMetadata, 'version' | 'sha256' | 'status' | 'reason'> & {
  readonly status?: ModelStatus;
  readonly reason?: string;
};

/**
 * The model registry on disk: one folder per version (`<dir>/v7/model.onnx` + `metadata.json`), a champion pointer
 * and history in `registry.json`, the newest `keep` versions kept. Every write goes to a temporary name and is
 * renamed into place, so a crash never leaves a half-written version or pointer.
 *
 * @example
 * ```ts
 * const registry = await ModelRegistry.open(join(dataDir, 'models'), { keep: 10 });
 * const meta = await registry.add({ …, createdAt: scheduler.now() }, onnxBytes);
 * await registry.promote(meta.version, 'first champion', scheduler.now());
 * await registry.rollback('live hit rate 0.31 < 0.40 over 50 trades', scheduler.now());
 * ```
 */
export class ModelRegistry {
  private constructor(
    readonly dir: string,
    private readonly keep: number,
    private state: RegistryState,
  ) {}

  /** Opens (or creates) a registry folder. */
  static async open(dir: string, options: ModelRegistryOptions = {}): Promise<ModelRegistry> {
    const keep = options.keep ?? 10;
    if (!(Number.isInteger(keep) && keep >= 2)) {
      throw new QuantumTraderError('PARAMETER_OUT_OF_RANGE', `model registry: keep must be an integer ≥ 2, got ${keep}`);
    }
    await mkdir(dir, { recursive: true });
    let state: RegistryState = { nextVersion: 1, champion: null, championHistory: [], log: [] };
    const text = await readFile(join(dir, STATE_FILE), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        state = JSON.parse(text) as RegistryState;
      } catch (err) {
        throw new QuantumTraderError('DATA_INVALID', `${join(dir, STATE_FILE)} is not valid JSON; restore it or delete it to rebuild the registry`, { cause: err });
      }
    } else {
      // A registry without its pointer file (first run, or the file was lost): continue numbering after the folders.
      const versions = await listVersionDirs(dir);
      state.nextVersion = (versions[versions.length - 1] ?? 0) + 1;
    }
    return new ModelRegistry(dir, keep, state);
  }

  /** The serving version, if any. */
  get champion(): string | undefined {
    return this.state.champion ?? undefined;
  }

  /** The version a rollback would return to, if any. */
  get previousChampion(): string | undefined {
    const h = this.state.championHistory;
    return h.length >= 2 ? h[h.length - 2] : undefined;
  }

  /** The registry's history, oldest first (the last 500 entries). */
  get log(): readonly RegistryLogEntry[] {
    return this.state.log;
  }

  /** Where a version's ONNX file lives. */
  modelPath(version: string): string {
    return join(this.dir, version, 'model.onnx');
  }

  /** Stores a new version (status `candidate` unless given) and applies retention. */
  async add(model: NewModel, onnx: Uint8Array): Promise<ModelMetadata> {
    const version = `v${this.state.nextVersion}`;
    const meta: ModelMetadata = {
      ...model,
      version,
      status: model.status ?? 'candidate',
      reason: model.reason ?? 'trained',
      sha256: createHash('sha256').update(onnx).digest('hex'),
    };
    const tmp = join(this.dir, `.${version}.tmp`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await writeFile(join(tmp, 'model.onnx'), onnx);
    await writeFile(join(tmp, 'metadata.json'), JSON.stringify(meta, null, 2));
    await rename(tmp, join(this.dir, version));
    this.state.nextVersion++;
    this.record(model.createdAt, 'added', version, `${meta.trainer} model`);
    await this.applyRetention(model.createdAt);
    await this.save();
    return meta;
  }

  /** Every stored version, oldest first. */
  async list(): Promise<ModelMetadata[]> {
    const out: ModelMetadata[] = [];
    for (const n of await listVersionDirs(this.dir)) {
      const m = await this.get(`v${n}`);
      if (m !== undefined) out.push(m);
    }
    return out;
  }

  /** One version's metadata, or `undefined` when it is not stored (or its metadata is unreadable). */
  async get(version: string): Promise<ModelMetadata | undefined> {
    const text = await readFile(join(this.dir, version, 'metadata.json'), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as ModelMetadata;
    } catch {
      return undefined;
    }
  }

  /**
   * Reads a version's ONNX bytes and checks them against the SHA-256 recorded when it was stored.
   *
   * @throws QuantumTraderError `DATA_FILE_MISSING` when the file is gone; `DATA_INVALID` when it changed.
   */
  async readModel(version: string): Promise<{ readonly meta: ModelMetadata; readonly onnx: Uint8Array }> {
    const meta = await this.get(version);
    const path = this.modelPath(version);
    if (meta === undefined) {
      throw new QuantumTraderError('DATA_FILE_MISSING', `model ${version}: ${join(this.dir, version, 'metadata.json')} is missing or unreadable`);
    }
    let onnx: Uint8Array;
    try {
      onnx = await readFile(path);
    } catch (err) {
      throw new QuantumTraderError('DATA_FILE_MISSING', `model ${version}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
    }
    const sha = createHash('sha256').update(onnx).digest('hex');
    if (sha !== meta.sha256) {
      throw new QuantumTraderError(
        'DATA_INVALID',
        `model ${version}: ${path} is corrupt (SHA-256 ${sha.slice(0, 12)}… differs from the ${meta.sha256.slice(0, 12)}… recorded when it was stored)`,
      );
    }
    return { meta, onnx };
  }

  /** Makes `version` the champion; the previous champion becomes `retired`. */
  async promote(version: string, reason: string, ts: UnixMillis): Promise<void> {
    const meta = await this.require(version);
    const previous = this.state.champion;
    if (previous !== null && previous !== version) await this.patch(previous, { status: 'retired', reason: `replaced by ${version}` });
    await this.patch(version, { status: 'champion', reason, promotedAt: ts });
    this.state.champion = meta.version;
    this.state.championHistory = this.state.championHistory.filter((v) => v !== version).concat(version);
    this.record(ts, 'promoted', version, reason);
    await this.save();
  }

  /** Marks `version` as rejected with the reason (it stays stored until retention removes it). */
  async reject(version: string, reason: string, ts: UnixMillis): Promise<void> {
    await this.require(version);
    await this.patch(version, { status: 'rejected', reason });
    this.record(ts, 'rejected', version, reason);
    await this.save();
  }

  /**
   * Takes the champion out of service (status `rolled-back`, with the reason) and makes the previous champion
   * serve again; with no previous champion, nothing serves (every signal passes unfiltered).
   */
  async rollback(reason: string, ts: UnixMillis): Promise<{ readonly from: string | undefined; readonly to: string | undefined }> {
    const from = this.state.champion ?? undefined;
    if (from === undefined) return { from: undefined, to: undefined };
    await this.patch(from, { status: 'rolled-back', reason });
    this.state.championHistory = this.state.championHistory.filter((v) => v !== from);
    const to = this.state.championHistory[this.state.championHistory.length - 1];
    if (to !== undefined) await this.patch(to, { status: 'champion', reason: `restored by rollback from ${from}` });
    this.state.champion = to ?? null;
    this.record(ts, 'rolled-back', from, `${reason}; now serving ${to ?? 'no model'}`);
    await this.save();
    return { from, to };
  }

  private async require(version: string): Promise<ModelMetadata> {
    const meta = await this.get(version);
    if (meta === undefined) throw new QuantumTraderError('DATA_FILE_MISSING', `model ${version} is not in the registry at ${this.dir}`);
    return meta;
  }

  private async patch(version: string, patch: Partial<ModelMetadata>): Promise<void> {
    const meta = await this.get(version);
    if (meta === undefined) return;
    const path = join(this.dir, version, 'metadata.json');
    await writeFile(`${path}.tmp`, JSON.stringify({ ...meta, ...patch }, null, 2));
    await rename(`${path}.tmp`, path);
  }

  private async applyRetention(ts: UnixMillis): Promise<void> {
    const versions = await listVersionDirs(this.dir);
    const protectedSet = new Set([this.champion, this.previousChampion].filter((v): v is string => v !== undefined));
    let excess = versions.length - this.keep;
    for (const n of versions) {
      if (excess <= 0) break;
      const v = `v${n}`;
      if (protectedSet.has(v)) continue;
      await rm(join(this.dir, v), { recursive: true, force: true });
      this.state.championHistory = this.state.championHistory.filter((x) => x !== v);
      this.record(ts, 'deleted', v, `retention: keep the last ${this.keep}`);
      excess--;
    }
  }

  private record(ts: UnixMillis, action: RegistryLogEntry['action'], version: string, reason: string): void {
    this.state.log.push({ ts, action, version, reason });
    if (this.state.log.length > LOG_LIMIT) this.state.log.splice(0, this.state.log.length - LOG_LIMIT);
  }

  private async save(): Promise<void> {
    const path = join(this.dir, STATE_FILE);
    await writeFile(`${path}.tmp`, JSON.stringify(this.state, null, 2));
    await rename(`${path}.tmp`, path);
  }
}

async function listVersionDirs(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((n) => VERSION_DIR.exec(n)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}
