import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import type { SymbolId } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';

type Rules = Omit<Instrument, 'symbol' | 'base' | 'quote' | 'contractType'>;

const SPOT_FEES = { makerFee: 0.001, takerFee: 0.001, maxLeverage: 1 } as const;
const PERP_FEES = { makerFee: 0.0002, takerFee: 0.0004 } as const;

// Binance rules as of 2021 (spot: exchangeInfo filters; USDⓈ-M: filters and the first leverage/margin tier).
const RULES: Readonly<Record<string, Rules>> = {
  'BTC/USDT': { tickSize: 0.01, lotStep: 0.00001, minQty: 0.00001, minNotional: 10, ...SPOT_FEES },
  'ETH/USDT': { tickSize: 0.01, lotStep: 0.00001, minQty: 0.00001, minNotional: 10, ...SPOT_FEES },
  'BNB/USDT': { tickSize: 0.0001, lotStep: 0.001, minQty: 0.001, minNotional: 10, ...SPOT_FEES },
  'BTC/USDT:USDT': {
    tickSize: 0.1,
    lotStep: 0.001,
    minQty: 0.001,
    minNotional: 5,
    maxLeverage: 125,
    maintenanceMarginRate: 0.004,
    ...PERP_FEES,
  },
  'ETH/USDT:USDT': {
    tickSize: 0.01,
    lotStep: 0.001,
    minQty: 0.001,
    minNotional: 5,
    maxLeverage: 100,
    maintenanceMarginRate: 0.005,
    ...PERP_FEES,
  },
  'BNB/USDT:USDT': {
    tickSize: 0.01,
    lotStep: 0.01,
    minQty: 0.01,
    minNotional: 5,
    maxLeverage: 75,
    maintenanceMarginRate: 0.005,
    ...PERP_FEES,
  },
};

/**
 * The Binance market rules (2021) of BTC, ETH or BNB against USDT, spot (`BTC/USDT`) or USDⓈ-M linear perpetual
 * (`BTC/USDT:USDT`): tick size, lot step, minimum quantity and notional, maximum leverage and maintenance margin
 * rate of the first tier, and the base maker/taker fees (spot 0.1 %/0.1 %, futures 0.02 %/0.04 %).
 *
 * @throws QuantumTraderError `UNKNOWN_SYMBOL` for any other symbol.
 * @example
 * ```ts
 * const btcPerp = binanceInstrument(symbolId('BTC/USDT:USDT'));
 * btcPerp.tickSize; // 0.1
 * const exchange = new SimulatedExchange({ instruments: [btcPerp], balances: { USDT: 10_000 }, scheduler });
 * ```
 */
export function binanceInstrument(symbol: SymbolId): Instrument {
  const rules = Object.hasOwn(RULES, symbol) ? RULES[symbol] : undefined;
  if (rules === undefined) {
    throw new QuantumTraderError(
      'UNKNOWN_SYMBOL',
      `binanceInstrument: no built-in rules for "${symbol}"; known symbols: ${Object.keys(RULES).join(', ')}. Pass your own Instrument for other markets.`,
    );
  }
  const [pair, settle] = symbol.split(':');
  const [base, quote] = pair!.split('/');
  return {
    symbol,
    base: base!,
    quote: quote!,
    contractType: settle === undefined ? 'spot' : 'linear',
    ...rules,
  };
}
