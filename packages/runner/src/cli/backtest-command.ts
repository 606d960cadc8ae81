import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  backtest,
  backtestSweep,
  walkForward,
  type BacktestOptions,
  type BacktestSeries,
  type MetricName,
} from '@quantum-trader/backtest';
import { loadCandlesCsv, QuantumTraderError } from '@quantum-trader/core';
import cliProgress from 'cli-progress';
import * as z from 'zod';
import { formatConfigIssues } from '../config/format-config-issues.js';
import { isoDateToMillis } from '../config/iso-date.js';
import { loadConfig } from '../config/load-config.js';
import type { RunnerConfig } from '../config/runner-config-schema.js';
import { findBundledCsv, loadSymbolData } from '../data/bundled-data.js';
import { fundingOver } from '../data/funding-over.js';
import type { CliDeps } from './main.js';
import { createProgressReporter, type ProgressTarget } from './progress-reporter.js';

/** Flags of `quantum-trader backtest`, as commander parses them. */
export interface BacktestFlags {
  readonly config?: string;
  readonly json?: boolean;
  readonly report?: string;
}

const gridSchema = z.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()])).min(1));
const duration = z.union([z.string().regex(/^\d+(\.\d+)?[mhdw]$/, { error: 'expected a duration such as "14d" or "12h"' }), z.number().gt(0)]);

/**
 * The `backtest` section of a config file: what only a backtest needs, next to the runner's own settings (symbols,
 * timeframe, data, from/to, strategy, risk, exits, exchange), which keep their meaning. See docs/backtesting.md.
 *
 * @example
 * ```ts
 * backtestSectionSchema.parse({ refine: true, latencyMs: 200, sweep: { grid: { lookbackHours: [12, 24] } } });
 * ```
 */
export const backtestSectionSchema = z
  .strictObject({
    /** Resolve ambiguous candles with finer candles: true = the bundled 1m data, or { timeframe, files }. */
    refine: z
      .union([z.boolean(), z.strictObject({ timeframe: z.enum(['1m', '5m', '15m', '1h']).default('1m'), files: z.array(z.string().min(1)).min(1).optional() })])
      .default(false),
    latencyMs: z.number().gte(0).default(0),
    slippageImpactBps: z.number().gte(0).optional(),
    slippageImpactExponent: z.number().gt(0).optional(),
    maxVolumeParticipation: z.number().gt(0).lte(1).optional(),
    intrabar: z.enum(['conservative', 'ohlc', 'olhc']).optional(),
    /** A constant funding rate charged every 8 h (00:00, 08:00, 16:00 UTC) on perpetual positions. */
    fundingRate: z.number().gt(-0.1).lt(0.1).optional(),
    allowGaps: z.boolean().default(false),
    sweep: z
      .strictObject({ grid: gridSchema, sortBy: z.string().default('sharpe'), threads: z.number().int().gte(0).optional() })
      .optional(),
    walkForward: z
      .strictObject({
        grid: gridSchema,
        train: duration,
        test: duration,
        roll: duration.optional(),
        sortBy: z.string().default('sharpe'),
        threads: z.number().int().gte(0).optional(),
      })
      .optional(),
  })
  .readonly();

type BacktestSection = z.output<typeof backtestSectionSchema>;

/**
 * `quantum-trader backtest`: runs a backtest (or the sweep / walk-forward the config's `backtest` section asks for)
 * on the configured data and prints the result: a summary table, or with `--json` one JSON object on stdout.
 * Progress goes to stderr. Bad config or data fails before anything runs, naming the file and field.
 *
 * @example
 * ```ts
 * await backtestCommand({ config: 'backtest.json', json: true }, deps);
 * ```
 */
