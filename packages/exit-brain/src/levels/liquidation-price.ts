import type { Instrument, PositionSide } from '@quantum-trader/core';
import { outOfRange } from '../plans/ladder-validation.js';

/**
 * Maintenance margin rate assumed when the instrument does not give one (Binance's first USDⓈ-M tier for BTC).
 *
 * @example
 * ```ts
 * const mmr = instrument.maintenanceMarginRate ?? DEFAULT_MAINTENANCE_MARGIN_RATE; // 0.004
 * ```
 */
export const DEFAULT_MAINTENANCE_MARGIN_RATE = 0.004;

/**
 * The price at which an isolated linear-perpetual position is liquidated, by the same formula as the simulated
 * exchange: `entry × (1 − 1/leverage + mmr)` for a long, `entry × (1 + 1/leverage − mmr)` for a short, with
 * `mmr = instrument.maintenanceMarginRate ?? 0.004`. Spot positions are never liquidated: `undefined`.
 *
 * Throws `PARAMETER_OUT_OF_RANGE` when the leverage is not ≥ 1, is above the instrument's maximum, or is so high
 * that the position would be liquidated at its own entry price (`1/leverage ≤ mmr`).
 *
 * @example
 * ```ts
 * liquidationPrice('long', 50_000, 10, btcPerp);  // 45_200  (50 000 × (1 − 0.1 + 0.004))
 * liquidationPrice('short', 50_000, 10, btcPerp); // 54_800
 * liquidationPrice('long', 50_000, 1, btcSpot);   // undefined
 * ```
 */
export function liquidationPrice(
  side: PositionSide,
  entryPrice: number,
  leverage: number,
  instrument: Instrument,
): number | undefined {
  const distance = liquidationDistance(leverage, instrument);
  if (distance === undefined) return undefined;
  return side === 'long' ? entryPrice * (1 - distance) : entryPrice * (1 + distance);
}

/**
 * Distance from the entry to the liquidation price as a fraction of the entry (`1/leverage − mmr`), or
 * `undefined` for spot. Same checks as {@link liquidationPrice}.
 *
 * @example
 * ```ts
 * liquidationDistance(10, btcPerp); // 0.096
 * ```
 */
export function liquidationDistance(leverage: number, instrument: Instrument): number | undefined {
  const where = 'liquidationPrice';
  if (!Number.isFinite(leverage) || leverage < 1) {
    throw outOfRange(where, 'leverage', leverage, 'a number >= 1');
  }
  if (instrument.contractType === 'spot') {
    if (leverage !== 1) throw outOfRange(where, 'leverage', leverage, `1 on the spot market ${instrument.symbol}`);
    return undefined;
  }
  if (leverage > instrument.maxLeverage) {
    throw outOfRange(where, 'leverage', leverage, `at most the maximum leverage ${instrument.maxLeverage} of ${instrument.symbol}`);
  }
  const mmr = instrument.maintenanceMarginRate ?? DEFAULT_MAINTENANCE_MARGIN_RATE;
  const distance = 1 / leverage - mmr;
  if (!(distance > 0)) {
    throw outOfRange(
      where,
      'leverage',
      leverage,
      `low enough that 1/leverage exceeds the maintenance margin rate ${mmr} of ${instrument.symbol} (the position would be liquidated at its entry)`,
    );
  }
  return distance;
}
