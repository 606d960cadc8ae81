import type { Exchange } from 'ccxt';
import type { SymbolId } from '@quantum-trader/core';
import { CONTRACT_VENUE } from '../../../core/test/contracts/broker-contract.js';
import { ExchangeCredentials } from '../src/credentials/exchange-credentials.js';
import { createCcxtExchange, type CcxtExchangeOptions } from '../src/exchange/create-ccxt-exchange.js';
import { BinanceStandIn, type BinanceStandInOptions } from './binance-stand-in/binance-stand-in.js';

/** The API key the test stand-in accepts (long and unusual, so a leak is easy to search for). */
export const TEST_API_KEY = 'qtTestKey7f3a9c1e5b2d8f4a6c0e9b7d3f1a5c8e';
/** Its secret. */
export const TEST_SECRET = 'qtTestSecret2b8e4d6f0a9c7e1b3d5f8a2c4e6b9d0f';

export const SPOT: SymbolId = CONTRACT_VENUE.spot.symbol;
export const LINEAR: SymbolId = CONTRACT_VENUE.linear.symbol;

/** Starts a stand-in with the broker contract's venue (both accounts), overridable. */
export function startStandIn(overrides: Partial<BinanceStandInOptions> = {}): Promise<BinanceStandIn> {
  return BinanceStandIn.start({
    apiKey: TEST_API_KEY,
    secret: TEST_SECRET,
    startTime: CONTRACT_VENUE.startTime,
    slippageBps: CONTRACT_VENUE.slippageBps,
    maxVolumeParticipation: CONTRACT_VENUE.maxVolumeParticipation,
    spot: { instruments: [CONTRACT_VENUE.spot], balances: CONTRACT_VENUE.balances },
    futures: { instruments: [CONTRACT_VENUE.linear], balances: CONTRACT_VENUE.balances },
    ...overrides,
  });
}

/** A real ccxt (pro) exchange pointed at the stand-in: `binance` for spot, `binanceusdm` for linear. */
export function exchangeFor(standIn: BinanceStandIn, market: 'spot' | 'linear', overrides: Partial<CcxtExchangeOptions> = {}): Promise<Exchange> {
  return createCcxtExchange({
    exchangeId: market === 'spot' ? 'binance' : 'binanceusdm',
    mode: 'testnet',
    baseUrl: standIn.url,
    credentials: ExchangeCredentials.of(TEST_API_KEY, TEST_SECRET),
    timeoutMs: 2_000,
    rateLimit: 5,
    ...overrides,
  });
}

/** Retry settings that keep tests fast. */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200 } as const;

/** Polls until `ok()` holds. */
export async function until(what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