export async function backtestCommand(flags: BacktestFlags, deps: CliDeps): Promise<void> {
  const { config, section, label } = readBacktestConfig(flags.config);
  const options = backtestOptionsOf(config, section, label);
  if (section.sweep !== undefined && section.walkForward !== undefined) {
    throw new QuantumTraderError('CONFIG_INVALID', `${label}: backtest.sweep and backtest.walkForward cannot both be set; pick one`);
  }
  const say = (text: string): void => {
    deps.stdout.write(`${text}\n`);
  };

  if (section.sweep !== undefined) {
    const bar = countBar(deps.stderr, 'backtests');
    try {
      const result = await backtestSweep(options, {
        grid: section.sweep.grid,
        sortBy: section.sweep.sortBy as MetricName,
        ...(section.sweep.threads !== undefined ? { threads: section.sweep.threads } : {}),
        onProgress: (p) => bar.update(p.done, p.total),
      });
      bar.stop();
      if (flags.json === true) say(JSON.stringify({ sortBy: result.sortBy, order: result.order, rows: result.rows }));
      else say(`Sweep of ${result.rows.length} combinations, ranked by ${String(result.sortBy)}:\n${result.table()}`);
    } finally {
      bar.stop();
    }
    return;
  }

  if (section.walkForward !== undefined) {
    const wf = section.walkForward;
    const bar = countBar(deps.stderr, 'backtests');
    try {
      const result = await walkForward(options, {
        grid: wf.grid,
        train: wf.train,
        test: wf.test,
        ...(wf.roll !== undefined ? { roll: wf.roll } : {}),
        sortBy: wf.sortBy as MetricName,
        ...(wf.threads !== undefined ? { threads: wf.threads } : {}),
        onProgress: (p) => bar.update(p.done, p.total),
      });
      bar.stop();
      if (flags.json === true) say(JSON.stringify({ sortBy: result.sortBy, folds: result.folds, outOfSample: result.outOfSample.metrics }));
      else say(result.summary());
    } finally {
      bar.stop();
    }
    return;
  }

  const progress = createProgressReporter(deps.stderr);
  try {
    const result = await backtest({
      ...options,
      onProgress: (p) => progress.update({ now: p.now, from: p.from, to: p.to, fraction: p.fraction, closedTrades: p.trades, equity: p.equity }),
    });
    progress.stop();
    if (flags.report !== undefined) {
      await result.report(resolve(flags.report));
      deps.stderr.write(`HTML report: ${resolve(flags.report)}\n`);
    }
    say(flags.json === true ? JSON.stringify(result.toJSON()) : result.summary());
  } finally {
    progress.stop();
  }
}

/**
 * Reads a config file: the runner's settings (validated by the runner's schema, so the same file drives
 * `run --paper`) and the optional `backtest` section. Without a file: the defaults (bundled data).
 */
