import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candle, ClientOrderId } from '@quantum-trader/core';
import { Redis } from 'ioredis';
import { PostgresJournal, SqliteJournal } from '@quantum-trader/sql';
import type { BinanceStandIn } from '../../../adapters/ccxt/test-utils/binance-stand-in/binance-stand-in.js';
import { LINEAR, startStandIn, TEST_API_KEY, TEST_SECRET } from '../../../adapters/ccxt/test-utils/stand-in-harness.js';
import { describeWithRedis } from '../../../adapters/redis/test/support/redis-test-server.js';
import { describePostgres, dropSchema, postgresUrl } from '../../../adapters/sql/test/support/postgres-server.js';
import { main, type CliDeps } from '../../src/cli/main.js';
import { LIVE_SESSION_KEY, MAINNET_CONFIRMED_KEY } from '../../src/live/index.js';

const MIN5 = 300_000;

function history(end: number): Candle[] {
  const out: Candle[] = [];
  for (let i = 300; i > 0; i--) {
    const p = 30_000 + 200 * Math.sin(i / 20);
    out.push({ ts: end - i * MIN5, open: p, high: p + 10, low: p - 10, close: p + 2, volume: 5 });
  }
  return out;
}

function capture(env: NodeJS.ProcessEnv): { deps: CliDeps; out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    deps: {
      runPaper: () => Promise.reject(new Error('not used')),
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env,
    },
    out: () => stdout,
    err: () => stderr,
  };
}

const KEYS_ENV = { QT_API_KEY: TEST_API_KEY, QT_API_SECRET: TEST_SECRET };

