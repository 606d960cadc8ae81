import { momentumStrategy, QuantumTraderError, type Strategy, type Timeframe } from '@quantum-trader/core';

/**
 * The range of one numeric strategy parameter. Bounds are inclusive unless `exclusiveMin` / `exclusiveMax`.
 *
 * @example
 * ```ts
 * const spec: StrategyParamSpec = { default: 24, min: 0, exclusiveMin: true, max: 720, description: 'look-back in hours' };
 * ```
 */
export interface StrategyParamSpec {
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
  readonly integer?: boolean;
  readonly description: string;
}

/** What a strategy factory is given besides its parameters. */
export interface StrategyContext {
  /** Timeframe of the candles the strategy is fed. */
  readonly timeframe: Timeframe;
}

/**
 * A strategy plugin that backtests, sweeps and the CLI can pick by name: its parameters (with ranges, so bad
 * values fail before a run starts) and a factory.
 *
 * @example
 * ```ts
 * registerStrategy({
 *   name: 'always-long',
 *   description: 'goes long whenever flat',
 *   params: {},
 *   create: () => ({ id: strategyId('always-long'), warmupCandles: 0, onCandle: () => {},
 *     evaluate: () => ({ direction: 'long', strength: 1, reason: 'always' }) }),
 * });
 * ```
 */
export interface StrategyDefinition {
  readonly name: string;
  readonly description: string;
  readonly params: Readonly<Record<string, StrategyParamSpec>>;
  create(params: Readonly<Record<string, number>>, ctx: StrategyContext): Strategy;
}

const momentum: StrategyDefinition = {
  name: 'momentum',
  description: 'N-hour momentum (rate of change of the close): LONG above longThreshold, SHORT below shortThreshold',
  params: {
    lookbackHours: { default: 24, min: 0, exclusiveMin: true, max: 24 * 90, description: 'look-back of the momentum, in hours' },
    longThreshold: { default: 0.01, min: 0, exclusiveMin: true, max: 1, exclusiveMax: true, description: 'LONG when momentum is above this fraction' },
    shortThreshold: { default: -0.01, min: -1, exclusiveMin: true, max: 0, exclusiveMax: true, description: 'SHORT when momentum is below this fraction' },
  },
  create: (p, ctx) =>
    momentumStrategy({
      lookbackHours: p['lookbackHours']!,
      longThreshold: p['longThreshold']!,
      shortThreshold: p['shortThreshold']!,
      timeframe: ctx.timeframe,
    }),
};

const registry = new Map<string, StrategyDefinition>([
  ['momentum', momentum],
  // The name the runner's config uses for the default strategy.
  ['momentum-24h', { ...momentum, name: 'momentum-24h' }],
]);

/**
 * Makes a strategy available by name to `backtest`, `backtestSweep`, `walkForward` and the CLI. Sweeps run in
 * worker threads: register there too by passing the registering module as the sweep's `setup` module.
 *
 * @example
 * ```ts
 * registerStrategy(myStrategyDefinition);
 * await backtest({ data, strategy: { name: 'my-strategy', params: { period: 14 } } });
 * ```
 */
export function registerStrategy(definition: StrategyDefinition): void {
  registry.set(definition.name, definition);
}

/**
 * The registered strategies, by name.
 *
 * @example
 * ```ts
 * listStrategies().map((s) => s.name); // ['momentum', 'momentum-24h', …]
 * ```
 */
export function listStrategies(): readonly StrategyDefinition[] {
  return [...registry.values()];
}

/**
 * Looks a strategy up and checks its parameters: unknown names throw `UNKNOWN_STRATEGY` (listing the known ones),
 * unknown parameters `CONFIG_INVALID`, values outside a parameter's range `PARAMETER_OUT_OF_RANGE`. Returns the
 * definition and the full parameter set (defaults filled in).
 *
 * @example
 * ```ts
 * const { definition, params } = resolveStrategy('momentum', { lookbackHours: 12 });
 * params.longThreshold; // 0.01
 * ```
 */
export function resolveStrategy(
  name: string,
  given: Readonly<Record<string, number>> = {},
): { definition: StrategyDefinition; params: Readonly<Record<string, number>> } {
  const definition = registry.get(name);
  if (definition === undefined) {
    throw new QuantumTraderError(
      'UNKNOWN_STRATEGY',
      `unknown strategy "${name}"; known strategies: ${[...registry.keys()].join(', ')} (register your own with registerStrategy)`,
    );
  }
  const specs = definition.params;
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(specs, key)) {
      const known = Object.keys(specs);
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `strategy ${name} has no parameter "${key}"; its parameters are ${known.length > 0 ? known.join(', ') : '(none)'}`,
      );
    }
  }
  const params: Record<string, number> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = Object.hasOwn(given, key) ? given[key]! : spec.default;
    const problem = rangeProblem(value, spec);
    if (problem !== undefined) {
      throw new QuantumTraderError(
        'PARAMETER_OUT_OF_RANGE',
        `strategy ${name}: parameter ${key} (${spec.description}) must be ${problem}, got ${String(value)}`,
      );
    }
    params[key] = value;
  }
  return { definition, params };
}

function rangeProblem(value: unknown, spec: StrategyParamSpec): string | undefined {
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`${spec.exclusiveMin === true ? '>' : '>='} ${spec.min}`);
  if (spec.max !== undefined) parts.push(`${spec.exclusiveMax === true ? '<' : '<='} ${spec.max}`);
  const range = `a ${spec.integer === true ? 'whole number' : 'number'}${parts.length > 0 ? ` ${parts.join(' and ')}` : ''}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return range;
  if (spec.integer === true && !Number.isInteger(value)) return range;
  if (spec.min !== undefined && (spec.exclusiveMin === true ? value <= spec.min : value < spec.min)) return range;
  if (spec.max !== undefined && (spec.exclusiveMax === true ? value >= spec.max : value > spec.max)) return range;
  return undefined;
}
