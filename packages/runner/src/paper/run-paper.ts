import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import type { ClmStatus } from '@quantum-trader/clm';
import { QuantumTraderError, stableHash, type KernelLogger, type ServiceName } from '@quantum-trader/core';
import { SqliteJournal } from '@quantum-trader/sql';
import type { Logger } from 'pino';
import type { RunnerConfig } from '../config/index.js';
import { startStatusServer, type HealthCheck, type StatusServer } from '../http/status-server.js';
import { buildPaperSession, loadClmModule, type PaperSession } from './build-session.js';
import { describeClm } from './describe-clm.js';
import type { PaperProgress, PaperRunSummary, SymbolData, SymbolSummary } from './paper-types.js';

/** Options of {@link runPaper}. */
export interface RunPaperOptions {
  readonly config: RunnerConfig;
  readonly data: readonly SymbolData[];
  readonly dbPath: string;
  /** Virtual milliseconds per wall-clock millisecond, or `max` to run as fast as the CPU allows. */
  readonly speed: number | 'max';
  readonly onProgress?: (p: PaperProgress) => void;
  readonly logger: Logger;
  /**
   * Serve the HTTP API (GET /status, GET /health, POST /api/ai/retrain) on 127.0.0.1 while the session runs;
   * port 0 picks a free port. Off by default. Closed when the run ends.
   */
  readonly http?: {
    readonly port: number;
    /** Called once the server listens, with its base URL (`http://127.0.0.1:<port>`). */
    readonly onListening?: (url: string) => void;
  };
}

const DAY_MS = 86_400_000;
const FINGERPRINT_KEY = 'paper.fingerprint';

/**
 * Runs the reference bot in paper mode: replays the candles through the complete autonomous cycle on virtual
 * time (signal → risk → execution on the simulated exchange → exit ladder → portfolio → journal) into a SQLite
 * journal, and returns the summary.
 *
 * A paper session is deterministic: the same config and data produce the same events with the same ids. Running
 * again on the same journal (after a crash, or just twice) replays from the start and the journal skips every
 * event it already holds, so nothing is lost and nothing is written twice. A journal written by a different
 * configuration is refused.
 *
 * @example
 * ```ts
 * const summary = await runPaper({ config: defaultConfig, data, dbPath: 'paper.sqlite', speed: 'max', logger: pino() });
 * console.log(summary.trades, summary.winRate);
 * ```
 */
export async function runPaper(options: RunPaperOptions): Promise<PaperRunSummary> {
  const { config, data, logger } = options;
  const dbPath = resolve(options.dbPath);
  mkdirSync(dirname(dbPath), { recursive: true });
  const fingerprint = fingerprintOf(config, data);
  const journal = await SqliteJournal.open(dbPath);
  let server: StatusServer | undefined;
  let clmRef: PaperSession['clm'];
  try {
    const previous = journal.getState(FINGERPRINT_KEY);
    if (previous !== undefined && previous !== fingerprint) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `${dbPath} holds the journal of a different paper session (other config or data); ` +
          `pass --db <new file> or delete it to start over`,
      );
    }
    if (previous === undefined) journal.setState(FINGERPRINT_KEY, fingerprint);
    const serviceLogger = (service: ServiceName): KernelLogger => logger.child({ service });
    const session = buildPaperSession(config, data, journal, serviceLogger, {
      clmDataDir: join(dirname(dbPath), 'clm'),
      // loaded only when enabled: default runs do not pay for onnxruntime
      ...(config.clm.enabled ? { clmModule: await loadClmModule() } : {}),
    });
    const { scheduler, kernel, market, clm } = session;
    clmRef = clm;
    if (clm !== undefined) {
      await clm.start(kernel.events$);
      const st = clm.status();
      logger.child({ service: 'clm' }).info({ clm: st }, `[CLM] enabled: ${describeClm(st)}`);
    }
    if (options.http !== undefined) {
      server = await startStatusServer(statusSource(session, journal, config), options.http.port);
      logger.info({ url: server.url }, 'HTTP API listening');
      options.http.onListening?.(server.url);
    }
    await kernel.start();
    market.start();
    const from = session.from;
    const end = session.to;
    const total = Math.max(1, end - from);
    const wallStart = performance.now();
    const chunk = options.speed === 'max' ? DAY_MS : Math.max(1_000, Math.min(DAY_MS, options.speed * 250));
    let now = scheduler.now();
    while (now < end) {
      const target = Math.min(end, now + chunk);
      // One commit per chunk: the session is deterministic, so a crash mid-chunk is redone by the replay.
      journal.batch(() => scheduler.runUntil(target));
      if (kernel.error !== undefined) throw kernel.error;
      // Retraining runs due in this chunk finish before virtual time moves on (deterministic replays).
      if (clm !== undefined) await clm.idle();
      now = scheduler.now();
      const st = kernel.status();
      options.onProgress?.({
        now,
        from,
        to: end,
        fraction: Math.min(1, Math.max(0, (now - from) / total)),
        closedTrades: st.closedTrades,
        equity: st.equity,
      });
      if (options.speed === 'max') {
        await yieldToEventLoop();
      } else {
        const due = (now - from) / options.speed;
        const wait = due - (performance.now() - wallStart);
        await (wait > 0 ? sleep(wait) : yieldToEventLoop());
      }
    }
    // One more cycle and sync after the last candle, so the last signals and valuation are processed.
    journal.batch(() => scheduler.runUntil(end + config.cycleSeconds * 1000));
    if (kernel.error !== undefined) throw kernel.error;
    if (clm !== undefined) await clm.idle();
    kernel.stop();
    let clmStatus: ClmStatus | undefined;
    if (clm !== undefined) {
      clmRef = undefined; // closed here, not again in finally
      await clm.close();
      clmStatus = clm.status();
      logger.child({ service: 'clm' }).info({ clm: clmStatus }, `[CLM] status at the end of the run: ${describeClm(clmStatus)}`);
    }
    const status = kernel.status();
    const stats = kernel.portfolio.stats();
    const trades = journal.trades();
    const perSymbol: SymbolSummary[] = data.map((d) => {
      const ts = trades.filter((t) => t.symbol === d.symbol);
      const wins = ts.filter((t) => t.realizedPnl > 0).length;
      return {
        symbol: d.symbol,
        trades: ts.length,
        winRate: ts.length === 0 ? Number.NaN : wins / ts.length,
        realizedPnl: round2(ts.reduce((a, t) => a + t.realizedPnl, 0)),
      };
    });
    const wins = trades.filter((t) => t.realizedPnl > 0).length;
    const events = status.eventsRecorded;
    logger.info({ trades: trades.length, equity: stats.equity }, 'paper run finished');
    return {
      from,
      to: end,
      trades: trades.length,
      wins,
      losses: trades.length - wins,
      winRate: trades.length === 0 ? Number.NaN : wins / trades.length,
      realizedPnl: round2(stats.realizedPnl),
      unrealizedPnl: round2(stats.unrealizedPnl),
      funding: round2(kernel.portfolio.funding()),
      initialBalance: config.initialBalance,
      finalEquity: round2(stats.equity),
      maxDrawdown: stats.maxDrawdown,
      openPositions: status.openPositions,
      ordersDenied: status.ordersDenied,
      events,
      dbPath,
      perSymbol,
      ...(clmStatus !== undefined ? { clm: clmStatus } : {}),
    };
  } finally {
    await server?.close();
    await clmRef?.close().catch(() => undefined);
    journal.close();
  }
}

