import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientOrderIdOf,
  ExecutionEngine,
  isQuantumTraderError,
  MemoryJournal,
  type BrokerEvent,
  type IntentId,
  type KernelLogger,
} from '@quantum-trader/core';
import { CONTRACT_T0, CONTRACT_VENUE } from '../../../core/test/contracts/broker-contract.js';
import { CcxtBroker } from '../src/broker/ccxt-broker.js';
import { ExchangeCredentials, loadCredentials } from '../src/credentials/exchange-credentials.js';
import { CcxtMarketData } from '../src/market-data/ccxt-market-data.js';
import { exchangeFor, FAST_RETRY, LINEAR, startStandIn, TEST_API_KEY, TEST_SECRET } from '../test-utils/stand-in-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'qt-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretsFile(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

function leaks(text: string): boolean {
  return text.includes(TEST_API_KEY) || text.includes(TEST_SECRET);
}

describe('loadCredentials', () => {
  it('reads the key and secret from environment variables', () => {
    const creds = loadCredentials({ env: { QUANTUM_TRADER_API_KEY: TEST_API_KEY, QUANTUM_TRADER_API_SECRET: TEST_SECRET } });
    expect(creds?.reveal()).toEqual({ apiKey: TEST_API_KEY, secret: TEST_SECRET });
  });

  it('returns nothing when no credentials are configured (public data needs none)', () => {
    expect(loadCredentials({ env: {} })).toBeUndefined();
  });

  it('names the missing variable, never a value', () => {
    const err = (() => {
      try {
        loadCredentials({ env: { QUANTUM_TRADER_API_KEY: TEST_API_KEY } });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    })();
    expect(isQuantumTraderError(err, 'CONFIG_INVALID')).toBe(true);
    expect(err.message).toContain('QUANTUM_TRADER_API_SECRET');
    expect(leaks(err.message)).toBe(false);
  });

  it('reads a JSON or KEY=VALUE secrets file that only its owner can read', () => {
    const json = secretsFile('binance.json', JSON.stringify({ apiKey: TEST_API_KEY, secret: TEST_SECRET }), 0o600);
    expect(loadCredentials({ file: json })?.reveal().secret).toBe(TEST_SECRET);
    const env = secretsFile('binance.env', `# testnet keys\nAPI_KEY=${TEST_API_KEY}\nAPI_SECRET="${TEST_SECRET}"\n`, 0o400);
    expect(loadCredentials({ env: { QUANTUM_TRADER_SECRETS_FILE: env } })?.reveal()).toEqual({ apiKey: TEST_API_KEY, secret: TEST_SECRET });
  });

  it.skipIf(process.platform === 'win32')('refuses a secrets file other users can read, without printing it', () => {
    const loose = secretsFile('loose.json', JSON.stringify({ apiKey: TEST_API_KEY, secret: TEST_SECRET }), 0o644);
    expect(() => loadCredentials({ file: loose })).toThrow(/mode 0644.*chmod 600/);
    const broken = secretsFile('broken.json', `{ "apiKey": "${TEST_API_KEY}", "secret": ${TEST_SECRET} }`, 0o600);
    try {
      loadCredentials({ file: broken });
      throw new Error('expected an error');
    } catch (err) {
      expect(leaks(String((err as Error).message))).toBe(false);
    }
  });

  it('prints *** for credentials however they are printed', () => {
    const creds = ExchangeCredentials.of(TEST_API_KEY, TEST_SECRET);
    for (const text of [String(creds), JSON.stringify({ creds }), inspect(creds, { depth: 5, showHidden: true }), `${creds}`]) {
      expect(leaks(text)).toBe(false);
    }
    expect(creds.redact(`key=${TEST_API_KEY}`)).toBe('key=***');
  });
});

describe('no secret ever reaches logs, errors, events or the journal', () => {
  const logged: string[] = [];
  const thrown: unknown[] = [];
  const events: BrokerEvent[] = [];
  const journal = new MemoryJournal();
  let inspected = '';

  beforeAll(async () => {
    // a careless proxy that echoes the API key in every error message
    const standIn = await startStandIn({ leakApiKeyInErrors: true });
    standIn.pushCandle(LINEAR, '1m', { ts: CONTRACT_T0, open: 30_000, high: 30_050, low: 29_950, close: 30_000, volume: 1_000 });
    const logger: KernelLogger = {
      debug: (f, m) => logged.push(`${m} ${JSON.stringify(f)}`),
      info: (f, m) => logged.push(`${m} ${JSON.stringify(f)}`),
      warn: (f, m) => logged.push(`${m} ${JSON.stringify(f)}`),
      error: (f, m) => logged.push(`${m} ${JSON.stringify(f)}`),
    };
    const broker = new CcxtBroker({ exchange: await exchangeFor(standIn, 'linear'), symbols: [LINEAR], retry: FAST_RETRY, logger });
    broker.events$.subscribe((e) => {
      events.push(e);
      journal.append([e]);
    });
    const coid = (leg: string) => clientOrderIdOf('secrets|x' as IntentId, leg);
    const engine = new ExecutionEngine({ broker, record: (e) => void journal.append(e), instrument: () => CONTRACT_VENUE.linear });
    // a retried rate limit, a rejection echoing the key, a fill, an authentication failure
    standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'status', status: 429, retryAfterSec: 0, msg: `slow down ${TEST_API_KEY}` } });
    const ok = await engine.submit({ clientOrderId: coid('a'), symbol: LINEAR, side: 'buy', type: 'market', qty: 0.01, reduceOnly: false, leverage: 2 }, CONTRACT_T0);
    const rejected = await engine.submit({ clientOrderId: coid('b'), symbol: LINEAR, side: 'buy', type: 'market', qty: 5, reduceOnly: false, leverage: 2 }, CONTRACT_T0);
    expect(rejected.status).toBe('rejected');
    standIn.pushCandle(LINEAR, '1m', { ts: CONTRACT_T0 + 60_000, open: 30_000, high: 30_050, low: 29_950, close: 30_000, volume: 1_000 });
    await new Promise((r) => setTimeout(r, 200));
    const wrong = new CcxtBroker({
      exchange: await exchangeFor(standIn, 'linear', { credentials: ExchangeCredentials.of(TEST_API_KEY, `${TEST_SECRET}-wrong`) }),
      symbols: [LINEAR],
      retry: FAST_RETRY,
      logger,
    });
    await wrong.balances().catch((e: unknown) => thrown.push(e));
    await wrong.reconcile({ orders: [], positions: [], ts: 0 }).catch((e: unknown) => thrown.push(e));
    const market = new CcxtMarketData({ exchange: await exchangeFor(standIn, 'linear'), symbols: [LINEAR], timeframe: '1m', logger });
    inspected = [inspect(broker, { depth: 10, showHidden: true }), JSON.stringify(broker), inspect(market, { depth: 10 }), String(ok.status)].join('\n');
    await market.close();
    await wrong.close();
    await broker.close();
    await standIn.close();
  });

  it('the venue really echoed the key (the test would catch a leak)', () => {
    expect(logged.join('\n')).toContain('***');
    expect(thrown.length).toBe(2);
  });

  it('in log lines', () => {
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(leaks(line), line).toBe(false);
  });

  it('in errors, their causes and stacks', () => {
    for (const err of thrown) {
      const e = err as Error & { cause?: Error };
      const text = [e.message, e.stack, inspect(e, { depth: 10, showHidden: true }), e.cause?.message, e.cause?.stack, JSON.stringify(e)].join('\n');
      expect(leaks(text), text).toBe(false);
    }
  });

  it('in broker events and the journal', () => {
    expect(events.some((e) => e.type === 'OrderFilled')).toBe(true);
    expect(leaks(JSON.stringify(events))).toBe(false);
    const stored = JSON.stringify([journal.events(), journal.orders(), journal.fills()]);
    expect(stored).toContain('OrderRejected');
    expect(stored).toContain('***');
    expect(leaks(stored)).toBe(false);
  });

  it('in the printed broker and market data', () => {
    expect(leaks(inspected)).toBe(false);
  });
});
