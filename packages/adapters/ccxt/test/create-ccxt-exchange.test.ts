import { describe, expect, it } from 'vitest';
import { createCcxtExchange } from '../src/exchange/create-ccxt-exchange.js';

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
