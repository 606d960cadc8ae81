import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { QuantumTraderError } from '@quantum-trader/core';
import { isPostgresUrl } from '../live/live-flags.js';
import { formatConfigIssues } from './format-config-issues.js';
import { runnerConfigSchema, type RunnerConfig, type RunnerConfigInput } from './runner-config-schema.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** How error messages name the overrides, e.g. `command line` (default `overrides`). */
  readonly overridesLabel?: string;
}

/**
 * Loads the runner configuration: defaults, then the JSON file at `path` (if given), then `overrides` (e.g. CLI flags).
 *
 * The file is validated on its own first, so an error names the file; then the overrides are merged in (objects merge
 * key by key, arrays and values replace, `undefined` is ignored) and the result is validated again by the same schema.
 * Relative paths inside the file (`data.files`, `db`, `logDir`, `live.db`, `live.keysFile`) are resolved against the
 * file's folder; relative paths in overrides stay relative to the current working directory. Any problem throws
 * `QuantumTraderError('CONFIG_INVALID')` with one line per bad field:
 * `config.json: risk.maxNotionalPerTrade: expected a number > 0, received -5`.
 *
 * @param path - a `.json` config file; omit it to start from the defaults.
 * @param overrides - values that win over the file's.
 *
 * @example
 * ```ts
 * import { loadConfig } from '@quantum-trader/runner';
 *
 * const config = loadConfig('quantum-trader.json', { symbols: ['BTC/USDT'], from: '2021-03-01' });
 * ```
 */
export function loadConfig(
  path?: string,
  overrides?: RunnerConfigInput,
  options: LoadConfigOptions = {},
): RunnerConfig {
  let base: Record<string, unknown> = {};
  if (path !== undefined) {
    const raw = readConfigFile(path);
    validate(raw, path);
    base = resolveFilePaths(raw, dirname(resolve(path)));
  }
  const merged = overrides === undefined ? base : deepMerge(base, overrides as Record<string, unknown>);
  return validate(merged, options.overridesLabel ?? 'overrides');
}

function validate(input: unknown, source: string): RunnerConfig {
  const result = runnerConfigSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const lines = formatConfigIssues(source, result.error.issues, runnerConfigSchema);
  throw new QuantumTraderError('CONFIG_INVALID', lines.join('\n'), { cause: result.error });
}

function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) {
    throw new QuantumTraderError('CONFIG_INVALID', `${path}: no such config file (check the --config path)`);
  }
  if (statSync(path).isDirectory()) {
    throw new QuantumTraderError('CONFIG_INVALID', `${path}: is a folder; expected a JSON config file`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      `${path}: YAML config files are not supported yet; write the same settings as JSON (config.json)`,
    );
  }
  const text = readFileSync(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new QuantumTraderError('CONFIG_INVALID', `${path}: not valid JSON (${jsonErrorWhere(text, err)})`, {
      cause: err,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new QuantumTraderError('CONFIG_INVALID', `${path}: expected a JSON object at the top level, received ${got}`);
  }
  return value as Record<string, unknown>;
}

// "Unexpected token } in JSON at position 42" → "line 3, column 5: Unexpected token }"
function jsonErrorWhere(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const match = /at position (\d+)/.exec(message);
  if (match === null) return message;
  const pos = Number(match[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}

function resolveFilePaths(raw: Record<string, unknown>, baseDir: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  if (typeof raw['db'] === 'string') out['db'] = resolve(baseDir, raw['db']);
  if (typeof raw['logDir'] === 'string') out['logDir'] = resolve(baseDir, raw['logDir']);
  const data = raw['data'];
  if (isPlainObject(data) && Array.isArray(data['files'])) {
    out['data'] = { ...data, files: (data['files'] as string[]).map((f) => resolve(baseDir, f)) };
  }
  const live = raw['live'];
  if (isPlainObject(live)) {
    const paths: Record<string, unknown> = { ...live };
    if (typeof live['db'] === 'string' && !isPostgresUrl(live['db'])) paths['db'] = resolve(baseDir, live['db']);
    if (typeof live['keysFile'] === 'string') paths['keysFile'] = resolve(baseDir, live['keysFile']);
    out['live'] = paths;
  }
  return out;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
