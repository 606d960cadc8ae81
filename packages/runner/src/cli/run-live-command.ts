import { QuantumTraderError } from '@quantum-trader/core';
import { loadConfig } from '../config/load-config.js';
import type { RunnerConfig, RunnerConfigInput } from '../config/runner-config-schema.js';
import { createLogger } from '../logging/create-logger.js';
import { liveFlagsSchema, type LiveFlags } from '../live/live-flags.js';
import { runLive, type LiveRunSummary } from '../live/run-live.js';
import type { CliDeps } from './main.js';
import { redactSecrets } from './redact-secrets.js';

/** Flags of `quantum-trader run --live`, as commander parses them (shared ones with `run --paper`). */
export interface RunLiveFlags {
  readonly live?: boolean;
  readonly config?: string;
  readonly symbols?: string[];
  readonly db?: string;
  readonly logLevel?: RunnerConfigInput['logLevel'];
  readonly http?: true | number;
  readonly exchange?: string;
  readonly mode?: string;
  readonly exchangeUrl?: string;
  readonly confirmMainnet?: boolean;
  readonly redis?: string;
  readonly keysFile?: string;
  readonly marginMode?: string;
  readonly orderUpdates?: string;
  readonly maxRuntime?: number;
}

/** Port of `--http` given without a value in live mode. */
export const DEFAULT_LIVE_HTTP_PORT = 8080;

/**
 * `quantum-trader run --live`: validates the config and live flags, then runs the kernel on the venue until
 * SIGINT/SIGTERM (or `--max-runtime`), stopping cleanly. `signal` lets an embedding program (or a test) stop it.
 *
 * @example
 * ```ts
 * await runLiveCommand({ live: true, exchange: 'binanceusdm', mode: 'testnet' }, deps, {});
 * ```
 */
export async function runLiveCommand(
  flags: RunLiveFlags,
  deps: CliDeps,
  context: { logFile?: string },
  signal?: AbortSignal,
): Promise<LiveRunSummary> {
  const config = loadConfig(
    flags.config,
    { symbols: flags.symbols, logLevel: flags.logLevel },
    { overridesLabel: 'command line' },
  );
  const live = parseLiveFlags(flags, config.live);
  const log = createLogger({
    logDir: config.logDir,
    level: config.logLevel,
    onWarning: (line) => deps.stderr.write(`${redactSecrets(line, deps.env)}\n`),
  });
  context.logFile = log.file;
  const { logger } = log;

  // SIGINT / SIGTERM (and the caller's signal) stop the session cleanly
  const stop = new AbortController();
  const onSignal = (name: string) => () => {
    deps.stderr.write(`${name}: stopping (cancelling nothing, closing connections, flushing the journal)…\n`);
    stop.abort();
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const onCaller = (): void => stop.abort();
  signal?.addEventListener('abort', onCaller, { once: true });
  if (signal?.aborted === true) stop.abort();

  // a database URL's user:password (and the Redis URL's) never reach the screen or the log
  const db = redactSecrets(hideUrlCredentials(live.db), deps.env);
  deps.stderr.write(`Live trading on ${live.exchange} (${live.mode}); journal ${db}\n`);
  const shown = { ...live, db, ...(live.redis !== undefined ? { redis: hideUrlCredentials(live.redis) } : {}) };
  logger.info({ live: shown, config }, 'live run starting');
  try {
    const summary = await runLive({
      config,
      live,
      env: deps.env,
      logger,
      signal: stop.signal,
      onInfo: (line) => deps.stderr.write(`${redactSecrets(line, deps.env)}\n`),
    });
    const st = summary.status;
    deps.stdout.write(
      `Stopped cleanly (${summary.stoppedBy}). Reconciliation at start: ${summary.reconciliation.ok ? 'ok' : 'failed'} ` +
        `(${summary.reconciliation.differences} difference(s)). Open positions ${st.openPositions}, ` +
        `closed trades ${st.closedTrades}, events journalled ${st.eventsJournalled}.\n` +
        `Journal:  ${summary.db}\nLog file: ${log.file}\n`,
    );
    logger.info({ summary }, 'live run stopped');
    return summary;
  } catch (err) {
    logger.error({ err }, 'live run failed');
    throw err;
  } finally {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
    signal?.removeEventListener('abort', onCaller);
    log.flush();
  }
}

/** The live settings: each flag given, else the config file's `live` value, else the default. */
function parseLiveFlags(flags: RunLiveFlags, fromFile: RunnerConfig['live']): LiveFlags {
  const file = fromFile ?? {};
  const parsed = liveFlagsSchema.safeParse({
    exchange: flags.exchange ?? file.exchange,
    mode: flags.mode ?? file.mode,
    exchangeUrl: flags.exchangeUrl ?? file.exchangeUrl,
    confirmMainnet: flags.confirmMainnet,
    db: flags.db ?? file.db,
    redis: flags.redis ?? file.redis,
    keysFile: flags.keysFile ?? file.keysFile,
    marginMode: flags.marginMode ?? file.marginMode,
    orderUpdates: flags.orderUpdates ?? file.orderUpdates,
    maxRuntimeSeconds: flags.maxRuntime,
    httpPort: flags.http === true ? (file.httpPort ?? DEFAULT_LIVE_HTTP_PORT) : (flags.http ?? file.httpPort),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `--${kebab(String(i.path[0] ?? ''))}: ${i.message}`).join('; ');
    throw new QuantumTraderError('CONFIG_INVALID', `run --live: ${issues}`);
  }
  return parsed.data;
}

function kebab(name: string): string {
  const map: Record<string, string> = { maxRuntimeSeconds: 'max-runtime', httpPort: 'http' };
  return map[name] ?? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function hideUrlCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
