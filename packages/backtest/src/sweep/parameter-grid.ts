import { QuantumTraderError } from '@quantum-trader/core';
import type { BacktestOptions } from '../backtest/backtest-options.js';

/** A value a grid can try. */
export type GridValue = number | string | boolean;

/**
 * Values to try per parameter. A plain key (`lookbackHours`) is a strategy parameter; a dotted key sets a backtest
 * option (`risk.leverage`, `exits.stopLossPct`, `slippage.bps`, `latencyMs`, `intrabar`, …).
 *
 * @example
 * ```ts
 * const grid: ParameterGrid = { lookbackHours: [12, 24, 48], 'exits.stopLossPct': [0.01, 0.02] }; // 6 combinations
 * ```
 */
export type ParameterGrid = Readonly<Record<string, readonly GridValue[]>>;

/** One combination of a grid, in the grid's key order. */
export type ParameterSet = Readonly<Record<string, GridValue>>;

const OPTION_ROOTS = new Set([
  'initialBalance',
  'risk',
  'exits',
  'fees',
  'slippage',
  'latencyMs',
  'maxVolumeParticipation',
  'intrabar',
  'cycleSeconds',
  'strategy',
]);

/**
 * Every combination of a grid, in a fixed order: keys in the order given, the last key varying fastest. The
 * position in this list is a combination's index (the tie-breaker that keeps sweep tables deterministic).
 *
 * @example
 * ```ts
 * expandGrid({ a: [1, 2], b: [10, 20] }); // [{a:1,b:10}, {a:1,b:20}, {a:2,b:10}, {a:2,b:20}]
 * ```
 */
export function expandGrid(grid: ParameterGrid): ParameterSet[] {
  const keys = Object.keys(grid);
  if (keys.length === 0) return [{}];
  for (const k of keys) {
    const values = grid[k];
    if (!Array.isArray(values) || values.length === 0) {
      throw new QuantumTraderError('CONFIG_INVALID', `sweep: grid.${k} must be a non-empty list of values to try`);
    }
    const root = k.split('.')[0]!;
    if (k.includes('.') && !OPTION_ROOTS.has(root)) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `sweep: grid key "${k}" names no backtest option; use a strategy parameter name or one of ${[...OPTION_ROOTS].join(', ')} (e.g. "risk.leverage")`,
      );
    }
  }
  let out: Record<string, GridValue>[] = [{}];
  for (const k of keys) {
    const next: Record<string, GridValue>[] = [];
    for (const partial of out) for (const v of grid[k]!) next.push({ ...partial, [k]: v });
    out = next;
  }
  return out;
}

/**
 * Applies one combination to backtest options: plain keys (and `strategy.<key>`) become strategy parameters,
 * dotted keys set the option at that path. The strategy must be chosen by name.
 *
 * @example
 * ```ts
 * applyParameters({ data, strategy: 'momentum' }, { lookbackHours: 12, 'risk.leverage': 2 });
 * ```
 */
export function applyParameters(options: BacktestOptions, set: ParameterSet): BacktestOptions {
  const choice = options.strategy ?? 'momentum';
  if (typeof choice === 'object' && 'evaluate' in choice) {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      'sweep: the strategy must be chosen by name ({ name, params }) so that worker threads can build it; register custom strategies with registerStrategy and pass the registering module as setup',
    );
  }
  const name = typeof choice === 'string' ? choice : choice.name;
  const params: Record<string, number> = { ...(typeof choice === 'string' ? {} : (choice.params ?? {})) };
  let out: Record<string, unknown> = { ...options };
  for (const [key, value] of Object.entries(set)) {
    const path = key.startsWith('strategy.') ? key.slice('strategy.'.length) : key;
    if (!path.includes('.') && (key.startsWith('strategy.') || !OPTION_ROOTS.has(path))) {
      if (typeof value !== 'number') {
        throw new QuantumTraderError('PARAMETER_OUT_OF_RANGE', `sweep: strategy parameter ${path} must be a number, got ${JSON.stringify(value)}`);
      }
      params[path] = value;
      continue;
    }
    out = setPath(out, key.split('.'), value);
  }
  return { ...(out as unknown as BacktestOptions), strategy: { name, params } };
}

function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  if (rest.length === 0) return { ...obj, [head]: value };
  const child = obj[head];
  const base = child !== null && typeof child === 'object' ? (child as Record<string, unknown>) : {};
  return { ...obj, [head]: setPath(base, rest, value) };
}

/**
 * A combination as `key=value` pairs, for tables and messages.
 *
 * @example
 * ```ts
 * describeParameters({ lookbackHours: 12, 'risk.leverage': 2 }); // 'lookbackHours=12 risk.leverage=2'
 * ```
 */
export function describeParameters(set: ParameterSet): string {
  return Object.entries(set)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}
