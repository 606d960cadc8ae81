import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientOrderIdOf, type FundingPayment, type IntentId } from '@quantum-trader/core';
import { CONTRACT_T0 } from '../../../core/test/contracts/broker-contract.js';
import { CcxtBroker } from '../src/broker/ccxt-broker.js';
import type { BinanceStandIn } from '../test-utils/binance-stand-in/binance-stand-in.js';
import { exchangeFor, FAST_RETRY, LINEAR, startStandIn, until } from '../test-utils/stand-in-harness.js';

// Funding on USDⓈ-M perpetuals moves the balance: the broker reads every payment back from the account's income
// history (real ccxt against the stand-in, whose SimulatedExchange settles the rates) and reports each once.

const M = 60_000;
const P = 30_000;
const bar = (i: number, open = P) => ({ ts: CONTRACT_T0 + i * M, open, high: open + 50, low: open - 50, close: open, volume: 1_000 });
// funding at the opens of candles 2 and 4 (the venue settles at the first candle opening at or after each time)
const RATES = [
  { ts: CONTRACT_T0 + 2 * M, rate: 0.001 },
  { ts: CONTRACT_T0 + 4 * M, rate: -0.002 },
];

describe('CcxtBroker.funding$', () => {
  let standIn: BinanceStandIn;
  const brokers: CcxtBroker[] = [];
  let settled: FundingPayment[];

  async function newBroker(): Promise<{ broker: CcxtBroker; payments: FundingPayment[] }> {
    const broker = new CcxtBroker({ exchange: await exchangeFor(standIn, 'linear'), symbols: [LINEAR], retry: FAST_RETRY, fundingPollIntervalMs: 20 });
    brokers.push(broker);
    const payments: FundingPayment[] = [];
    broker.funding$.subscribe((p) => payments.push(p));
    return { broker, payments };
  }

  async function openLong(broker: CcxtBroker, qty: number): Promise<void> {
    const coid = clientOrderIdOf('funding|long' as IntentId, 'entry');
    await broker.submit({ clientOrderId: coid, symbol: LINEAR, side: 'buy', type: 'market', qty, reduceOnly: false, leverage: 5 });
    standIn.pushCandle(LINEAR, '1m', bar(1));
    await until('the position', () => standIn.venue.simOf('futures')!.positions().length > 0);
  }

  beforeEach(async () => {
    standIn = await startStandIn({ fundingRates: { [LINEAR]: RATES } });
    settled = [];
    standIn.venue.simOf('futures')!.funding$.subscribe((p) => settled.push(p));
    standIn.pushCandle(LINEAR, '1m', bar(0));
  });
  afterEach(async () => {
    for (const b of brokers.splice(0)) await b.close();
    await standIn.close();
  });

  it('reports each payment once, with the rate, the mark price and the size the venue settled it at', async () => {
    const { broker, payments } = await newBroker();
    await broker.fundingSince(CONTRACT_T0); // the stand-in's market time is in 2021
    await openLong(broker, 0.01);
    standIn.pushCandle(LINEAR, '1m', bar(2, 31_000)); // settles +0.001 at 31 000: the long pays 0.31
    await until('the first payment', () => payments.length === 1);
    standIn.pushCandle(LINEAR, '1m', bar(3));
    standIn.pushCandle(LINEAR, '1m', bar(4, 29_000)); // settles −0.002 at 29 000: the long receives 0.58
    await until('the second payment', () => payments.length === 2);
    await new Promise((r) => setTimeout(r, 150)); // several more polls: nothing is reported twice

    expect(settled).toHaveLength(2);
    expect(payments).toHaveLength(2);
    expect(payments.map((p) => ({ ...p, amount: Number(p.amount.toFixed(8)) }))).toEqual([
      { symbol: LINEAR, ts: RATES[0]!.ts, rate: 0.001, markPrice: 31_000, positionQty: 0.01, amount: -0.31 },
      { symbol: LINEAR, ts: RATES[1]!.ts, rate: -0.002, markPrice: 29_000, positionQty: 0.01, amount: 0.58 },
    ]);
    for (let i = 0; i < 2; i++) expect(payments[i]!.amount).toBeCloseTo(settled[i]!.amount, 8);
  });

  it('a broker started later reports the payments from the time it is given, those settled before it started included', async () => {
    const first = await newBroker();
    await openLong(first.broker, 0.02);
    for (let i = 2; i <= 4; i++) standIn.pushCandle(LINEAR, '1m', bar(i));
    expect(settled).toHaveLength(2);

    const { broker, payments } = await newBroker();
    await broker.fundingSince(RATES[0]!.ts + 1); // what a kernel asks after journalling the first payment
    expect(payments.map((p) => [p.ts, p.rate, p.positionQty])).toEqual([[RATES[1]!.ts, -0.002, 0.02]]);
    expect(payments[0]!.amount).toBeCloseTo(settled[1]!.amount, 8);
  });

  it('loses no payment when reading its rate fails: the next poll reports it, once', async () => {
    const { broker, payments } = await newBroker();
    await broker.fundingSince(CONTRACT_T0);
    await openLong(broker, 0.01);
    // more failures than the retry policy allows: the first poll that sees the payment gives up on it
    standIn.inject({ method: 'GET', path: '/fapi/v1/fundingRate', fault: { kind: 'status', status: 503 }, times: FAST_RETRY.maxAttempts });
    standIn.pushCandle(LINEAR, '1m', bar(2));
    await until('the payment, after the venue recovers', () => payments.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(payments.map((p) => [p.ts, p.rate, p.markPrice, p.positionQty])).toEqual([[RATES[0]!.ts, 0.001, P, 0.01]]);
    expect(standIn.requests.filter((q) => q.path === '/fapi/v1/fundingRate' && q.status === 503)).toHaveLength(FAST_RETRY.maxAttempts);
  });

  it('reports nothing for payments the venue has not settled, and nothing on spot', async () => {
    const { broker, payments } = await newBroker();
    await broker.fundingSince(CONTRACT_T0);
    standIn.pushCandle(LINEAR, '1m', bar(2)); // a funding time with no position: nothing is paid
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toHaveLength(0);
    expect(payments).toHaveLength(0);

    const spot = new CcxtBroker({ exchange: await exchangeFor(standIn, 'spot'), retry: FAST_RETRY });
    brokers.push(spot);
    await expect(spot.fundingSince(CONTRACT_T0)).resolves.toBeUndefined();
  });
});