function readBacktestConfig(path: string | undefined): { config: RunnerConfig; section: BacktestSection; label: string } {
  if (path === undefined) {
    return { config: loadConfig(), section: backtestSectionSchema.parse({}), label: 'defaults' };
  }
  if (!existsSync(path) || statSync(path).isDirectory()) {
    throw new QuantumTraderError('CONFIG_INVALID', `${path}: no such config file (check the --config path)`);
  }
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new QuantumTraderError('CONFIG_INVALID', `${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new QuantumTraderError('CONFIG_INVALID', `${path}: expected a JSON object at the top level`);
  }
  const { backtest: sectionRaw, ...rest } = raw as Record<string, unknown>;
  const parsed = backtestSectionSchema.safeParse(sectionRaw ?? {}, { reportInput: true });
  if (!parsed.success) {
    const lines = formatConfigIssues(path, parsed.error.issues.map((i) => ({ ...i, path: ['backtest', ...i.path] })), undefined);
    throw new QuantumTraderError('CONFIG_INVALID', lines.join('\n'), { cause: parsed.error });
  }
  // Relative data files are relative to the config file, as for `run --paper`.
  const base = dirname(resolve(path));
  const data = rest['data'];
  if (data !== null && typeof data === 'object' && Array.isArray((data as Record<string, unknown>)['files'])) {
    rest['data'] = { ...data, files: ((data as Record<string, unknown>)['files'] as unknown[]).map((f) => (typeof f === 'string' ? resolve(base, f) : f)) };
  }
  const section = parsed.data;
  if (typeof section.refine === 'object' && section.refine.files !== undefined) {
    section.refine.files.splice(0, section.refine.files.length, ...section.refine.files.map((f) => resolve(base, f)));
  }
  return { config: loadConfig(undefined, rest, { overridesLabel: path }), section, label: path };
}

/** Maps the runner config and the backtest section to backtest options, loading the candles. */
function backtestOptionsOf(config: RunnerConfig, section: BacktestSection, label: string): BacktestOptions {
  // The whole files: candles before `from` warm the strategy up.
  const data: BacktestSeries[] = loadSymbolData({ ...config, from: undefined, to: undefined }).map((d) => ({ symbol: d.symbol, candles: d.candles }));
  const from = config.from === undefined ? undefined : isoDateToMillis(config.from);
  const to = config.to === undefined ? undefined : isoDateToMillis(config.to);
  const fundingRate = section.fundingRate ?? config.exchange.fundingRate; // as for paper runs, unless the section says
  return {
    data,
    timeframe: config.timeframe,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    marketType: config.marketType,
    initialBalance: config.initialBalance,
    strategy: { name: config.strategy.name, params: { ...config.strategy.params } },
    risk: { ...config.risk },
    exits: { stopLossPct: config.exits.stopLossPct },
    slippage: {
      bps: config.exchange.slippageBps,
      ...(section.slippageImpactBps !== undefined ? { impactBps: section.slippageImpactBps } : {}),
      ...(section.slippageImpactExponent !== undefined ? { exponent: section.slippageImpactExponent } : {}),
    },
    intrabar: section.intrabar ?? config.exchange.intrabar,
    latencyMs: section.latencyMs,
    ...(section.maxVolumeParticipation !== undefined ? { maxVolumeParticipation: section.maxVolumeParticipation } : {}),
    cycleSeconds: config.cycleSeconds,
    portfolioSyncSeconds: config.portfolioSyncSeconds,
    allowGaps: section.allowGaps,
    ...(section.refine !== false ? { refine: refinementData(config, section.refine, data, label) } : {}),
    ...(fundingRate !== undefined ? { fundingRates: fundingOver(data, fundingRate) } : {}),
  };
}

function refinementData(
  config: RunnerConfig,
  refine: true | { readonly timeframe: string; readonly files?: readonly string[] | undefined },
  data: readonly BacktestSeries[],
  label: string,
): BacktestSeries[] {
  const timeframe = refine === true ? '1m' : refine.timeframe;
  const files = refine === true ? undefined : refine.files;
  return config.symbols.map((configured, i) => {
    const file = files?.[i] ?? findBundledCsv(configured, timeframe);
    if (file === undefined) {
      throw new QuantumTraderError(
        'DATA_FILE_MISSING',
        `${label}: backtest.refine needs ${timeframe} candles of ${configured} and none are bundled; list them in backtest.refine.files (one per symbol, in the order of symbols)`,
      );
    }
    return { symbol: data[i]!.symbol, candles: loadCandlesCsv(file) };
  });
}

/** A cli-progress bar counting finished backtests on a terminal; plain lines every 10 % elsewhere. */
function countBar(target: ProgressTarget, unit: string): { update(done: number, total: number): void; stop(): void } {
  if (target.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      { stream: target as NodeJS.WritableStream, format: ` {bar} {percentage}% | {value}/{total} ${unit}`, hideCursor: false, fps: 10 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let stopped = false;
    return {
      update(done, total) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
      stop() {
        if (started && !stopped) bar.stop();
        stopped = true;
      },
    };
  }
  let next = 0;
  return {
    update(done, total) {
      if (done * 10 >= next * total) {
        target.write(`progress ${String(Math.floor((done / total) * 100)).padStart(3)}% | ${done}/${total} ${unit}\n`);
        next = Math.floor((done * 10) / total) + 1;
      }
    },
    stop() {},
  };
}
