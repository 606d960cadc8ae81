import { ExchangeError, InsufficientFunds } from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { clientOrderIdOf, ExecutionEngine, MemoryJournal, type BrokerEvent, type IntentId, type KernelLogger, type SubmitOrder } from '@quantum-trader/core';
import { CONTRACT_T0, CONTRACT_VENUE } from '../../../core/test/contracts/broker-contract.js';
import { CcxtBroker, type CcxtBrokerOptions } from '../src/broker/ccxt-broker.js';
import { ExchangeCredentials } from '../src/credentials/exchange-credentials.js';
import { CcxtVenueError } from '../src/errors/ccxt-venue-error.js';
import { classifyVenueError } from '../src/errors/classify-venue-error.js';
import type { BinanceStandIn, BinanceStandInOptions } from '../test-utils/binance-stand-in/binance-stand-in.js';
import { exchangeFor, FAST_RETRY, LINEAR, SPOT, startStandIn, TEST_API_KEY, until } from '../test-utils/stand-in-harness.js';
import type { CcxtExchangeOptions } from '../src/exchange/create-ccxt-exchange.js';

const P = 30_000;
const bar = (i: number, price = P, volume = 1_000) => ({ ts: CONTRACT_T0 + i * 60_000, open: price, high: price + 50, low: price - 50, close: price, volume });
const coid = (name: string) => clientOrderIdOf(`faults|${name}` as IntentId, 'entry');
const buy = (name: string, o: Partial<SubmitOrder> = {}): SubmitOrder => ({
  clientOrderId: coid(name),
  symbol: LINEAR,
  side: 'buy',
  type: 'market',
  qty: 0.01,
  reduceOnly: false,
  leverage: 5,
  ...o,
});

interface Log {
  level: string;
  fields: object;
  message: string;
}

