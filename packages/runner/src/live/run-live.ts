import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { asyncScheduler } from 'rxjs';
import {
  MemoryIntentQueue,
  QuantumTraderError,
  TradingKernel,
  momentumStrategy,
  symbolId,
  type IntentQueue,
  type Journal,
  type KernelLogger,
  type KernelStatus,
  type ServiceName,
  type SymbolId,
  standardRiskEngine,
} from '@quantum-trader/core';
import { ExitBrain } from '@quantum-trader/exit-brain';
import { PostgresJournal, SqliteJournal } from '@quantum-trader/sql';
import { CcxtBroker, CcxtMarketData, createCcxtExchange, loadCredentials, type ReconciliationReport } from '@quantum-trader/ccxt';
import type { Logger } from 'pino';
import type { RunnerConfig } from '../config/index.js';
import { startStatusServer, type StatusServer } from '../http/status-server.js';
import { isPostgresUrl, postgresTarget, type LiveFlags } from './live-flags.js';
import { ensureMainnetConfirmed } from './mainnet-confirmation.js';

/** Journal state key of the last live session's start (exchange, mode, symbols, ISO time). */
export const LIVE_SESSION_KEY = 'live-session';

/** Options of {@link runLive}. */
export interface RunLiveOptions {
  /** Strategy, risk, exits, symbols and timeframe (the runner config, as for paper trading). */
  readonly config: RunnerConfig;
  readonly live: LiveFlags;
  /** Where `QT_API_KEY` / `QT_API_SECRET` / `QT_SECRETS_FILE` are read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Stops the session (SIGINT/SIGTERM in the CLI, a test's AbortController). */
  readonly signal?: AbortSignal;
  /** Progress lines for the operator (never secrets). */
  readonly onInfo?: (line: string) => void;
}

/** What a live session did, reported when it stops. */
export interface LiveRunSummary {
  readonly exchange: string;
  readonly mode: LiveFlags['mode'];
  readonly symbols: readonly SymbolId[];
  readonly db: string;
  readonly reconciliation: { readonly ok: boolean; readonly differences: number; readonly problems: readonly string[] };
  readonly mainnetConfirmedAt?: string;
  readonly stoppedBy: 'signal' | 'max-runtime';
  readonly status: KernelStatus;
}

/**
 * Runs the trading kernel live on a ccxt venue, on the wall clock: the journal is opened (SQLite or PostgreSQL),
 * mainnet is checked against the one-time confirmation, credentials are loaded, the broker starts and reconciles
 * the venue with the journal (differences journalled; the bot refuses to trade on a blocking one), market data
 * starts on its own exchange instance, then the kernel (same strategy, risk rules and Exit Brain as paper) runs
 * until the signal fires or `maxRuntimeSeconds` pass. Everything is closed on the way out.
 *
 * @throws QuantumTraderError `CONFIG_INVALID` (unconfirmed mainnet, missing keys), `RECONCILIATION_FAILED`.
 * @example
 * ```ts
 * const ac = new AbortController();
 * process.once('SIGINT', () => ac.abort());
 * const summary = await runLive({ config, live: liveFlagsSchema.parse({ mode: 'testnet' }), logger, signal: ac.signal });
 * ```
 */
