import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { RunnerConfigInput } from '../config/runner-config-schema.js';
import { runnerPackageRoot } from '../data/bundled-data.js';
import type { PaperRunSummary } from '../paper/paper-types.js';
import type { RunPaperOptions } from '../paper/run-paper.js';
import { exitCodeOf, formatError } from './report-error.js';
import type { ProgressTarget } from './progress-reporter.js';
import { DEFAULT_HTTP_PORT, runPaperCommand } from './run-paper-command.js';
import { backtestCommand, type BacktestFlags } from './backtest-command.js';
import { runLiveCommand, type RunLiveFlags } from './run-live-command.js';
import { downloadDataCommand, type DownloadDataFlags } from './download-data-command.js';

/** What the CLI talks to; injected so tests can run it in-process. */
export interface CliDeps {
  readonly runPaper: (options: RunPaperOptions) => Promise<PaperRunSummary>;
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: ProgressTarget;
  readonly env: NodeJS.ProcessEnv;
}

/** Flags of `quantum-trader run`, as commander parses them. */
export interface RunFlags {
  readonly paper?: boolean;
  readonly config?: string;
  readonly data?: string[];
  readonly symbols?: string[];
  readonly from?: string;
  readonly to?: string;
  readonly db?: string;
  readonly speed: number | 'max';
  readonly logLevel?: RunnerConfigInput['logLevel'];
  /** `--clm`: enable the continuous-learning module (same as `clm.enabled: true` in the config). */
  readonly clm?: boolean;
  /** `--http [port]`: serve the HTTP API on 127.0.0.1 (`true` when given without a port). */
  readonly http?: true | number;
}

/**
 * Runs the `quantum-trader` command line with `args` (without `node` and the script) and resolves to the exit code:
 * 0 success, 2 bad input (flags, config, data), 1 anything unexpected. Errors are printed as `error: <message>`
 * with secrets redacted, never with a stack trace.
 *
 * @example
 * ```ts
 * import { main, runPaper } from '@quantum-trader/runner';
 *
 * process.exitCode = await main(['run', '--paper', '--symbols', 'BTC/USDT'], {
 *   runPaper, stdout: process.stdout, stderr: process.stderr, env: process.env,
 * });
 * ```
 */
export async function main(args: readonly string[], deps: CliDeps): Promise<number> {
  const context: { logFile?: string } = {};
  const program = createProgram(deps, context);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (err) {
    const code = exitCodeOf(err);
    // commander has already printed its own usage errors (through outputError below)
    if (!(err instanceof CommanderError)) {
      const hint = code === 1 && context.logFile !== undefined ? `\n(details in ${context.logFile})` : '';
      deps.stderr.write(`${formatError(err, deps.env)}${hint}\n`);
    }
    return code;
  }
}

