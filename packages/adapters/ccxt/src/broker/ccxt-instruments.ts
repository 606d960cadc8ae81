import { QuantumTraderError, type Instrument, type KernelLogger, type SymbolId } from '@quantum-trader/core';
import type { Exchange, LeverageTier } from 'ccxt';
import type { VenueCaller } from '../retry/venue-caller.js';
import { instrumentOfMarket } from './ccxt-order-mapping.js';

/**
 * The instruments of an exchange's loaded markets: the wanted symbols (every active spot or linear-perpetual market
 * if none are named), with leverage limits from the venue's leverage tiers when the account can read them.
 *
 * @throws QuantumTraderError `UNKNOWN_SYMBOL` when a wanted symbol is not listed.
 * @example
 * ```ts
 * await exchange.loadMarkets();
 * const instruments = await loadInstruments(exchange, caller, { symbols: [symbolId('BTC/USDT:USDT')], linear: true, logger, redact });
 * ```
 */
export async function loadInstruments(
  exchange: Exchange,
  caller: VenueCaller,
  o: { readonly symbols: readonly SymbolId[] | undefined; readonly linear: boolean; readonly logger: KernelLogger; readonly redact: (t: string) => string },
): Promise<Map<SymbolId, Instrument>> {
  const ex = exchange;
  const wanted = o.symbols;
  if (wanted !== undefined) {
    const missing = wanted.filter((s) => ex.markets?.[s] === undefined);
    if (missing.length > 0) {
      throw new QuantumTraderError('UNKNOWN_SYMBOL', `${ex.id} does not list ${missing.join(', ')}; check the symbols (ccxt unified, e.g. BTC/USDT:USDT for a perpetual)`);
    }
  }
  const markets = Object.values(ex.markets ?? {}).filter(
    (m): m is NonNullable<typeof m> => m !== undefined && (wanted === undefined ? m.active !== false : wanted.includes(m.symbol as SymbolId)),
  );
  let tiers: Record<string, LeverageTier[] | undefined> = {};
  const has = (ex.has ?? {}) as Record<string, unknown>;
  if (o.linear && has.fetchLeverageTiers === true && typeof ex.apiKey === 'string' && ex.apiKey !== '') {
    try {
      tiers = (await caller.call('fetchLeverageTiers', () => ex.fetchLeverageTiers(wanted as string[] | undefined))) as unknown as Record<string, LeverageTier[]>;
    } catch (err) {
      o.logger.warn({ error: o.redact((err as Error).message) }, 'leverage tiers unavailable; using the market limits');
    }
  }
  const map = new Map<SymbolId, Instrument>();
  for (const m of markets) {
    const inst = instrumentOfMarket(m, ex.precisionMode, tiers[m.symbol]?.[0]);
    if (inst !== undefined) map.set(inst.symbol, inst);
  }
  return map;
}
