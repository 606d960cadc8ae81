import { decimalsOf, multipleOfStep, roundToStep, type PositionSide } from '@quantum-trader/core';
import { outOfRange } from './ladder-validation.js';

// Internal (not re-exported): price and quantity rounding of ladder legs.

/** Tolerance, in steps, under which a value counts as sitting on a step. */
const ON_STEP = 1e-6;

function nextTickAbove(price: number, tick: number): number {
  return roundToStep((Math.floor(price / tick + ON_STEP) + 1) * tick, tick);
}

function nextTickBelow(price: number, tick: number): number {
  return roundToStep((Math.ceil(price / tick - ON_STEP) - 1) * tick, tick);
}

/**
 * Rounds a target price to the nearest tick, but never onto or past the entry on the wrong side: a price meant to
 * be above the entry is at least one tick above it, a price meant to be below at least one tick below.
 */
export function priceAwayFromEntry(
  where: string,
  entry: number,
  distance: number,
  direction: 'above' | 'below',
  tick: number,
): number {
  const raw = direction === 'above' ? entry * (1 + distance) : entry * (1 - distance);
  let price = roundToStep(raw, tick);
  if (direction === 'above' && price - entry < tick * ON_STEP) price = nextTickAbove(entry, tick);
  if (direction === 'below' && entry - price < tick * ON_STEP) price = nextTickBelow(entry, tick);
  if (!(price > 0)) {
    throw outOfRange(where, 'entryPrice', entry, `large enough for a price ${(distance * 100).toFixed(2)} % below it to stay above 0 at tickSize ${tick}`);
  }
  return price;
}

/** Which way from the entry a take profit lies. */
export function takeProfitDirection(side: PositionSide): 'above' | 'below' {
  return side === 'long' ? 'above' : 'below';
}

/** Which way from the entry a stop loss lies. */
export function stopLossDirection(side: PositionSide): 'above' | 'below' {
  return side === 'long' ? 'below' : 'above';
}

/**
 * A quantity as a whole number of lot steps. Fills are lot-step multiples, so anything further than a millionth of
 * a step from one is a bug upstream, not something to round away silently.
 */
export function lotUnits(where: string, field: string, qty: number, lotStep: number): number {
  const units = Math.round(qty / lotStep);
  if (Math.abs(units * lotStep - qty) > lotStep * ON_STEP) {
    throw outOfRange(where, field, qty, `a multiple of the instrument's lotStep ${lotStep}`);
  }
  return units;
}

/** A whole number of lot steps back to a quantity, without binary noise. */
export function qtyOfUnits(units: number, lotStep: number): number {
  return multipleOfStep(units, lotStep, decimalsOf(lotStep));
}
