import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import type { RunnerConfig } from '../config/runner-config-schema.js';

/** The services of the reference bot; each logs through its own child logger (`service` field). */
export type RunnerService = 'signals' | 'risk' | 'execution' | 'exits' | 'portfolio';

/** Name of the log file inside `logDir`. */
export const LOG_FILE_NAME = 'quantum-trader.log';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  readonly logDir: string;
  readonly level: RunnerConfig['logLevel'];
  /** Receives warnings and errors as one readable line each (`warn [risk] message`); omit to keep them in the file only. */
  readonly onWarning?: (line: string) => void;
}

/** A logger writing JSON lines to a file, and how to finish it. */
export interface RunnerLogger {
  readonly logger: Logger;
  /** Absolute path of the JSON-lines log file. */
  readonly file: string;
  /** Writes out everything buffered; call before the process exits. */
  flush(): void;
}

/**
 * Creates the runner's pino logger: JSON lines in `<logDir>/quantum-trader.log` (appended, folder created), and
 * warnings and errors also handed to `onWarning` as one readable line so the terminal stays readable.
 *
 * @example
 * ```ts
 * import { createLogger, serviceLogger } from '@quantum-trader/runner';
 *
 * const { logger, file, flush } = createLogger({ logDir: '.quantum-trader/logs', level: 'info', onWarning: console.error });
 * serviceLogger(logger, 'risk').warn({ symbol: 'BTC/USDT' }, 'order denied: max notional');
 * flush();
 * ```
 */
export function createLogger(options: CreateLoggerOptions): RunnerLogger {
  const dir = resolve(options.logDir);
  const file = join(dir, LOG_FILE_NAME);
  if (options.level === 'silent') {
    return { logger: pino({ level: 'silent' }), file, flush: () => undefined };
  }
  mkdirSync(dir, { recursive: true });
  const fileStream = pino.destination({ dest: file, append: true, sync: false });
  const streams: pino.StreamEntry[] = [{ level: options.level, stream: fileStream }];
  const onWarning = options.onWarning;
  if (onWarning !== undefined) {
    streams.push({ level: 'warn', stream: { write: (chunk: string) => onWarning(readableLine(chunk)) } });
  }
  const logger = pino(
    { level: options.level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.multistream(streams),
  );
  return {
    logger,
    file,
    flush: () => {
      try {
        fileStream.flushSync();
      } catch {
        // nothing buffered yet (the file is opened asynchronously); there is nothing to lose
      }
    },
  };
}

/**
 * The child logger of one service; every line it writes carries `service`.
 *
 * @example
 * ```ts
 * import { serviceLogger } from '@quantum-trader/runner';
 * import pino from 'pino';
 *
 * serviceLogger(pino(), 'execution').info({ clientOrderId: 'qt-1' }, 'order sent');
 * ```
 */
export function serviceLogger(logger: Logger, service: RunnerService): Logger {
  return logger.child({ service });
}

const LEVEL_NAMES: Record<number, string> = { 40: 'warn', 50: 'error', 60: 'fatal' };

function readableLine(chunk: string): string {
  try {
    const entry = JSON.parse(chunk) as { level?: number; service?: string; msg?: string; err?: { message?: string } };
    const level = LEVEL_NAMES[entry.level ?? 40] ?? 'warn';
    const service = entry.service === undefined ? '' : ` [${entry.service}]`;
    const detail = entry.err?.message !== undefined && entry.err.message !== entry.msg ? `: ${entry.err.message}` : '';
    return `${level}${service} ${entry.msg ?? ''}${detail}`;
  } catch {
    return chunk.trimEnd();
  }
}
