import {
  AuthenticationError,
  DDoSProtection,
  ExchangeError,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidOrder,
  NetworkError,
  OperationFailed,
  RequestTimeout,
} from 'ccxt';
import { describe, expect, it } from 'vitest';
import { classifyVenueError, httpStatusOf, venueCodeOf } from '../src/errors/classify-venue-error.js';
import { createCcxtExchange } from '../src/exchange/create-ccxt-exchange.js';

const binance = (code: number, msg: string) => `binanceusdm {"code":${code},"msg":"${msg}"}`;

describe('classifyVenueError', () => {
  it.each([
    [new ExchangeError(binance(-2019, 'Margin is insufficient.')), 'insufficient_funds', false],
    [new ExchangeError(binance(-4116, 'ClientOrderId is duplicated.')), 'duplicate_order', false],
    [new ExchangeError(binance(-4164, "Order's notional must be no smaller than 5")), 'invalid_order', false],
    [new ExchangeError(binance(-2022, 'ReduceOnly Order is rejected.')), 'invalid_order', false],
    [new InvalidOrder('binance Duplicate order sent. {"code":-2010,"msg":"Duplicate order sent."}'), 'duplicate_order', false],
    [new InsufficientFunds(binance(-2010, 'Account has insufficient balance for requested action.')), 'insufficient_funds', false],
    [new ExchangeError(binance(-2013, 'Order does not exist.')), 'order_not_found', false],
    [new AuthenticationError(binance(-2015, 'Invalid API-key, IP, or permissions for action.')), 'auth', false],
    [new ExchangeError(binance(-4046, 'No need to change margin type.')), 'no_change', false],
    [new OperationFailed(binance(-1001, 'Internal error; unable to process your request. Please try again.')), 'unavailable', true],
    [new ExchangeError(binance(-1007, 'Timeout waiting for response from backend server.')), 'timeout', true],
    [new ExchangeError(binance(-1021, 'Timestamp for this request is outside of the recvWindow.')), 'timestamp', true],
    [new DDoSProtection(`binance 429 Too Many Requests ${JSON.stringify({ code: -1003, msg: 'Too many requests' })}`), 'rate_limited', true],
    [new DDoSProtection('binance 418 I\'m a teapot {"code":-1003,"msg":"Way too many requests; IP banned"}'), 'banned', true],
    [new ExchangeNotAvailable('binance GET http://127.0.0.1:1/api/v3/account?x=1 503 Service Unavailable <html></html>'), 'unavailable', true],
    [new RequestTimeout('binance POST http://127.0.0.1:1/fapi/v1/order request timed out (300 ms)'), 'timeout', true],
    [new NetworkError('binance GET http://127.0.0.1:1/api/v3/time fetch failed'), 'network', true],
  ])('%s → %s', (err, kind, retryable) => {
    expect(classifyVenueError(err)).toMatchObject({ kind, retryable });
  });

  it('goes by the code even when ccxt picked a contradicting class', () => {
    // a 400 without a known body is an ExchangeNotAvailable to ccxt, but -2019 is final
    expect(classifyVenueError(new ExchangeNotAvailable(binance(-2019, 'Margin is insufficient.'))).retryable).toBe(false);
  });

  it('reads codes and statuses out of messages', () => {
    expect(venueCodeOf(new Error(binance(-2019, 'x')))).toBe('-2019');
    expect(venueCodeOf(new Error('no code here'))).toBeUndefined();
    expect(httpStatusOf(new Error('binance 418 I am a teapot'))).toBe(418);
    expect(httpStatusOf(new Error('binance GET https://api.binance.com/api/v3/account 502 Bad Gateway'))).toBe(502);
  });
});
describe('createCcxtExchange', () => {
  it('refuses mainnet unless the decision to trade real funds is explicit', async () => {
    await expect(createCcxtExchange({ exchangeId: 'binanceusdm', mode: 'mainnet' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('allowMainnet'),
    });
    const ex = await createCcxtExchange({ exchangeId: 'binanceusdm', mode: 'mainnet', allowMainnet: true });
    expect((ex.urls.api as Record<string, string>).fapiPrivate).toBe('https://fapi.binance.com/fapi/v1');
  });

  it('switches to the testnet and demo environments', async () => {
    const testnet = await createCcxtExchange({ exchangeId: 'binance', mode: 'testnet' });
    expect((testnet.urls.api as Record<string, string>).private).toContain('testnet.binance.vision');
    const demo = await createCcxtExchange({ exchangeId: 'binanceusdm', mode: 'demo' });
    expect((demo.urls.api as Record<string, string>).fapiPrivate).toContain('demo-fapi.binance.com');
  });

  it('points every REST and WebSocket family at a base URL', async () => {
    const ex = await createCcxtExchange({ exchangeId: 'binanceusdm', mode: 'testnet', baseUrl: 'http://127.0.0.1:8080/' });
    const api = ex.urls.api as unknown as Record<string, string> & { ws: Record<string, string> & { 'ws-api': Record<string, string> } };
    expect(api.public).toBe('http://127.0.0.1:8080/api/v3');
    expect(api.fapiPrivateV3).toBe('http://127.0.0.1:8080/fapi/v3');
    expect(api.ws.spot).toBe('ws://127.0.0.1:8080/stream/ws');
    expect(api.ws.future).toBe('ws://127.0.0.1:8080/fstream/ws');
    expect(api.ws['ws-api'].spot).toBe('ws://127.0.0.1:8080/ws-api/ws-api/v3');
  });

  it('says so for an unknown exchange, a mode it lacks, or a bad URL', async () => {
    await expect(createCcxtExchange({ exchangeId: 'nope', mode: 'testnet' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(createCcxtExchange({ exchangeId: 'kraken', mode: 'demo' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(createCcxtExchange({ exchangeId: 'binance', mode: 'testnet', baseUrl: 'ftp://x' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