function createProgram(deps: CliDeps, context: { logFile?: string }): Command {
  const program = new Command('quantum-trader')
    .description('Quantum Trader reference bot: autonomous crypto trading on the Quantum Trader SDK.')
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
      outputError: (text, write) => write(`${formatError(text.trimEnd().replace(/^error: /, ''), deps.env)}\n`),
    });

  program
    .command('run')
    .description('run the bot; --paper replays market data on the simulated exchange in virtual time')
    .option('--paper', 'paper trading: simulated exchange, replayed candles')
    .option('-c, --config <file>', 'JSON config file (see docs/configuration.md); flags override its values')
    .option('--data <files...>', 'candle CSV files (ts,open,high,low,close,volume) instead of the bundled data')
    .option('--symbols <list>', 'comma-separated ccxt symbols, e.g. BTC/USDT,ETH/USDT', parseList)
    .option('--from <date>', 'first candle to replay, ISO date (UTC), e.g. 2021-03-01')
    .option('--to <date>', 'replay candles before this ISO date (UTC), e.g. 2021-04-01')
    .option(
      '--db <path>',
      'SQLite journal file to write (default .quantum-trader/paper.sqlite; --live: .quantum-trader/live.sqlite, or postgres://user@host/db[?schema=name])',
    )
    .addOption(
      new Option('--speed <factor|max>', 'virtual time per wall-clock time, or max for as fast as possible')
        .argParser(parseSpeed)
        .default('max' as const),
    )
    .option('--clm', 'enable the continuous-learning module (model filter retrained on the bot\'s results; see docs/clm.md)')
    .addOption(
      new Option(
        '--http [port]',
        `serve the HTTP API on 127.0.0.1 while running: GET /status, GET /health, POST /api/ai/retrain (default port ${DEFAULT_HTTP_PORT}; 0 = any free port)`,
      ).argParser(parsePort),
    )
    .addOption(
      new Option('--log-level <level>', 'level of the log file').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
    .option('--live', 'live trading on a ccxt venue, wall clock (see docs/live-trading.md)')
    .option('--exchange <id>', '--live: ccxt exchange id, e.g. binanceusdm (default) or binance')
    .addOption(new Option('--mode <mode>', '--live: venue environment (default testnet)').choices(['testnet', 'demo', 'mainnet']))
    .option('--exchange-url <url>', '--live: send every request to this base URL (proxy, local stand-in)')
    .option('--confirm-mainnet', '--live: the one-time decision to trade real funds (stored in the journal)')
    .option('--redis <url>', '--live: durable intent queue on Redis (redis://…); in memory by default')
    .option('--keys-file <file>', '--live: API key and secret file (mode 0600); default env QT_API_KEY / QT_API_SECRET')
    .addOption(new Option('--margin-mode <mode>', '--live: perpetuals margin mode').choices(['isolated', 'cross']))
    .addOption(new Option('--order-updates <how>', '--live: order updates by WebSocket or REST polling').choices(['websocket', 'poll']))
    .option('--max-runtime <seconds>', '--live: stop cleanly after this many seconds', parsePositive)
    .action(async (flags: RunFlags & RunLiveFlags) => {
      if (flags.live === true) {
        await runLiveCommand(flags, deps, context);
        return;
      }
      await runPaperCommand(flags, deps, context);
    });

  program
    .command('backtest')
    .description('backtest the configured strategy on candle data: metrics, or a sweep / walk-forward (see docs/backtesting.md)')
    .option('-c, --config <file>', 'JSON config file: the runner settings plus an optional "backtest" section')
    .option('--json', 'print the result as one JSON object on stdout (progress goes to stderr)')
    .option('--report <file>', 'also write the self-contained HTML report to this file')
    .action(async (flags: BacktestFlags) => {
      await backtestCommand(flags, deps);
    });

  program
    .command('download-data')
    .description('download candle history from a ccxt exchange into CSV files (resumable; gaps reported)')
    .requiredOption('--exchange <id>', 'ccxt exchange id, e.g. binance or binanceusdm')
    .requiredOption('--symbols <list>', 'comma-separated ccxt symbols, e.g. BTC/USDT,ETH/USDT', parseList)
    .requiredOption('--timeframe <tf>', 'candle timeframe, e.g. 1m, 5m, 1h')
    .requiredOption('--from <date>', 'first candle, ISO date (UTC), e.g. 2024-01-01')
    .requiredOption('--to <date>', 'candles before this ISO date (UTC)')
    .option('--out <dir>', 'folder of the CSV files (default data)')
    .option('--exchange-url <url>', 'send every request to this base URL (proxy, local stand-in)')
    .action(async (flags: DownloadDataFlags) => {
      await downloadDataCommand(flags, deps);
    });

  return program;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0.');
  return n;
}

function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Parses `--speed`: `max`, or a number > 0 of virtual milliseconds per wall-clock millisecond.
 *
 * @example
 * ```ts
 * parseSpeed('3600'); // 3600 — one virtual hour per second
 * parseSpeed('max'); // 'max'
 * ```
 */
export function parseSpeed(value: string): number | 'max' {
  if (value.trim().toLowerCase() === 'max') return 'max';
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('expected a number > 0 (virtual time per wall-clock time) or "max".');
  }
  return n;
}

/**
 * Parses the port of `--http`: an integer from 0 to 65535 (0 picks a free port).
 *
 * @example
 * ```ts
 * parsePort('9090'); // 9090
 * ```
 */
export function parsePort(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 = any free port).');
  }
  return n;
}

function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(join(runnerPackageRoot(), 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
