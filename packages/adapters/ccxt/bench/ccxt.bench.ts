// Order round-trip latency through real ccxt to the local Binance stand-in (127.0.0.1): the time from
// `CcxtBroker.submit` to its `accepted` answer, and of `cancel`, as p50/p99. Prints one JSON object.
//   npx tsx packages/adapters/ccxt/bench/ccxt.bench.ts [--orders 300]
import { performance } from 'node:perf_hooks';
import { binanceInstrument, clientOrderIdOf, symbolId, type IntentId } from '@quantum-trader/core';
import { CcxtBroker } from '../src/broker/ccxt-broker.js';
import { ExchangeCredentials } from '../src/credentials/exchange-credentials.js';
import { createCcxtExchange } from '../src/exchange/create-ccxt-exchange.js';
import { BinanceStandIn } from '../test-utils/binance-stand-in/binance-stand-in.js';

const KEY = 'bench-api-key-0123456789abcdef';
const SECRET = 'bench-secret-fedcba9876543210';
const SYMBOL = symbolId('BTC/USDT:USDT');
const T0 = Date.UTC(2021, 0, 1);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function stats(name: string, samples: number[]): Record<string, number | string> {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    name,
    n: s.length,
    p50Ms: round(q(0.5)),
    p99Ms: round(q(0.99)),
    meanMs: round(s.reduce((a, b) => a + b, 0) / s.length),
    maxMs: round(s[s.length - 1]!),
  };
}

async function measure(standIn: BinanceStandIn, label: string, orders: number, rateLimit: boolean): Promise<Array<Record<string, number | string>>> {
  const exchange = await createCcxtExchange({
    exchangeId: 'binanceusdm',
    mode: 'testnet',
    baseUrl: standIn.url,
    credentials: ExchangeCredentials.of(KEY, SECRET),
    rateLimit,
  });
  const broker = new CcxtBroker({ exchange, symbols: [SYMBOL] });
  await broker.start();
  const submit: number[] = [];
  const cancel: number[] = [];
  const warmup = 20;
  for (let i = 0; i < orders + warmup; i++) {
    const coid = clientOrderIdOf(`bench|${label}|${i}` as IntentId, 'entry');
    // a limit buy far below the market rests, so every order takes the same path
    const t0 = performance.now();
    const res = await broker.submit({ clientOrderId: coid, symbol: SYMBOL, side: 'buy', type: 'limit', qty: 0.001, price: 20_000, reduceOnly: false, leverage: 2 });
    const t1 = performance.now();
    if (res.status !== 'accepted') throw new Error(`bench order rejected: ${res.code} ${res.reason}`);
    await broker.cancel(coid, SYMBOL);
    const t2 = performance.now();
    if (i >= warmup) {
      submit.push(t1 - t0);
      cancel.push(t2 - t1);
    }
  }
  await broker.close();
  return [stats(`submit → accepted (${label})`, submit), stats(`cancel (${label})`, cancel)];
}

async function main(): Promise<void> {
  const orders = arg('orders', 300);
  const standIn = await BinanceStandIn.start({
    apiKey: KEY,
    secret: SECRET,
    startTime: T0,
    futures: { instruments: [binanceInstrument(SYMBOL)], balances: { USDT: 1_000_000 } },
  });
  standIn.pushCandle(SYMBOL, '1m', { ts: T0, open: 30_000, high: 30_050, low: 29_950, close: 30_000, volume: 1_000 });
  try {
    const results = [
      ...(await measure(standIn, 'ccxt limiter off', orders, false)),
      ...(await measure(standIn, "ccxt limiter on, Binance's rate", Math.max(20, Math.floor(orders / 3)), true)),
    ];
    process.stdout.write(
      `${JSON.stringify(
        {
          bench: 'ccxt-order-round-trip',
          venue: 'local Binance stand-in on 127.0.0.1 (HMAC-checked REST, SimulatedExchange matching)',
          exchange: 'binanceusdm (ccxt pro)',
          node: process.version,
          results,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await standIn.close();
  }
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  })
  // ccxt leaves its listenKey keep-alive timer running after close(); the bench is done
  .finally(() => process.exit());
