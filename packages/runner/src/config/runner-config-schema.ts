import { TIMEFRAME_MS, type Timeframe } from '@quantum-trader/core';
import * as z from 'zod';
import { liveConfigSchema } from '../live/live-flags.js';
import { isoDateToMillis } from './iso-date.js';

/** The symbols traded when the config names none. */
export const DEFAULT_SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'BNB/USDT'] as const;

// ccxt unified symbol: BASE/QUOTE, optionally :SETTLE for a derivative (BTC/USDT:USDT).
const SYMBOL = /^[A-Z0-9]+\/[A-Z0-9]+(?::[A-Z0-9]+)?$/;
const TIMEFRAMES = Object.keys(TIMEFRAME_MS) as [Timeframe, ...Timeframe[]];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const positive = () => z.number().gt(0);
const positiveInt = () => z.number().int().gt(0);

const isoDate = z
  .string()
  .refine((s) => isoDateToMillis(s) !== undefined, {
    error: 'expected an ISO date such as "2021-03-01" or "2021-03-01T12:00:00Z"',
  });

const momentumParamsSchema = z
  .strictObject({
    lookbackHours: positive().default(24),
    longThreshold: positive().default(0.01),
    shortThreshold: z.number().lt(0).gt(-1).default(-0.01),
  })
  .readonly();

const strategySchema = z
  .strictObject({
    name: z.enum(['momentum-24h']).default('momentum-24h'),
    params: momentumParamsSchema.prefault({}),
  })
  .readonly();

const riskSchema = z
  .strictObject({
    maxNotionalPerTrade: positive().default(1000),
    maxLeverage: positive().lte(125).default(10),
    leverage: positive().default(1),
    maxOpenPositions: positiveInt().default(3),
    cooldownMinutes: positive().default(60),
    dailyLossLimit: positive().default(300),
  })
  .readonly()
  .superRefine((risk, ctx) => {
    // Refinements also run when a field failed its own check; compare only two valid numbers.
    const valid = (x: unknown): x is number => typeof x === 'number' && x > 0 && x <= 125;
    if (valid(risk.leverage) && valid(risk.maxLeverage) && risk.leverage > risk.maxLeverage) {
      ctx.addIssue({
        code: 'custom',
        path: ['leverage'],
        input: risk.leverage,
        message: `expected a leverage ≤ risk.maxLeverage (${risk.maxLeverage})`,
      });
    }
  });

const exitsSchema = z
  .strictObject({
    profile: z.enum(['STANDARD_LADDER']).default('STANDARD_LADDER'),
    stopLossPct: positive().lt(1).default(0.02),
  })
  .readonly();

const exchangeSchema = z
  .strictObject({
    slippageBps: z.number().gte(0).lt(10_000).default(2),
    intrabar: z.enum(['conservative', 'ohlc', 'olhc']).default('conservative'),
    /** Perpetuals: a constant funding rate settled every 8 h (00:00, 08:00, 16:00 UTC); none by default. */
    fundingRate: z.number().gt(-0.1).lt(0.1).optional(),
  })
  .readonly();

const gbdtParamsSchema = z
  .strictObject({
    trees: positiveInt().optional(),
    maxDepth: positiveInt().lte(12).optional(),
    learningRate: positive().lte(1).optional(),
    minLeafRows: positiveInt().optional(),
  })
  .readonly();

const logisticParamsSchema = z
  .strictObject({
    l2: z.number().gte(0).optional(),
    maxIterations: positiveInt().optional(),
  })
  .readonly();

/** The continuous-learning module (opt-in): see docs/clm.md. */
const clmSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    trainer: z.enum(['gbdt', 'logistic']).default('gbdt'),
    gbdt: gbdtParamsSchema.prefault({}),
    logistic: logisticParamsSchema.prefault({}),
    schedule: z
      .strictObject({
        firstRunDelayHours: positive().default(1),
        intervalHours: positive().default(168),
        minSamples: z.number().int().gte(0).default(100),
      })
      .readonly()
      .prefault({}),
    gate: z
      .strictObject({
        metric: z.enum(['auc', 'logLoss', 'accuracy', 'brier', 'pnl']).default('auc'),
      })
      .readonly()
      .prefault({}),
    serving: z
      .strictObject({
        mode: z.enum(['champion', 'ensemble']).default('champion'),
        k: positiveInt().lte(10).default(3),
      })
      .readonly()
      .prefault({}),
    registry: z
      .strictObject({
        keep: positiveInt().default(10),
      })
      .readonly()
      .prefault({}),
  })
  .readonly();

const dataSchema = z
  .strictObject({
    files: z.array(z.string().min(1)).min(1).readonly().optional(),
  })
  .readonly();