describe('quantum-trader run --live (against the Binance stand-in)', () => {
  let standIn: BinanceStandIn;
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    const now = Math.floor(Date.now() / MIN5) * MIN5;
    standIn = await startStandIn({ startTime: now });
    standIn.seedCandles(LINEAR, '5m', history(now));
    dir = mkdtempSync(join(tmpdir(), 'qt-live-'));
    configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ symbols: ['BTC/USDT'], timeframe: '5m', logDir: join(dir, 'logs') }));
  });
  afterAll(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const liveArgs = (db: string, ...extra: string[]) => [
    'run', '--live', '--config', configFile, '--exchange', 'binanceusdm', '--exchange-url', standIn.url,
    '--db', join(dir, db), '--order-updates', 'poll', ...extra,
  ];

  it('starts, reconciles with the venue, journals the session and stops cleanly; the secret never appears', async () => {
    const io = capture({ ...KEYS_ENV });
    const running = main([...liveArgs('testnet.sqlite'), '--mode', 'testnet', '--max-runtime', '2', '--http', '0'], io.deps);
    // while it runs: the status API answers on 127.0.0.1
    const deadline = Date.now() + 15_000;
    let url: string | undefined;
    while (url === undefined && Date.now() < deadline) {
      url = /HTTP API on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.err())?.[1];
      if (url === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(url).toBeDefined();
    const status = (await (await fetch(`${url!}/status`)).json()) as { running?: boolean };
    expect(status).toMatchObject({ running: true });
    const code = await running;
    expect(io.err()).not.toMatch(/^error/m);
    expect(code).toBe(0);
    expect(io.err()).toContain('Reconciliation: ok, 0 difference(s) journalled');
    expect(io.err()).toContain('Trading BTC/USDT:USDT on 5m candles');
    expect(io.out()).toContain('Stopped cleanly (max-runtime)');
    // reconciliation asked the venue for positions and balances
    expect(standIn.requests.some((r) => r.path.includes('positionRisk'))).toBe(true);
    expect(standIn.requests.some((r) => r.path.includes('balance') || r.path.includes('account'))).toBe(true);

    const journal = await SqliteJournal.open(join(dir, 'testnet.sqlite'));
    const session = JSON.parse(journal.getState(LIVE_SESSION_KEY) ?? '{}') as { mode?: string; symbols?: string[] };
    journal.close();
    expect(session).toMatchObject({ mode: 'testnet', symbols: ['BTC/USDT:USDT'] });

    const logFile = /Log file: (.+)/.exec(io.out())?.[1]?.trim();
    expect(logFile).toBeDefined();
    const log = readFileSync(logFile!, 'utf8');
    expect(log).toContain('live session started');
    for (const text of [io.out(), io.err(), log]) {
      expect(text).not.toContain(TEST_SECRET);
      expect(text).not.toContain(TEST_API_KEY);
    }
  });

  it('reads the keys from a 0600 --keys-file and refuses a file others can read', async () => {
    const keys = join(dir, 'keys.json');
    writeFileSync(keys, JSON.stringify({ apiKey: TEST_API_KEY, secret: TEST_SECRET }));
    chmodSync(keys, 0o644);
    const loose = capture({});
    expect(await main([...liveArgs('keys.sqlite'), '--keys-file', keys, '--max-runtime', '1'], loose.deps)).toBe(2);
    expect(loose.err()).toMatch(/readable by other users.*chmod 600/);

    chmodSync(keys, 0o600);
    const io = capture({});
    expect(await main([...liveArgs('keys.sqlite'), '--keys-file', keys, '--max-runtime', '0.5'], io.deps)).toBe(0);
    for (const text of [io.out(), io.err()]) expect(text).not.toContain(TEST_SECRET);
  });

  it('mainnet without confirmation exits 2 with a clear message; confirmed once, it is remembered', async () => {
    const io = capture({ ...KEYS_ENV });
    expect(await main([...liveArgs('mainnet.sqlite'), '--mode', 'mainnet', '--max-runtime', '0.5'], io.deps)).toBe(2);
    expect(io.err()).toMatch(/mainnet trades real funds and has not been confirmed.*--confirm-mainnet/);
    expect(io.out()).toBe('');

    const confirm = capture({ ...KEYS_ENV });
    expect(await main([...liveArgs('mainnet.sqlite'), '--mode', 'mainnet', '--confirm-mainnet', '--max-runtime', '0.5'], confirm.deps)).toBe(0);
    expect(confirm.err()).toContain('MAINNET: trading real funds');
    const journal = await SqliteJournal.open(join(dir, 'mainnet.sqlite'));
    expect(journal.getState(MAINNET_CONFIRMED_KEY)).toMatch(/^\d{4}-\d\d-\d\dT/);
    journal.close();

    const again = capture({ ...KEYS_ENV });
    expect(await main([...liveArgs('mainnet.sqlite'), '--mode', 'mainnet', '--max-runtime', '0.5'], again.deps)).toBe(0);
  });

  // The shared deployment: the journal in PostgreSQL (in its own schema) and the intent queue on Redis Streams.
  describePostgres('on PostgreSQL', () => {
    describeWithRedis('with the intent queue on Redis', () => {
      it('journals to its own PostgreSQL schema and consumes intents from Redis; a bad schema name is refused first', async () => {
        const schema = `qt_live_test_${process.pid}_${Date.now().toString(36)}`;
        const redisUrl = 'redis://127.0.0.1:6379/11'; // a database of its own, emptied afterwards
        const redis = new Redis(redisUrl);
        try {
          const bad = capture({ ...KEYS_ENV });
          expect(await main([...liveArgs('x'), '--db', `${postgresUrl}?schema=no-dashes`, '--max-runtime', '0.5'], bad.deps)).toBe(2);
          expect(bad.err()).toMatch(/--db: expected a plain identifier after \?schema=.*not "no-dashes"/);

          const io = capture({ ...KEYS_ENV });
          const args = ['run', '--live', '--config', configFile, '--exchange-url', standIn.url, '--order-updates', 'poll'];
          expect(await main([...args, '--db', `${postgresUrl}?schema=${schema}`, '--redis', redisUrl, '--max-runtime', '2'], io.deps)).toBe(0);
          expect(io.err()).toContain('Reconciliation: ok');
          expect(io.out()).toContain(`Journal:  postgres (schema ${schema})`);

          const journal = await PostgresJournal.open(postgresUrl, { schema });
          const session = JSON.parse((await journal.getState(LIVE_SESSION_KEY)) ?? '{}') as { mode?: string };
          await journal.close();
          expect(session).toMatchObject({ mode: 'testnet' });
          // the execution role's consumer group was created on the intent stream
          const groups = (await redis.xinfo('GROUPS', '{qt:intents}:stream')) as unknown[][];
          expect(groups.map((g) => g[1])).toContain('execution');
        } finally {
          await redis.flushdb();
          redis.disconnect();
          await dropSchema(schema);
        }
      });
    });
  });

  it('takes the venue settings from the config file\'s live section; a flag given wins over the file', async () => {
    const liveConfig = join(dir, 'live-config.json');
    writeFileSync(
      liveConfig,
      JSON.stringify({
        symbols: ['BTC/USDT'],
        timeframe: '5m',
        logDir: join(dir, 'logs'),
        live: { exchange: 'binanceusdm', mode: 'testnet', exchangeUrl: standIn.url, orderUpdates: 'poll', db: 'from-config.sqlite' },
      }),
    );
    const io = capture({ ...KEYS_ENV });
    expect(await main(['run', '--live', '--config', liveConfig, '--max-runtime', '0.5'], io.deps)).toBe(0);
    expect(io.out()).toContain(`Journal:  ${join(dir, 'from-config.sqlite')}`); // relative to the config file

    const flagged = capture({ ...KEYS_ENV });
    expect(await main(['run', '--live', '--config', liveConfig, '--db', join(dir, 'from-flag.sqlite'), '--max-runtime', '0.5'], flagged.deps)).toBe(0);
    expect(flagged.out()).toContain(`Journal:  ${join(dir, 'from-flag.sqlite')}`);
  });

  it('live without keys exits 2 and names the variables', async () => {
    const io = capture({});
    expect(await main([...liveArgs('nokeys.sqlite'), '--max-runtime', '0.5'], io.deps)).toBe(2);
    expect(io.err()).toMatch(/QT_API_KEY and QT_API_SECRET/);
  });

  it('refuses to trade when the venue holds a position the journal does not know (differences journalled, exit 1)', async () => {
    const now = Math.floor(Date.now() / MIN5) * MIN5;
    const venue = await startStandIn({ startTime: now });
    try {
      venue.seedCandles(LINEAR, '5m', history(now));
      const sim = venue.venue.simOf('futures')!;
      sim.submit({ clientOrderId: 'by-hand-1' as ClientOrderId, symbol: LINEAR, side: 'buy', type: 'market', qty: 0.01, reduceOnly: false });
      venue.pushCandle(LINEAR, '5m', { ts: now, open: 30_000, high: 30_010, low: 29_990, close: 30_000, volume: 50 });
      expect(sim.positions()).toHaveLength(1);

      const io = capture({ ...KEYS_ENV });
      const args = ['run', '--live', '--config', configFile, '--exchange-url', venue.url, '--db', join(dir, 'mismatch.sqlite'), '--order-updates', 'poll', '--max-runtime', '5'];
      expect(await main(args, io.deps)).toBe(1);
      expect(io.err()).toMatch(/Reconciliation: FAILED/);
      expect(io.err()).toMatch(/not trading until a person resolves it[\s\S]*position BTC\/USDT:USDT/);
      const journal = await SqliteJournal.open(join(dir, 'mismatch.sqlite'));
      const events = journal.events().filter((e) => e.event.type === 'ReconciliationPerformed');
      journal.close();
      expect(events.length).toBeGreaterThan(0);
    } finally {
      await venue.close();
    }
  });
});
