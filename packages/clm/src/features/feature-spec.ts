import { QuantumTraderError, TIMEFRAME_MS, type Timeframe } from '@quantum-trader/core';

/**
 * The kinds of feature the pipeline computes from candles, named `<kind>_<window>`.
 *
 * @example
 * ```ts
 * WINDOWED_FEATURE_KINDS.includes('rsi'); // true
 * ```
 */
export const WINDOWED_FEATURE_KINDS = [
  'ret',
  'sret',
  'vol',
  'rsi',
  'atrpct',
  'volz',
  'distsma',
  'distema',
  'rangepos',
] as const;

/**
 * Features without a window: time of day and week (from the candle's open time) and the signal's direction.
 *
 * @example
 * ```ts
 * PLAIN_FEATURES.includes('direction'); // true
 * ```
 */
export const PLAIN_FEATURES = ['hour_sin', 'hour_cos', 'weekday_sin', 'weekday_cos', 'direction'] as const;

/**
 * A windowed feature kind.
 *
 * @example
 * ```ts
 * const kind: WindowedFeatureKind = 'atrpct';
 * ```
 */
export type WindowedFeatureKind = (typeof WINDOWED_FEATURE_KINDS)[number];
/**
 * A feature without a window.
 *
 * @example
 * ```ts
 * const f: PlainFeature = 'hour_sin';
 * ```
 */
export type PlainFeature = (typeof PLAIN_FEATURES)[number];

/**
 * One feature, parsed from its name (window in candles).
 *
 * @example
 * ```ts
 * const f: ParsedFeature = parseFeature('vol_24h', '5m'); // { name: 'vol_24h', kind: 'vol', window: 288 }
 * ```
 */
export type ParsedFeature =
  | { readonly name: string; readonly kind: WindowedFeatureKind; readonly window: number }
  | { readonly name: string; readonly kind: PlainFeature; readonly window: 0 };

/**
 * The features a model takes, in column order, and the candle timeframe their windows are counted in.
 *
 * @example
 * ```ts
 * const spec: FeatureSpec = { timeframe: '5m', names: ['ret_1h', 'rsi_14', 'direction'] };
 * ```
 */
export interface FeatureSpec {
  readonly timeframe: Timeframe;
  readonly names: readonly string[];
}

/**
 * The default feature list (20 columns): returns over 5 min, 1 h, 4 h and 24 h (the 24 h one is the momentum the
 * default strategy trades), the same returns signed by the signal's direction, realized volatility over 1 h and
 * 24 h, RSI(14), ATR(14) as a fraction of the close, the volume z-score over 24 h, the distance of the close from
 * its 4 h simple and 24 h exponential moving averages, where the close sits in its 24 h range, hour of day and
 * weekday (as sine/cosine pairs) and the signal's direction (+1 long, −1 short).
 *
 * @example
 * ```ts
 * const spec: FeatureSpec = { timeframe: '5m', names: DEFAULT_FEATURES };
 * ```
 */
export const DEFAULT_FEATURES: readonly string[] = Object.freeze([
  'ret_1',
  'ret_1h',
  'ret_4h',
  'ret_24h',
  'sret_1h',
  'sret_4h',
  'sret_24h',
  'vol_1h',
  'vol_24h',
  'rsi_14',
  'atrpct_14',
  'volz_24h',
  'distsma_4h',
  'distema_24h',
  'rangepos_24h',
  'hour_sin',
  'hour_cos',
  'weekday_sin',
  'weekday_cos',
  'direction',
]);

const WINDOWED = /^([a-z]+)_(\d+)(h?)$/;
const MIN_WINDOW: Readonly<Record<WindowedFeatureKind, number>> = {
  ret: 1,
  sret: 1,
  vol: 2,
  rsi: 2,
  atrpct: 2,
  volz: 2,
  distsma: 2,
  distema: 2,
  rangepos: 2,
};

/**
 * Parses one feature name. Windowed features are `<kind>_<n>` (n candles) or `<kind>_<n>h` (n hours, converted
 * with the timeframe): `ret_12`, `ret_1h`, `vol_24h`, `rsi_14` …
 *
 * @throws QuantumTraderError `CONFIG_INVALID` naming the feature and the names that are understood.
 * @example
 * ```ts
 * parseFeature('ret_1h', '5m'); // { name: 'ret_1h', kind: 'ret', window: 12 }
 * ```
 */