/**
 * The zod schema of the runner's configuration. Every field is optional and has a default; unknown keys are refused.
 * See docs/configuration.md for the meaning of each field.
 *
 * @example
 * ```ts
 * import { runnerConfigSchema } from '@quantum-trader/runner';
 *
 * const config = runnerConfigSchema.parse({ symbols: ['BTC/USDT'], risk: { maxNotionalPerTrade: 500 } });
 * config.risk.maxLeverage; // 10
 * ```
 */
export const runnerConfigSchema = z
  .strictObject({
    mode: z.literal('paper').default('paper'),
    symbols: z
      .array(z.string().regex(SYMBOL, { error: 'expected a ccxt unified symbol such as "BTC/USDT"' }))
      .min(1)
      .readonly()
      .default([...DEFAULT_SYMBOLS]),
    marketType: z.enum(['linear', 'spot']).default('linear'),
    timeframe: z.enum(TIMEFRAMES).default('5m'),
    data: dataSchema.prefault({}),
    from: isoDate.optional(),
    to: isoDate.optional(),
    initialBalance: positive().default(10_000),
    strategy: strategySchema.prefault({}),
    cycleSeconds: positiveInt().default(60),
    portfolioSyncSeconds: positiveInt().default(30),
    risk: riskSchema.prefault({}),
    exits: exitsSchema.prefault({}),
    exchange: exchangeSchema.prefault({}),
    clm: clmSchema.prefault({}),
    /** `run --live` only: the venue settings (flags override them); see docs/configuration.md. */
    live: liveConfigSchema.optional(),
    db: z.string().min(1).default('.quantum-trader/paper.sqlite'),
    logDir: z.string().min(1).default('.quantum-trader/logs'),
    logLevel: z.enum(LOG_LEVELS).default('info'),
  })
  .readonly()
  .superRefine((config, ctx) => {
    // Refinements also run when fields failed their own checks, so every value is re-checked before use.
    const seen = new Map<string, number>();
    const symbols: readonly unknown[] = Array.isArray(config.symbols) ? config.symbols : [];
    symbols.forEach((symbol, i) => {
      if (typeof symbol !== 'string') return;
      if (config.marketType === 'spot' && symbol.includes(':')) {
        ctx.addIssue({
          code: 'custom',
          path: ['symbols', i],
          input: symbol,
          message: `expected a spot symbol without ":SETTLE" (marketType is "spot"), such as "${symbol.split(':')[0]}"`,
        });
      }
      const key = symbol.split(':')[0]!;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['symbols', i],
          input: symbol,
          message: `expected each symbol once (symbols[${first}] is the same market)`,
        });
      } else {
        seen.set(key, i);
      }
    });
    const from = typeof config.from === 'string' ? isoDateToMillis(config.from) : undefined;
    const to = typeof config.to === 'string' ? isoDateToMillis(config.to) : undefined;
    if (from !== undefined && to !== undefined) {
      if (!(to > from)) {
        ctx.addIssue({ code: 'custom', path: ['to'], input: config.to, message: `expected a date after from (${config.from})` });
      }
    }
    const exchange: unknown = config.exchange;
    const fundingRate = typeof exchange === 'object' && exchange !== null ? (exchange as { fundingRate?: unknown }).fundingRate : undefined;
    if (config.marketType === 'spot' && typeof fundingRate === 'number') {
      ctx.addIssue({
        code: 'custom',
        path: ['exchange', 'fundingRate'],
        input: fundingRate,
        message: 'expected no funding rate on spot (marketType is "spot"; funding is paid on perpetuals)',
      });
    }
  });

/**
 * The validated runner configuration, with every default filled in. Deeply read-only (frozen at run time).
 *
 * @example
 * ```ts
 * import { loadConfig, type RunnerConfig } from '@quantum-trader/runner';
 *
 * const config: RunnerConfig = loadConfig('quantum-trader.json');
 * ```
 */
export type RunnerConfig = z.output<typeof runnerConfigSchema>;

/**
 * What a config file (or an override object) may contain: {@link RunnerConfig} with every field optional.
 *
 * @example
 * ```ts
 * import type { RunnerConfigInput } from '@quantum-trader/runner';
 *
 * const overrides: RunnerConfigInput = { symbols: ['ETH/USDT'], risk: { leverage: 2 } };
 * ```
 */
export type RunnerConfigInput = z.input<typeof runnerConfigSchema>;

/**
 * The configuration used when no file and no flag says otherwise.
 *
 * @example
 * ```ts
 * import { defaultConfig } from '@quantum-trader/runner';
 *
 * defaultConfig.risk.maxNotionalPerTrade; // 1000
 * ```
 */
export const defaultConfig: RunnerConfig = runnerConfigSchema.parse({});
