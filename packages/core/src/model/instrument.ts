import type { SymbolId } from './ids.js';

/** `spot` trades the asset itself; `linear` is a USDT-margined perpetual future (ccxt `swap`, linear). */
export type ContractType = 'spot' | 'linear';

/**
 * A tradable market and its rules. Every order price and quantity is rounded to these rules in one place
 * ({@link roundOrderToInstrument}) before it leaves the engine.
 *
 * @example
 * ```ts
 * const btc: Instrument = {
 *   symbol: symbolId('BTC/USDT:USDT'), base: 'BTC', quote: 'USDT', contractType: 'linear',
 *   tickSize: 0.1, lotStep: 0.001, minQty: 0.001, minNotional: 5, maxLeverage: 125,
 *   makerFee: 0.0002, takerFee: 0.0004,
 * };
 * ```
 */
export interface Instrument {
  readonly symbol: SymbolId;
  readonly base: string;
  readonly quote: string;
  readonly contractType: ContractType;
  /** Smallest price increment. */
  readonly tickSize: number;
  /** Smallest quantity increment (in base units). */
  readonly lotStep: number;
  /** Smallest order quantity (in base units). */
  readonly minQty: number;
  /** Smallest order value qty × price (in quote units). */
  readonly minNotional: number;
  /** 1 for spot. */
  readonly maxLeverage: number;
  /** Fee rate for resting (maker) fills, e.g. 0.0002 = 2 bps. */
  readonly makerFee: number;
  /** Fee rate for aggressive (taker) fills. */
  readonly takerFee: number;
  /** Maintenance margin rate used for the liquidation price of leveraged positions (default 0.004). */
  readonly maintenanceMarginRate?: number;
}

/** Steps seen so far and their decimals: an instrument has two (tick, lot), and rounding is on every order. */
const DECIMALS = new Map<number, number>();

/** Number of decimals implied by a step such as 0.001 → 3. */
export function decimalsOf(step: number): number {
  const known = DECIMALS.get(step);
  if (known !== undefined) return known;
  const d = decimalsOfText(step);
  if (DECIMALS.size < 1024) DECIMALS.set(step, d);
  return d;
}

function decimalsOfText(step: number): number {
  if (!(step > 0)) return 0;
  const s = step.toString();
  const e = s.indexOf('e-');
  if (e >= 0) return Number(s.slice(e + 2)) + (s.slice(0, e).split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

/**
 * Rounds `value` down to a multiple of `step` (used for quantities, so an order never exceeds what was sized),
 * then trims binary noise to the step's decimals.
 *
 * @example
 * ```ts
 * floorToStep(0.12345, 0.001); // 0.123
 * ```
 */
export function floorToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  return multipleOfStep(Math.floor(value / step + 1e-9), step, decimalsOf(step));
}

const POW10 = Array.from({ length: 23 }, (_, d) => 10 ** d);

/**
 * `Number((n × step).toFixed(d))` for an integer `n` and the step's decimals `d` — the value with the binary noise
 * of `n × step` trimmed — bit for bit, but without going through a decimal string when the step is a power of ten
 * (0.1, 0.001, …): then it is `n / 10^d`, which the correctly rounded division gives exactly. Rounding runs on
 * every order and every exit leg, and the string round trip was most of its cost.
 *
 * @example
 * ```ts
 * multipleOfStep(123, 0.001, 3); // 0.123
 * ```
 */
export function multipleOfStep(n: number, step: number, d: number): number {
  if (d < POW10.length && Number.isInteger(n) && Math.abs(n) < 2 ** 50) {
    const p = POW10[d]!;
    if (step === 1 / p) return n === 0 ? 0 : n / p; // toFixed never writes "-0"
  }
  return Number((n * step).toFixed(d));
}

/**
 * `Number(value.toFixed(digits))` bit for bit — `value` rounded half away from zero to `digits` decimals, as the
 * nearest double — without the decimal string whenever binary arithmetic decides it exactly: for `|value × 10^digits|`
 * below 2^40 whose fraction is not within 2^-12 of one half (the product is then within 2^-14 of the exact one, so
 * it rounds to the same integer `k`, and `k / 10^digits` is the double nearest to that decimal, as parsing it would
 * give). Anything else (a near-tie, a huge or non-finite value, more than 22 digits) goes through `toFixed`.
 * Exit levels, risk figures and learning records are trimmed this way many times per position; the string round
 * trip cost about 140 ns each (bench/README.md).
 *
 * @example
 * ```ts
 * roundToDecimals(0.1 + 0.2, 10); // 0.3
 * roundToDecimals(-0.00004, 4);   // -0, as Number((-0.00004).toFixed(4))
 * ```
 */
export function roundToDecimals(value: number, digits: number): number {
  if (digits >= 0 && digits < POW10.length && Number.isInteger(digits)) {
    const p = POW10[digits]!;
    const y = value * p;
    if (Math.abs(y) < 2 ** 40) {
      const k = Math.round(y);
      if (Math.abs(Math.abs(y - k) - 0.5) > 2 ** -12) {
        // toFixed writes "-" for a negative value only: -0 and a negative value rounding to 0 differ
        if (k === 0) return value < 0 ? -0 : 0;
        return k / p;
      }
    }
  }
  return Number(value.toFixed(digits));
}

/**
 * Rounds `value` to the nearest multiple of `step` (used for prices), trimming binary noise.
 *
 * @example
 * ```ts
 * roundToStep(101.234, 0.01); // 101.23
 * ```
 */
export function roundToStep(value: number, step: number): number {
  if (!(step > 0)) return value;
  return multipleOfStep(Math.round(value / step), step, decimalsOf(step));
}

/**
 * The single place where an order's price and quantity are rounded to an instrument's rules: quantity floored to
 * the lot step, prices rounded to the tick size.
 *
 * @example
 * ```ts
 * const o = roundOrderToInstrument({ qty: 0.12345, price: 101.234 }, btc); // { qty: 0.123, price: 101.2 }
 * ```
 */
export function roundOrderToInstrument<T extends { qty: number; price?: number; stopPrice?: number }>(
  order: T,
  instrument: Instrument,
): T {
  const out = { ...order, qty: floorToStep(order.qty, instrument.lotStep) };
  if (order.price !== undefined) out.price = roundToStep(order.price, instrument.tickSize);
  if (order.stopPrice !== undefined) out.stopPrice = roundToStep(order.stopPrice, instrument.tickSize);
  return out;
}