export async function runLive(options: RunLiveOptions): Promise<LiveRunSummary> {
  const { config, live, logger } = options;
  const env = options.env ?? process.env;
  const info = options.onInfo ?? (() => undefined);
  const serviceLogger = (service: ServiceName): KernelLogger => logger.child({ service });
  const symbols = liveSymbols(config, live.exchange);

  const cleanup: Array<() => unknown> = [];
  const journal = await openJournal(live.db);
  cleanup.push(() => journal.close());
  try {
    let mainnetConfirmedAt: string | undefined;
    if (live.mode === 'mainnet') {
      const confirmed = await ensureMainnetConfirmed(journal, live.confirmMainnet);
      mainnetConfirmedAt = confirmed.confirmedAt;
      logger.warn({ confirmedAt: confirmed.confirmedAt, justNow: confirmed.justNow }, 'MAINNET: trading real funds');
      info(`MAINNET: trading real funds (confirmed ${confirmed.confirmedAt}${confirmed.justNow ? ', just now' : ''})`);
    }

    // --keys-file, else QT_API_KEY / QT_API_SECRET (or QT_SECRETS_FILE), else the adapter's QUANTUM_TRADER_* names
    const credentials =
      loadCredentials({ env, envPrefix: 'QT', ...(live.keysFile !== undefined ? { file: live.keysFile } : {}) }) ??
      loadCredentials({ env });
    if (credentials === undefined) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        'live trading needs exchange API keys: set QT_API_KEY and QT_API_SECRET, or pass --keys-file <file> (mode 0600)',
      );
    }
    const venue = {
      exchangeId: live.exchange,
      mode: live.mode,
      allowMainnet: live.mode === 'mainnet',
      ...(live.exchangeUrl !== undefined ? { baseUrl: live.exchangeUrl } : {}),
    } as const;

    const broker = new CcxtBroker({
      exchange: await createCcxtExchange({ ...venue, credentials }),
      symbols,
      ...(live.marginMode !== undefined ? { marginMode: live.marginMode } : {}),
      ...(live.orderUpdates !== undefined ? { orderUpdates: live.orderUpdates } : {}),
      logger: serviceLogger('execution'),
    });
    cleanup.push(() => broker.close());
    await broker.start();
    info(`Connected to ${live.exchange} (${live.mode}${live.exchangeUrl !== undefined ? `, ${live.exchangeUrl}` : ''})`);

    const report = await reconcile(broker, journal);
    const reconciliation = { ok: report.ok, differences: report.events.length, problems: report.problems };
    logger.info({ reconciliation, venue: report.venue }, 'start-up reconciliation');
    info(`Reconciliation: ${report.ok ? 'ok' : 'FAILED'}, ${report.events.length} difference(s) journalled`);
    if (!report.ok) {
      throw new QuantumTraderError(
        'RECONCILIATION_FAILED',
        `the venue differs from the journal; not trading until a person resolves it:\n- ${report.problems.join('\n- ')}`,
      );
    }

    await journal.setState(
      LIVE_SESSION_KEY,
      JSON.stringify({ startedAt: new Date().toISOString(), exchange: live.exchange, mode: live.mode, symbols }),
    );

    const market = new CcxtMarketData({
      // its own exchange instance: market streams must not share the broker's connections
      exchange: await createCcxtExchange(venue),
      symbols,
      timeframe: config.timeframe,
      logger: serviceLogger('signals'),
    });
    cleanup.push(() => market.close());
    await market.start();

    const queue = await intentQueue(live.redis, cleanup);
    const instruments = await broker.instruments();
    const quote = symbols[0]!.split('/')[1]!.split(':')[0]!;
    const venueBalance = report.venue.balances.find((b) => b.currency === quote)?.total;
    const risk = standardRiskEngine(config.risk, instruments);
    const kernel = new TradingKernel({
      scheduler: asyncScheduler,
      market,
      broker,
      journal,
      queue,
      strategies: [
        momentumStrategy({
          lookbackHours: config.strategy.params.lookbackHours,
          longThreshold: config.strategy.params.longThreshold,
          shortThreshold: config.strategy.params.shortThreshold,
          timeframe: config.timeframe,
        }),
      ],
      risk,
      instruments: instruments.filter((i) => symbols.includes(i.symbol)),
      exits: (ctx) => new ExitBrain(ctx, { stopLossPct: config.exits.stopLossPct }),
      initialBalance: venueBalance !== undefined && venueBalance > 0 ? venueBalance : config.initialBalance,
      cycleMs: config.cycleSeconds * 1000,
      portfolioSyncMs: config.portfolioSyncSeconds * 1000,
      resume: 'journal',
      logger: serviceLogger,
    });
    await kernel.start();
    cleanup.push(() => kernel.stop());
    logger.info({ symbols, timeframe: config.timeframe }, 'live session started');
    info(`Trading ${symbols.join(', ')} on ${config.timeframe} candles; Ctrl-C stops cleanly`);

    let server: StatusServer | undefined;
    if (live.httpPort !== undefined) {
      server = await startStatusServer(
        {
          status: () => kernel.status(),
          health: () => [
            { name: 'kernel', ok: kernel.error === undefined && kernel.status().running, detail: kernel.error === undefined ? 'running' : String(kernel.error) },
          ],
        },
        live.httpPort,
      );
      cleanup.push(() => server?.close());
      info(`HTTP API on ${server.url} (GET /status, GET /health)`);
    }

    const stoppedBy = await waitForStop(kernel, options.signal, live.maxRuntimeSeconds);
    const status = kernel.status();
    logger.info({ stoppedBy, status }, 'live session stopping');
    return {
      exchange: live.exchange,
      mode: live.mode,
      symbols,
      db: isPostgresUrl(live.db) ? postgresLabel(live.db) : resolve(live.db),
      reconciliation,
      ...(mainnetConfirmedAt !== undefined ? { mainnetConfirmedAt } : {}),
      stoppedBy,
      status,
    };
  } finally {
    // reverse order: kernel, server, queue, market data, broker, journal
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (err) {
        logger.warn({ err }, 'error while stopping');
      }
    }
  }
}

