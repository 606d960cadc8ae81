import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { isQuantumTraderError, type QuantumTraderErrorCode } from '../../src/errors/quantum-trader-error.js';

const CSV = fileURLToPath(
  new URL('../../../runner/data/binance/binance_BTCUSDT_5m_2020-12-01_2021-07-17.csv', import.meta.url),
);

/** Columns of real BTC/USDT 5 m candles. */
export interface Bars {
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
}

let cached: Bars | undefined;

/** The first `rows` candles of the repo's BTC/USDT 5 m data set (ts,open,high,low,close,volume). */
export function btcBars(rows = 5000): Bars {
  if (cached?.close.length === rows) return cached;
  const lines = readFileSync(CSV, 'utf8').split('\n');
  const high = new Float64Array(rows);
  const low = new Float64Array(rows);
  const close = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const cells = lines[i + 1]!.split(',');
    high[i] = Number(cells[2]);
    low[i] = Number(cells[3]);
    close[i] = Number(cells[4]);
  }
  cached = { high, low, close };
  return cached;
}

/** Plain array copy, for libraries that want `number[]`. */
export function toArray(xs: Float64Array): number[] {
  return Array.from(xs);
}

/**
 * Asserts `actual[i]` is within `tol · max(1, |expected[i]|)` (or just `tol` if `absolute`) of `expected[i]` for
 * `i ≥ from`, and NaN before.
 */
export function expectAgree(
  actual: Float64Array,
  expected: ArrayLike<number>,
  from: number,
  tol = 1e-9,
  absolute = false,
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (i < from) {
      if (!Number.isNaN(a)) expect.fail(`index ${i}: expected NaN during warm-up, got ${a}`);
      continue;
    }
    if (!(Math.abs(a - e) <= (absolute ? tol : tol * Math.max(1, Math.abs(e))))) {
      expect.fail(`index ${i}: got ${a}, reference ${e} (diff ${Math.abs(a - e)})`);
    }
  }
}

/**
 * Aligns a `technicalindicators` result (which omits warm-up) with our full-length output: the library's last
 * value belongs to the last input.
 */
export function alignTail(result: readonly number[], length: number): Float64Array {
  const out = new Float64Array(length).fill(Number.NaN);
  out.set(result, length - result.length);
  return out;
}

/** Asserts two outputs are identical bit for bit (NaN equals NaN). */
export function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`index ${i}: streamed ${actual[i]}, batch ${expected[i]}`);
  }
}

/** Feeds `values` one at a time through `update` and collects the outputs. */
export function stream(values: Float64Array, update: (x: number) => number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = update(values[i]!);
  return out;
}

/** A positive random walk (seeded, so failures reproduce) of `length` prices starting at `start`. */
export function randomWalk(length: number, start = 30_000, seed = 42): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(length);
  let p = start;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    p *= 1 + (s / 2 ** 32 - 0.5) * 0.004;
    out[i] = p;
  }
  return out;
}

/** Asserts `fn` throws a QuantumTraderError with the given code and a message matching `message`. */
export function expectQtError(fn: () => unknown, code: QuantumTraderErrorCode, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  if (!isQuantumTraderError(caught, code)) expect.fail(`expected QuantumTraderError ${code}, got ${String(caught)}`);
  expect(caught.message).toMatch(message);
}
