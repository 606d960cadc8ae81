import type { SymbolId } from '@quantum-trader/core';
import { assertPositive } from './ladder-validation.js';

/**
 * The name of a dynamic exit profile for a symbol and leverage, e.g. `DYNAMIC_ETHUSDT_1.0x`: base and quote
 * of the ccxt symbol without the settlement currency, and the leverage with at least one decimal.
 *
 * @example
 * ```ts
 * profileName(symbolId('ETH/USDT'), 1);         // 'DYNAMIC_ETHUSDT_1.0x'
 * profileName(symbolId('BTC/USDT:USDT'), 10);   // 'DYNAMIC_BTCUSDT_10.0x'
 * profileName(symbolId('BNB/USDT:USDT'), 2.25); // 'DYNAMIC_BNBUSDT_2.25x'
 * ```
 */
export function profileName(symbol: SymbolId, leverage: number): string {
  const known = NAMES.get(symbol);
  if (known !== undefined && known.leverage === leverage) return known.name;
  assertPositive('profileName', 'leverage', leverage);
  const pair = symbol.split(':')[0] ?? symbol;
  const shown = Number.isInteger(leverage * 10) ? leverage.toFixed(1) : String(leverage);
  const name = `DYNAMIC_${pair.replace('/', '')}_${shown}x`;
  // the name is looked up for every new position: the last one per symbol is kept (a split, a replace and a
  // toFixed each time cost about as much as the rest of choosing the profile)
  if (NAMES.size < 1024 || known !== undefined) NAMES.set(symbol, { leverage, name });
  return name;
}

const NAMES = new Map<SymbolId, { readonly leverage: number; readonly name: string }>();
