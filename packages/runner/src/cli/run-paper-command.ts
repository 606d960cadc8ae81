import { QuantumTraderError } from '@quantum-trader/core';
import { loadConfig } from '../config/load-config.js';
import { DEFAULT_SYMBOLS, type RunnerConfig, type RunnerConfigInput } from '../config/runner-config-schema.js';
import { loadSymbolData, symbolsFromFileNames } from '../data/bundled-data.js';
import { createLogger } from '../logging/create-logger.js';
import { renderSummaryTable } from '../report/summary-table.js';
import { describeClm } from '../paper/describe-clm.js';
import type { CliDeps, RunFlags } from './main.js';
import { createProgressReporter, formatVirtualTime } from './progress-reporter.js';
import { redactSecrets } from './redact-secrets.js';

const LABEL = 'command line';

/** Port of `--http` given without a value. */
export const DEFAULT_HTTP_PORT = 8080;

/**
 * `quantum-trader run --paper`: validates config and data (writing nothing if either is bad), then runs the paper
 * session with a progress display and prints the summary tables and the journal's path.
 *
 * @example
 * ```ts
 * await runPaperCommand({ paper: true, speed: 'max' }, deps, {});
 * ```
 */
export async function runPaperCommand(flags: RunFlags, deps: CliDeps, context: { logFile?: string }): Promise<void> {
  if (flags.paper !== true) {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      'only paper trading is available in this version: run `quantum-trader run --paper`',
    );
  }
  const config = resolveConfig(flags);
  const data = loadSymbolData(config);

  const progress = createProgressReporter(deps.stderr);
  const log = createLogger({
    logDir: config.logDir,
    level: config.logLevel,
    onWarning: (line) => progress.log(redactSecrets(line, deps.env)),
  });
  context.logFile = log.file;
  const { logger } = log;

  const first = Math.min(...data.map((d) => d.candles[0]!.ts));
  const last = Math.max(...data.map((d) => d.candles[d.candles.length - 1]!.ts));
  const symbols = data.map((d) => d.symbol).join(', ');
  const candles = data.reduce((sum, d) => sum + d.candles.length, 0);
  deps.stderr.write(
    `Paper trading ${symbols}: ${candles} ${config.timeframe} candles, ` +
      `${formatVirtualTime(first)} → ${formatVirtualTime(last)} UTC, speed ${flags.speed === 'max' ? 'max' : flags.speed}\n`,
  );
  logger.info({ config }, 'paper run starting');
  logger.info(
    { data: data.map((d) => ({ symbol: d.symbol, source: d.source, candles: d.candles.length })) },
    'market data loaded',
  );

  try {
    const summary = await deps.runPaper({
      config,
      data,
      dbPath: config.db,
      speed: flags.speed,
      onProgress: (p) => progress.update(p),
      logger,
      ...(flags.http !== undefined
        ? {
            http: {
              port: flags.http === true ? DEFAULT_HTTP_PORT : flags.http,
              onListening: (url: string) =>
                progress.log(`HTTP API on ${url} (GET /status, GET /health, POST /api/ai/retrain)`),
            },
          }
        : {}),
    });
    progress.stop();
    logger.info({ summary: { ...summary, perSymbol: undefined } }, 'paper run summary');
    deps.stdout.write(`${renderSummaryTable(summary, { color: deps.stdout.isTTY === true })}\n`);
    if (summary.clm !== undefined) deps.stdout.write(`CLM: ${describeClm(summary.clm)}\n`);
    deps.stdout.write(`SQLite journal: ${summary.dbPath}\nLog file:       ${log.file}\n`);
  } catch (err) {
    progress.stop();
    logger.error({ err }, 'paper run failed');
    throw err;
  } finally {
    log.flush();
  }
}

function resolveConfig(flags: RunFlags): RunnerConfig {
  const overrides: RunnerConfigInput = {
    symbols: flags.symbols,
    from: flags.from,
    to: flags.to,
    db: flags.db,
    logLevel: flags.logLevel,
    data: flags.data === undefined ? undefined : { files: flags.data },
    clm: flags.clm === true ? { enabled: true } : undefined,
  };
  const config = loadConfig(flags.config, overrides, { overridesLabel: LABEL });
  // `--data btc.csv eth.csv` alone: trade the symbols the file names name, not the three defaults.
  if (flags.data !== undefined && flags.symbols === undefined && sameList(config.symbols, DEFAULT_SYMBOLS)) {
    const named = symbolsFromFileNames(flags.data);
    if (named === undefined) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `${LABEL}: cannot tell which symbol each --data file holds from its name (${flags.data.join(', ')}); ` +
          `pass --symbols in the same order, e.g. --symbols BTC/USDT`,
      );
    }
    return loadConfig(flags.config, { ...overrides, symbols: named }, { overridesLabel: LABEL });
  }
  return config;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
