import { QuantumTraderError } from '@quantum-trader/core';
import type { ADVERSE_LEVELS } from './adverse-levels.js';

/**
 * Format version of {@link ExitLearnerState}. A state written by a newer format is refused with a clear error
 * rather than misread.
 *
 * @example
 * ```ts
 * learner.toJSON().schema === LEARNER_STATE_SCHEMA; // true
 * ```
 */
export const LEARNER_STATE_SCHEMA = 1;

/**
 * The journal state key under which the Exit Brain persists its learner (`journal.getState(LEARNER_STATE_KEY)`).
 *
 * @example
 * ```ts
 * const raw = await journal.getState(LEARNER_STATE_KEY); // JSON of an ExitLearnerState, or undefined
 * ```
 */
export const LEARNER_STATE_KEY = 'exit-brain/learner';

/**
 * One closed position as the learner keeps it, every distance in units of the plan's base stop distance (so
 * positions of different regimes and leverages compare): `t` take-profit levels, `f` their shares of the position,
 * `m` MFE, `d` MAE, `p` MFE before the MAE first reached each of {@link ADVERSE_LEVELS}, `x` the return of the last
 * exit, `s` 1 when the initial stop (or its fallback) closed it, `g` how far beyond its stop level it was filled
 * (gap, slippage), `c` its fees, `n` its realized PnL net of fees; and times in minutes of market time since the open: `ta` when the MAE
 * first reached each adverse level (−1: never), `tf` when the MFE first reached each favourable level
 * (`FAVOURABLE_STEP` apart), `te` when the position was flat.
 *
 * @example
 * ```ts
 * const s: LearnerSample = {
 *   t: [0.975, 1.625, 2.6], f: [0.3, 0.3, 0.4], m: 1.2, d: 0.4, p: [1.2, 1.2, 1.2, 1.2, 1.2], x: 0.9, s: 0, g: 0, c: 0.04, n: 0.56,
 *   ta: [-1, -1, -1, -1, -1], tf: [5, 10, 10, 25], te: 240,
 * };
 * ```
 */
export interface LearnerSample {
  readonly t: readonly number[];
  readonly f: readonly number[];
  readonly m: number;
  readonly d: number;
  readonly p: readonly number[];
  readonly x: number;
  readonly s: 0 | 1;
  readonly g: number;
  readonly c: number;
  readonly n: number;
  readonly ta: readonly number[];
  readonly tf: readonly number[];
  readonly te: number;
}

/**
 * What the learner knows about one symbol and volatility regime.
 *
 * @example
 * ```ts
 * const k: LearnerKeyState = state.keys['ETH/USDT:USDT|low']!;
 * ```
 */
export interface LearnerKeyState {
  readonly takeProfitMultiplier: number;
  readonly stopLossMultiplier: number;
  /** Closed positions seen in total (the window below keeps the latest `windowSize`). */
  readonly observed: number;
  /** Event time of the last change of the multipliers, `null` before the first. */
  readonly lastChangeAt: number | null;
  readonly window: readonly LearnerSample[];
}

/**
 * One change of the learner's multipliers, kept in a short history for audits.
 *
 * @example
 * ```ts
 * state.history.at(-1); // { version: 7, ts: …, key: 'BTC/USDT:USDT|low', takeProfitMultiplier: 0.9, … }
 * ```
 */
export interface LearnerChange {
  readonly version: number;
  readonly ts: number;
  readonly key: string;
  readonly takeProfitMultiplier: number;
  readonly stopLossMultiplier: number;
  readonly samples: number;
}

/**
 * The persisted, versioned learner: `schema` is the format, `version` counts changes of any multiplier (a plan
 * records the version it used), `keys` are `<symbol>|<regime>`.
 *
 * @example
 * ```ts
 * await journal.setState(LEARNER_STATE_KEY, JSON.stringify(learner.toJSON()));
 * ```
 */
export interface ExitLearnerState {
  readonly schema: typeof LEARNER_STATE_SCHEMA;
  readonly version: number;
  readonly keys: Readonly<Record<string, LearnerKeyState>>;
  readonly history: readonly LearnerChange[];
}

function invalid(why: string): QuantumTraderError {
  return new QuantumTraderError(
    'DATA_INVALID',
    `exit-brain learner state (journal key '${LEARNER_STATE_KEY}') is not valid: ${why}. Delete the key to start learning afresh.`,
  );
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Parses and checks a persisted learner state (a JSON string or an already parsed value). Throws `DATA_INVALID`
 * saying what is wrong, including a state written by a newer format.
 *
 * @example
 * ```ts
 * const state = parseLearnerState(await journal.getState(LEARNER_STATE_KEY) ?? '{"schema":1,"version":0,"keys":{},"history":[]}');
 * ```
 */
export function parseLearnerState(raw: string | unknown): ExitLearnerState {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new QuantumTraderError('DATA_INVALID', `exit-brain learner state (journal key '${LEARNER_STATE_KEY}') is not JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  if (typeof value !== 'object' || value === null) throw invalid('expected an object');
  const s = value as Record<string, unknown>;
  if (s.schema !== LEARNER_STATE_SCHEMA) {
    throw invalid(`schema ${String(s.schema)} is not supported (this version reads schema ${LEARNER_STATE_SCHEMA})`);
  }
  if (!finite(s.version) || s.version < 0) throw invalid(`version must be a number >= 0, got ${String(s.version)}`);
  if (typeof s.keys !== 'object' || s.keys === null) throw invalid('keys must be an object');
  for (const [key, k] of Object.entries(s.keys as Record<string, unknown>)) {
    const ks = k as Record<string, unknown>;
    if (!finite(ks.takeProfitMultiplier) || !(ks.takeProfitMultiplier > 0)) throw invalid(`keys['${key}'].takeProfitMultiplier must be > 0`);
    if (!finite(ks.stopLossMultiplier) || !(ks.stopLossMultiplier > 0)) throw invalid(`keys['${key}'].stopLossMultiplier must be > 0`);
    if (!finite(ks.observed) || ks.observed < 0) throw invalid(`keys['${key}'].observed must be >= 0`);
    if (ks.lastChangeAt !== null && !finite(ks.lastChangeAt)) throw invalid(`keys['${key}'].lastChangeAt must be a time or null`);
    if (!Array.isArray(ks.window) || !ks.window.every(isSample)) {
      throw invalid(`keys['${key}'].window must be a list of samples { t, f, m, d, p, x, s, g, c, n, ta, tf, te }`);
    }
  }
  if (!Array.isArray(s.history)) throw invalid('history must be a list');
  return value as ExitLearnerState;
}

function isSample(w: unknown): w is LearnerSample {
  if (typeof w !== 'object' || w === null) return false;
  const s = w as Record<string, unknown>;
  const list = (v: unknown): boolean => Array.isArray(v) && v.every(finite);
  return list(s.t) && list(s.f) && list(s.p) && list(s.ta) && list(s.tf) && finite(s.te) && finite(s.m) && finite(s.d) && finite(s.x) && finite(s.g) && finite(s.c) && finite(s.n) && (s.s === 0 || s.s === 1);
}