/** Config symbols on the venue: linear perpetuals get their settlement currency (`BTC/USDT` → `BTC/USDT:USDT`). */
export function liveSymbols(config: RunnerConfig, exchangeId: string): SymbolId[] {
  return config.symbols.map((s) => {
    if (config.marketType !== 'linear' || s.includes(':') || exchangeId === 'binance') return symbolId(s);
    const quote = s.split('/')[1] ?? 'USDT';
    return symbolId(`${s}:${quote}`);
  });
}

/** What the summary says of a PostgreSQL journal: no host, no credentials. */
function postgresLabel(db: string): string {
  const { schema } = postgresTarget(db);
  return `postgres (schema ${schema ?? 'public'})`;
}

async function openJournal(db: string): Promise<Journal> {
  if (isPostgresUrl(db)) {
    const { url, schema } = postgresTarget(db);
    return PostgresJournal.open(url, schema === undefined ? {} : { schema });
  }
  mkdirSync(dirname(resolve(db)), { recursive: true });
  return SqliteJournal.open(db);
}

async function reconcile(broker: CcxtBroker, journal: Journal): Promise<ReconciliationReport> {
  const [orders, fills, positions] = await Promise.all([journal.orders(), journal.fills(), journal.positions()]);
  const report = await broker.reconcile({ orders, fills, positions, ts: Date.now() });
  if (report.events.length > 0) await journal.append(report.events);
  return report;
}

async function intentQueue(redisUrl: string | undefined, cleanup: Array<() => unknown>): Promise<IntentQueue> {
  if (redisUrl === undefined) return new MemoryIntentQueue();
  const { RedisIntentQueue } = await import('@quantum-trader/redis');
  // loaded on demand: ioredis is needed only with --redis
  const ioredis = 'ioredis';
  const mod = (await import(ioredis)) as { Redis: new (url: string) => { quit(): Promise<unknown> } };
  const client = new mod.Redis(redisUrl);
  cleanup.push(() => client.quit());
  return new RedisIntentQueue({ client: client as never });
}

function waitForStop(kernel: TradingKernel, signal: AbortSignal | undefined, maxRuntimeSeconds: number | undefined): Promise<'signal' | 'max-runtime'> {
  return new Promise((resolveStop, reject) => {
    const timers: NodeJS.Timeout[] = [];
    const done = (fn: () => void): void => {
      for (const t of timers) clearTimeout(t), clearInterval(t);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void => done(() => resolveStop('signal'));
    if (signal?.aborted === true) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (maxRuntimeSeconds !== undefined) timers.push(setTimeout(() => done(() => resolveStop('max-runtime')), maxRuntimeSeconds * 1000));
    timers.push(
      setInterval(() => {
        if (kernel.error !== undefined) done(() => reject(kernel.error));
      }, 250),
    );
  });
}
