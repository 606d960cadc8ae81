import type { Balance, Instrument, SymbolId, VenuePosition } from '@quantum-trader/core';
import type { Balances, Position } from 'ccxt';

/**
 * The engine's balances of a ccxt balance structure: one per currency with anything in it.
 *
 * @example
 * ```ts
 * const balances = balancesOf(await exchange.fetchBalance());
 * ```
 */
export function balancesOf(bal: Balances): Balance[] {
  const totals = (bal.total ?? {}) as unknown as Record<string, number | undefined>;
  const free = (bal.free ?? {}) as unknown as Record<string, number | undefined>;
  const used = (bal.used ?? {}) as unknown as Record<string, number | undefined>;
  const out: Balance[] = [];
  for (const currency of Object.keys(totals)) {
    const total = totals[currency] ?? 0;
    const f = free[currency] ?? 0;
    const u = used[currency] ?? Math.max(0, total - f);
    if (total === 0 && f === 0 && u === 0) continue;
    out.push({ currency, total, free: f, used: u });
  }
  return out;
}

/**
 * The engine's open positions of ccxt positions (those with contracts), quantities in base units.
 *
 * @param leverageOf - the leverage last set for a symbol, when the venue's answer lacks it.
 * @example
 * ```ts
 * const open = positionsOf(await exchange.fetchPositions(), () => undefined);
 * ```
 */
export function positionsOf(list: readonly Position[], leverageOf: (symbol: SymbolId) => number | undefined): VenuePosition[] {
  const out: VenuePosition[] = [];
  for (const p of list) {
    const contracts = p.contracts ?? 0;
    if (!(Math.abs(contracts) > 0) || p.symbol === undefined) continue;
    const symbol = p.symbol as SymbolId;
    const liq = p.liquidationPrice;
    out.push({
      symbol,
      side: p.side === 'short' ? 'short' : 'long',
      qty: Math.abs(contracts) * (p.contractSize ?? 1),
      entryPrice: p.entryPrice ?? 0,
      leverage: p.leverage ?? leverageOf(symbol) ?? 1,
      unrealizedPnl: p.unrealizedPnl ?? 0,
      ...(liq !== undefined && liq !== null && liq > 0 ? { liquidationPrice: liq } : {}),
    });
  }
  return out;
}

/**
 * Spot holdings of the traded base assets as long positions (a spot venue does not know entry prices: they are 0).
 *
 * @example
 * ```ts
 * const longs = holdingsAsPositions([btcSpot], balancesOf(await exchange.fetchBalance()));
 * ```
 */
export function holdingsAsPositions(instruments: Iterable<Instrument>, balances: readonly Balance[]): VenuePosition[] {
  const out: VenuePosition[] = [];
  for (const inst of instruments) {
    const held = balances.find((b) => b.currency === inst.base)?.total ?? 0;
    if (held > 0 && held >= inst.minQty) out.push({ symbol: inst.symbol, side: 'long', qty: held, entryPrice: 0, leverage: 1, unrealizedPnl: 0 });
  }
  return out;
}