function recordingLogger(logs: Log[]): KernelLogger {
  const at = (level: string) => (fields: object, message: string) => logs.push({ level, fields, message });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('CcxtBroker against an unreliable venue', () => {
  let standIn: BinanceStandIn;
  let broker: CcxtBroker;
  let events: BrokerEvent[];
  let logs: Log[];

  async function setUp(
    o: { standIn?: Partial<BinanceStandInOptions>; exchange?: Partial<CcxtExchangeOptions>; broker?: Partial<CcxtBrokerOptions>; market?: 'spot' | 'linear' } = {},
  ): Promise<void> {
    standIn = await startStandIn(o.standIn);
    const market = o.market ?? 'linear';
    standIn.pushCandle(market === 'spot' ? SPOT : LINEAR, '1m', bar(0));
    logs = [];
    broker = new CcxtBroker({
      exchange: await exchangeFor(standIn, market, o.exchange),
      symbols: [market === 'spot' ? SPOT : LINEAR],
      retry: FAST_RETRY,
      reconnectDelayMs: 50,
      logger: recordingLogger(logs),
      ...o.broker,
    });
    events = [];
    broker.events$.subscribe((e) => events.push(e));
    await broker.start();
  }

  afterEach(async () => {
    await broker?.close();
    await standIn?.close();
  });

  const posts = (path = '/fapi/v1/order') => standIn.requests.filter((r) => r.method === 'POST' && r.path === path);
  const venueOrders = (id: string) => (standIn.venue.simOf('futures')!.getOrder(id as never, LINEAR) === undefined ? 0 : 1);

  it('waits out a 429 for as long as Retry-After says, and makes every other call wait too', async () => {
    await setUp();
    standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'status', status: 429, retryAfterSec: 1 } });
    const submitted = broker.submit(buy('rate-limited'));
    // once the broker has read the 429 (it logs the retry), every call waits
    await until('the back-off', () => logs.some((l) => l.message.includes('rate_limited')));
    const limitedAt = standIn.requests.find((r) => r.status === 429)!.at;
    const balances = broker.balances();
    const res = await submitted;
    await balances;
    expect(res.status).toBe('accepted');
    expect(posts()).toHaveLength(2);
    expect(posts()[1]!.at - limitedAt).toBeGreaterThanOrEqual(950);
    const account = standIn.requests.filter((r) => r.path === '/fapi/v3/account').at(-1)!;
    expect(account.at - limitedAt).toBeGreaterThanOrEqual(950);
  });

  it('backs off after a 418 ban', async () => {
    await setUp();
    standIn.inject({ method: 'GET', path: '/fapi/v3/account', fault: { kind: 'status', status: 418, retryAfterSec: 1 } });
    const t0 = Date.now();
    const balances = await broker.balances();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(balances.find((b) => b.currency === 'USDT')?.total).toBe(10_000);
    expect(logs.some((l) => l.message.includes('banned'))).toBe(true);
  });

  it('retries 5xx answers, with or without a Binance error body', async () => {
    await setUp();
    standIn.inject({ method: 'GET', path: '/fapi/v1/order', fault: { kind: 'status', status: 503, text: '<html>Service Unavailable</html>' } });
    standIn.inject({ method: 'GET', path: '/fapi/v1/order', fault: { kind: 'status', status: 500 } });
    const o = buy('five-hundred', { type: 'limit', price: P - 3_000 });
    await broker.submit(o);
    expect(await broker.getOrder(o.clientOrderId, LINEAR)).toMatchObject({ status: 'open' });
    expect(standIn.requests.filter((r) => r.path === '/fapi/v1/order' && r.method === 'GET').map((r) => r.status)).toEqual([503, 500, 200]);
  });

  it('accepts an order whose answer it cannot read (no client order id in it) and follows it by its own id', async () => {
    await setUp({ broker: { orderUpdates: 'poll', pollIntervalMs: 20 } });
    // the venue places the order but answers with a body that names neither the client order id nor the symbol
    standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'body', body: { orderId: 42, status: 'NEW' }, afterProcessing: true } });
    const o = buy('unreadable-answer');
    // through the execution engine, so the answer is journalled as the kernel journals it
    const journal = new MemoryJournal();
    const execution = new ExecutionEngine({ broker, record: (e) => void journal.append(e), instrument: () => CONTRACT_VENUE.linear });
    const res = await execution.submit(o, CONTRACT_T0);
    expect(res).toMatchObject({ status: 'accepted', order: { clientOrderId: o.clientOrderId, venueOrderId: '42', status: 'open', qty: 0.01 } });
    expect(journal.order(o.clientOrderId)).toMatchObject({ status: 'open', venueOrderId: '42' });
    expect(posts()).toHaveLength(1);
    expect(venueOrders(o.clientOrderId)).toBe(1);
    // the fill still arrives, once: the poll looks the order up by its client order id
    standIn.pushCandle(LINEAR, '1m', bar(1));
    await until('the fill', () => events.some((e) => e.type === 'OrderFilled' && e.clientOrderId === o.clientOrderId));
    await new Promise((r) => setTimeout(r, 100));
    expect(events.filter((e) => e.type === 'OrderFilled')).toMatchObject([{ clientOrderId: o.clientOrderId, qty: 0.01 }]);
    expect(await broker.getOrder(o.clientOrderId, LINEAR)).toMatchObject({ status: 'filled', filledQty: 0.01 });
  });

  it('adopts an order whose answer timed out after the venue had placed it (no second order)', async () => {
    await setUp({ exchange: { timeoutMs: 300 } });
    standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'timeout', afterProcessing: true } });
    const o = buy('lost-answer');
    const res = await broker.submit(o);
    expect(res.status).toBe('accepted');
    expect(posts()).toHaveLength(1);
    expect(venueOrders(o.clientOrderId)).toBe(1);
    standIn.pushCandle(LINEAR, '1m', bar(1));
    await until('the fill', () => events.some((e) => e.type === 'OrderFilled' && e.clientOrderId === o.clientOrderId));
    expect(events.filter((e) => e.type === 'OrderFilled')).toHaveLength(1);
  });

  it('sends again, with the same client order id, when a timed-out request never reached the venue', async () => {
    await setUp({ exchange: { timeoutMs: 300 } });
    standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'timeout' } });
    const o = buy('never-arrived');
    const res = await broker.submit(o);
    expect(res.status).toBe('accepted');
    expect(posts()).toHaveLength(2);
    expect(venueOrders(o.clientOrderId)).toBe(1);
  });

  it('adopts the order when the connection drops after the venue placed it', async () => {
    await setUp();
    standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'drop-connection', afterProcessing: true } });
    const o = buy('dropped');
    const res = await broker.submit(o);
    expect(res.status).toBe('accepted');
    expect(posts()).toHaveLength(1);
  });

  it('turns the duplicate answer of a retried submission into the existing order', async () => {
    await setUp({ exchange: { timeoutMs: 300 } });
    // the lost answer, then a look-up that fails too: the retry meets the venue's -4116
    standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'timeout', afterProcessing: true } });
    standIn.inject({ method: 'GET', path: '/fapi/v1/order', fault: { kind: 'status', status: 400, code: -2013, msg: 'Order does not exist.' } });
    standIn.inject({ method: 'GET', path: '/fapi/v1/algoOrder', fault: { kind: 'status', status: 400, code: -2013, msg: 'Order does not exist.' } });
    const o = buy('duplicate');
    const res = await broker.submit(o);
    expect(res.status).toBe('accepted');
    expect(posts().map((r) => r.status)).toEqual([0, 400]);
    expect(venueOrders(o.clientOrderId)).toBe(1);
  });

  it("classifies -2019 and -4116 by Binance's code although ccxt, at a non-Binance URL, calls them plain ExchangeErrors", async () => {
    await setUp();
    const exchange = await exchangeFor(standIn, 'linear');
    standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'error', code: -2019, msg: 'Margin is insufficient.' } });
    standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'error', code: -4116, msg: 'ClientOrderId is duplicated.' } });
    const raw = async () => {
      try {
        await exchange.createOrder(LINEAR, 'market', 'buy', 0.01, undefined, { clientOrderId: 'qt-raw' });
      } catch (err) {
        return err;
      }
      throw new Error('expected an error');
    };
    const margin = await raw();
    expect(margin).toBeInstanceOf(ExchangeError);
    expect(margin).not.toBeInstanceOf(InsufficientFunds);
    expect(classifyVenueError(margin)).toMatchObject({ kind: 'insufficient_funds', retryable: false, code: '-2019' });
    const dup = await raw();
    expect(dup!.constructor).toBe(ExchangeError);
    expect(classifyVenueError(dup)).toMatchObject({ kind: 'duplicate_order', retryable: false, code: '-4116' });
    await exchange.close();

    standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'error', code: -2019, msg: 'Margin is insufficient.' } });
    const before = posts().length;
    const res = await broker.submit(buy('margin'));
    expect(res).toMatchObject({ status: 'rejected', code: '-2019', reason: 'Margin is insufficient.' });
    expect(posts().length - before).toBe(1); // final: not retried
  });

  it('rejects spot orders with -2010 without retrying', async () => {
    await setUp({ market: 'spot' });
    standIn.inject({ method: 'POST', path: '/api/v3/order', fault: { kind: 'error', code: -2010, msg: 'Account has insufficient balance for requested action.' } });
    const res = await broker.submit({ ...buy('spot-2010'), symbol: SPOT, leverage: undefined } as SubmitOrder);
    expect(res).toMatchObject({ status: 'rejected', code: '-2010' });
    expect(posts('/api/v3/order')).toHaveLength(1);
  });

  it('resynchronises its clock after -1021 and carries on', async () => {
    await setUp({ standIn: { serverTimeOffsetMs: 60_000 } });
    const res = await broker.submit(buy('clock'));
    expect(res.status).toBe('accepted');
    expect(standIn.requests.some((r) => r.status === 400)).toBe(true);
    expect(standIn.requests.some((r) => r.path === '/fapi/v1/time')).toBe(true);
    expect(logs.some((l) => l.message.includes('clock resynchronised'))).toBe(true);
  });

  it('does not retry an authentication failure', async () => {
    await setUp({ exchange: { credentials: ExchangeCredentials.of(TEST_API_KEY, 'not-the-secret-at-all') } });
    const err = await broker.balances().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CcxtVenueError);
    expect(err).toMatchObject({ code: 'BROKER_FAILED', kind: 'auth', retryable: false, venueCode: '-1022' });
    expect(standIn.requests.filter((r) => r.path === '/fapi/v3/account')).toHaveLength(1);
  });

  for (const market of ['linear', 'spot'] as const) {
    it(`reconnects a dropped ${market} user-data stream and back-fills the fill it missed`, async () => {
      await setUp({ market, broker: { resyncIntervalMs: 60_000 } });
      const symbol = market === 'spot' ? SPOT : LINEAR;
      const o = { ...buy(`ws-drop-${market}`, { type: 'limit', price: P }), symbol, ...(market === 'spot' ? { leverage: undefined } : {}) } as SubmitOrder;
      expect((await broker.submit(o)).status).toBe('accepted');
      const kind = market === 'spot' ? 'ws-api' : 'user';
      expect(standIn.connections(kind)).toBe(1);
      standIn.dropWebSockets(kind);
      standIn.pushCandle(symbol, '1m', bar(1)); // fills while nobody listens
      await until('the back-filled fill', () => events.some((e) => e.type === 'OrderFilled' && e.clientOrderId === o.clientOrderId));
      await until('the reconnection', () => standIn.connections(kind) === 1);
      standIn.pushCandle(symbol, '1m', bar(2));
      await new Promise((r) => setTimeout(r, 100));
      expect(events.filter((e) => e.type === 'OrderFilled')).toHaveLength(1);
      expect(logs.some((l) => l.message.includes('reconnecting'))).toBe(true);
    });
  }

  it('sets margin mode once per symbol and leverage only when it changes', async () => {
    await setUp({ broker: { marginMode: 'isolated' } });
    const settings = () => standIn.requests.filter((r) => r.path === '/fapi/v1/marginType' || r.path === '/fapi/v1/leverage').map((r) => `${r.path.slice(9)} ${r.status}`);
    await broker.submit(buy('lev-a', { type: 'limit', price: P - 3_000, leverage: 5 }));
    await broker.submit(buy('lev-b', { type: 'limit', price: P - 3_000, leverage: 5 }));
    await broker.submit(buy('lev-c', { type: 'limit', price: P - 3_000, leverage: 3 }));
    expect(settings()).toEqual(['marginType 200', 'leverage 200', 'leverage 200']);
    // a restarted broker sets the margin mode again; "no need to change" is not an error
    const again = new CcxtBroker({ exchange: await exchangeFor(standIn, 'linear'), symbols: [LINEAR], retry: FAST_RETRY, marginMode: 'isolated' });
    expect((await again.submit(buy('lev-d', { type: 'limit', price: P - 3_000, leverage: 3 }))).status).toBe('accepted');
    await again.close();
    expect(settings().slice(3)).toEqual(['marginType 400', 'leverage 200']);
  });

  it("sends amounts and prices through the market's precision", async () => {
    await setUp();
    const res = await broker.submit(buy('precision', { type: 'limit', qty: 0.0123456, price: 27_000.06 }));
    expect(res.status === 'accepted' && res.order).toMatchObject({ qty: 0.012, price: 27_000.1 });
  });
});