/** Identifies what a paper journal was produced from: the trading config and the data (not paths or speed). */
function fingerprintOf(config: RunnerConfig, data: readonly SymbolData[]): string {
  // the live section is the venue of run --live: it changes nothing in a paper session
  const { db: _db, logDir: _logDir, logLevel: _logLevel, data: _files, live: _live, clm, ...rest } = config;
  // A disabled CLM changes nothing: journals written before the CLM existed keep their fingerprint.
  const trading = clm.enabled ? { ...rest, clm } : rest;
  const series = data.map((d) => {
    const first = d.candles[0];
    const last = d.candles[d.candles.length - 1];
    return `${d.symbol}:${d.candles.length}:${first?.ts}:${last?.ts}:${last?.close}`;
  });
  return stableHash(JSON.stringify({ trading, series }));
}

/** What the HTTP API reads from a running paper session. */
function statusSource(session: PaperSession, journal: SqliteJournal, config: RunnerConfig) {
  const { kernel, exchange, clm } = session;
  const cycleMs = config.cycleSeconds * 1000;
  return {
    status: () => kernel.status(),
    learning: (): Record<string, unknown> => {
      if (clm === undefined) return {};
      const s = clm.status();
      // undefined would vanish from the JSON: the API says null.
      return {
        clm: {
          ...s,
          champion: s.champion ?? null,
          nextRunAt: s.nextRunAt ?? null,
          nextRun: s.nextRunAt === undefined ? null : new Date(s.nextRunAt).toISOString(),
          lastRun: s.lastRun ?? null,
        },
      };
    },
    health: async (): Promise<readonly HealthCheck[]> => {
      const checks: HealthCheck[] = [];
      const attempt = async (name: string, probe: () => Promise<string>) => {
        try {
          checks.push({ name, ok: true, detail: await probe() });
        } catch (err) {
          checks.push({ name, ok: false, detail: err instanceof Error ? err.message : String(err) });
        }
      };
      await attempt('journal', async () => {
        if ((await journal.getState(FINGERPRINT_KEY)) === undefined) throw new Error('journal holds no session fingerprint');
        return 'readable';
      });
      await attempt('venue', async () => `${(await exchange.positions()).length} positions`);
      const error = kernel.error;
      checks.push({
        name: 'kernel',
        ok: error === undefined,
        detail: error === undefined ? 'no error' : error instanceof Error ? error.message : String(error),
      });
      const st = kernel.status();
      const since = st.lastCycle ?? session.from;
      const age = st.now - since;
      checks.push({
        name: 'cycle',
        ok: age <= 3 * cycleMs,
        detail: `${st.lastCycle === undefined ? 'no cycle yet' : 'last cycle'} ${Math.round(age / 1000)} s of virtual time ago (limit ${(3 * cycleMs) / 1000} s)`,
      });
      return checks;
    },
    ...(clm !== undefined
      ? { retrain: async (o: { readonly force: boolean }) => ({ ...(await clm.triggerRetrain({ force: o.force })) }) }
      : {}),
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
