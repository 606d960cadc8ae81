import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import { QuantumTraderError, stableHash, type KernelLogger, type ServiceName } from '@quantum-trader/core';
import { SqliteJournal } from '@quantum-trader/sql';
import type { Logger } from 'pino';
import type { RunnerConfig } from '../config/index.js';
import { buildPaperSession } from './build-session.js';
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
    const session = buildPaperSession(config, data, journal, serviceLogger);
    const { scheduler, kernel, market } = session;
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
    kernel.stop();
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
      initialBalance: config.initialBalance,
      finalEquity: round2(stats.equity),
      maxDrawdown: stats.maxDrawdown,
      openPositions: status.openPositions,
      ordersDenied: status.ordersDenied,
      events,
      dbPath,
      perSymbol,
    };
  } finally {
    journal.close();
  }
}

/** Identifies what a paper journal was produced from: the trading config and the data (not paths or speed). */
function fingerprintOf(config: RunnerConfig, data: readonly SymbolData[]): string {
  const { db: _db, logDir: _logDir, logLevel: _logLevel, data: _files, ...trading } = config;
  const series = data.map((d) => {
    const first = d.candles[0];
    const last = d.candles[d.candles.length - 1];
    return `${d.symbol}:${d.candles.length}:${first?.ts}:${last?.ts}:${last?.close}`;
  });
  return stableHash(JSON.stringify({ trading, series }));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