export function parseFeature(name: string, timeframe: Timeframe): ParsedFeature {
  if ((PLAIN_FEATURES as readonly string[]).includes(name)) return { name, kind: name as PlainFeature, window: 0 };
  const m = WINDOWED.exec(name);
  const kind = m?.[1] as WindowedFeatureKind | undefined;
  if (m === null || kind === undefined || !(WINDOWED_FEATURE_KINDS as readonly string[]).includes(kind)) {
    throw unknownFeature(name);
  }
  const n = Number(m[2]);
  const window = m[3] === 'h' ? (n * 3_600_000) / TIMEFRAME_MS[timeframe] : n;
  if (!Number.isInteger(window) || window < MIN_WINDOW[kind]) {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      `feature "${name}": a ${kind} window of ${m[2]}${m[3]} is ${window} ${timeframe} candles; ` +
        `expected a whole number of candles ≥ ${MIN_WINDOW[kind]}`,
    );
  }
  return { name, kind, window };
}

/**
 * Checks a spec: every name understood, no name twice.
 *
 * @throws QuantumTraderError `CONFIG_INVALID` naming the offending feature.
 * @example
 * ```ts
 * const parsed = validateFeatureSpec({ timeframe: '5m', names: DEFAULT_FEATURES });
 * ```
 */
export function validateFeatureSpec(spec: FeatureSpec): readonly ParsedFeature[] {
  if (!(spec.timeframe in TIMEFRAME_MS)) {
    throw new QuantumTraderError('CONFIG_INVALID', `feature timeframe "${String(spec.timeframe)}" is not one of ${Object.keys(TIMEFRAME_MS).join(', ')}`);
  }
  if (spec.names.length === 0) throw new QuantumTraderError('CONFIG_INVALID', 'a feature spec needs at least one feature');
  const seen = new Set<string>();
  return spec.names.map((name) => {
    if (seen.has(name)) throw new QuantumTraderError('CONFIG_INVALID', `feature "${name}" is listed twice`);
    seen.add(name);
    return parseFeature(name, spec.timeframe);
  });
}

/**
 * How many candles of a symbol the pipeline must see before every feature of `spec` is trusted: the window for
 * finite-window features (returns, volatility, volume z-score, SMA distance, range position); 20 × the period for
 * Wilder-smoothed ones (RSI, ATR) and 10 × for the EMA distance, after which where the stream started has faded
 * below float32 resolution (e^-20). Training rows and served signals both wait for it, so a scorer that starts
 * mid-stream sees the features the model was trained on.
 *
 * @example
 * ```ts
 * featureWarmup({ timeframe: '5m', names: ['ret_24h'] }); // 289
 * featureWarmup({ timeframe: '5m', names: ['rsi_14'] });  // 281
 * ```
 */
export function featureWarmup(spec: FeatureSpec): number {
  let need = 1;
  for (const f of validateFeatureSpec(spec)) {
    const w = f.window;
    const n = f.kind === 'rsi' || f.kind === 'atrpct' ? 20 * w + 1 : f.kind === 'distema' ? 10 * (w + 1) : w + 1;
    need = Math.max(need, n);
  }
  return need;
}

/**
 * True when two specs describe the same columns (same timeframe, same names in the same order).
 *
 * @example
 * ```ts
 * sameFeatureSpec(a, b) ? reuseMatrix() : recompute();
 * ```
 */
export function sameFeatureSpec(a: FeatureSpec, b: FeatureSpec): boolean {
  return a.timeframe === b.timeframe && a.names.length === b.names.length && a.names.every((n, i) => n === b.names[i]);
}

function unknownFeature(name: string): QuantumTraderError {
  return new QuantumTraderError(
    'CONFIG_INVALID',
    `"${name}" is not a feature the CLM pipeline can compute; expected one of ${PLAIN_FEATURES.join(', ')} ` +
      `or <kind>_<candles> / <kind>_<hours>h with kind one of ${WINDOWED_FEATURE_KINDS.join(', ')}`,
  );
}
