import {
  binanceInstrument,
  QuantumTraderError,
  sliceCandles,
  symbolId,
  TIMEFRAME_MS,
  type Candle,
  type CandleRefinement,
  type FundingRate,
  type Instrument,
  type IntrabarMode,
  type Strategy,
  type SymbolId,
  type Timeframe,
  type UnixMillis,
} from '@quantum-trader/core';
import type { ExitBrainOptions } from '@quantum-trader/exit-brain';
import { resolveStrategy } from '../strategies/strategy-registry.js';
import type { BacktestOptions, StrategyChoice } from './backtest-options.js';
import { assertNoGaps, timeframeOf, validateSeries } from './validate-series.js';

/** A backtest with every option checked and every default filled in. @internal */
export interface ResolvedBacktest {
  readonly series: readonly { readonly symbol: SymbolId; readonly candles: readonly Candle[] }[];
  readonly timeframe: Timeframe;
  readonly tfMs: number;
  /** First traded candle's open time, and the end (exclusive) of the traded range. */
  readonly from: UnixMillis;
  readonly to: UnixMillis;
  readonly instruments: readonly Instrument[];
  readonly quote: string;
  readonly initialBalance: number;
  readonly strategy: Strategy;
  readonly strategyLabel: string;
  readonly strategyName: string | undefined;
  readonly strategyParams: Readonly<Record<string, number>>;
  readonly risk: Required<NonNullable<BacktestOptions['risk']>>;
  readonly exits: ExitBrainOptions | false;
  readonly slippageBps: number;
  readonly volumeSlippage: { readonly impactBps: number; readonly exponent: number } | undefined;
  readonly latencyMs: number;
  readonly maxVolumeParticipation: number | undefined;
  readonly intrabar: IntrabarMode;
  readonly refinement: CandleRefinement | undefined;
  readonly fundingRates: Readonly<Record<string, readonly FundingRate[]>> | undefined;
  readonly cycleMs: number;
  readonly portfolioSyncMs: number;
}

const DEFAULT_RISK = {
  maxNotionalPerTrade: 1000,
  maxLeverage: 10,
  leverage: 1,
  maxOpenPositions: 3,
  cooldownMinutes: 60,
  dailyLossLimit: 300,
} as const;

const OPTION_KEYS = [
  'data', 'timeframe', 'from', 'to', 'marketType', 'instruments', 'initialBalance', 'strategy', 'risk', 'exits', 'fees',
  'slippage', 'latencyMs', 'maxVolumeParticipation', 'intrabar', 'refine', 'fundingRates', 'cycleSeconds',
  'portfolioSyncSeconds', 'allowGaps', 'onProgress', 'quietRuns',
] as const;

function knownKeys(obj: object | undefined, allowed: readonly string[], where: string): void {
  if (obj === undefined || obj === null) return;
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new QuantumTraderError('CONFIG_INVALID', `backtest: ${where} has no option "${key}"; expected one of ${allowed.join(', ')}`);
    }
  }
}

/**
 * Validates backtest options (data, ranges, strategy and parameters, every number) and resolves the defaults.
 * Bad input throws a `QuantumTraderError` that names the option or the candle.
 *
 * @internal
 */
export function resolveBacktest(options: BacktestOptions, dataChecked = false): ResolvedBacktest {
  if (!Array.isArray(options.data) || options.data.length === 0) {
    throw new QuantumTraderError('DATA_INVALID', 'backtest: no data (empty data); pass data: [{ symbol, candles }, …] with at least one symbol');
  }
  knownKeys(options, OPTION_KEYS, 'backtest options');
  knownKeys(options.risk, Object.keys(DEFAULT_RISK), 'risk');
  knownKeys(options.fees, ['maker', 'taker'], 'fees');
  knownKeys(options.slippage, ['bps', 'impactBps', 'exponent'], 'slippage');
  const marketType = options.marketType ?? 'linear';
  if (marketType !== 'linear' && marketType !== 'spot') {
    throw new QuantumTraderError('CONFIG_INVALID', `backtest: marketType must be 'linear' or 'spot', got '${String(marketType)}'`);
  }
  const traded = (s: string): SymbolId => tradedSymbol(s, marketType);
  const seen = new Set<string>();
  let timeframe = options.timeframe;
  if (timeframe !== undefined && !Object.hasOwn(TIMEFRAME_MS, timeframe)) {
    throw new QuantumTraderError('CONFIG_INVALID', `backtest: timeframe must be one of ${Object.keys(TIMEFRAME_MS).join(', ')}, got '${String(timeframe)}'`);
  }
  for (const s of options.data) {
    if (typeof s?.symbol !== 'string' || s.symbol === '') {
      throw new QuantumTraderError('CONFIG_INVALID', 'backtest: every data entry needs a symbol, e.g. { symbol: "BTC/USDT", candles }');
    }
    if (seen.has(traded(s.symbol))) throw new QuantumTraderError('CONFIG_INVALID', `backtest: ${s.symbol} is given twice in data`);
    seen.add(traded(s.symbol));
    // A sweep checks the candles once, not once per combination.
    if (!dataChecked) validateSeries(s.symbol, s.candles ?? []);
    timeframe = timeframeOf(s.symbol, s.candles, timeframe);
  }
  const tf: Timeframe = timeframe!;
  const tfMs = TIMEFRAME_MS[tf];

  const fromOpt = timeOption('from', options.from);
  const toOpt = timeOption('to', options.to);
  if (fromOpt !== undefined && toOpt !== undefined && !(toOpt > fromOpt)) {
    throw new QuantumTraderError('CONFIG_INVALID', `backtest: to (${options.to}) must be after from (${options.from})`);
  }

  const { strategy, label, name, params } = buildStrategy(options.strategy ?? 'momentum', tf);
  // Enough history before `from` for the strategy and the kernel's 24 h volatility.
  const warmup = Math.max(strategy.warmupCandles, Math.round(86_400_000 / tfMs) + 1) * tfMs;
  const series = options.data.map((s) => {
    const candles = sliceCandles(s.candles, fromOpt === undefined ? undefined : fromOpt - warmup, toOpt);
    const tradedCandles = fromOpt === undefined ? candles : sliceCandles(candles, fromOpt);
    if (tradedCandles.length === 0) {
      throw new QuantumTraderError(
        'DATA_INVALID',
        `${s.symbol}: no candles between ${options.from ?? 'the start'} and ${options.to ?? 'the end'} (empty data in range); the data covers ${isoDay(s.candles[0]!.ts)} to ${isoDay(s.candles[s.candles.length - 1]!.ts)}`,
      );
    }
    if (options.allowGaps !== true && !dataChecked) assertNoGaps(s.symbol, candles, tfMs);
    return { symbol: traded(s.symbol), candles };
  });
  const from = Math.min(...series.map((s) => (fromOpt === undefined ? s.candles[0]!.ts : sliceCandles(s.candles, fromOpt)[0]!.ts)));
  const to = toOpt ?? Math.max(...series.map((s) => s.candles[s.candles.length - 1]!.ts)) + tfMs;

  const instruments = resolveInstruments(options, series.map((s) => s.symbol));
  const quotes = new Set(instruments.map((i) => i.quote));
  if (quotes.size !== 1) {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      `backtest: every symbol must share one quote currency for one shared balance, got ${[...quotes].join(', ')}`,
    );
  }

  const initialBalance = options.initialBalance ?? 10_000;
  positive('initialBalance', initialBalance);
  const risk = { ...DEFAULT_RISK, ...(options.risk ?? {}) };
  for (const key of Object.keys(risk) as (keyof typeof risk)[]) positive(`risk.${key}`, risk[key]);
  if (risk.leverage < 1 || risk.leverage > risk.maxLeverage) {
    range('risk.leverage', risk.leverage, `between 1 and risk.maxLeverage (${risk.maxLeverage})`);
  }
  if (!Number.isInteger(risk.maxOpenPositions)) range('risk.maxOpenPositions', risk.maxOpenPositions, 'a whole number > 0');
  for (const i of instruments) {
    if (i.contractType === 'linear' && risk.leverage > i.maxLeverage) {
      range('risk.leverage', risk.leverage, `at most ${i.symbol}'s maximum leverage ${i.maxLeverage}`);
    }
  }
  const exits = options.exits ?? {};
  if (exits !== false && exits.stopLossPct !== undefined && !(exits.stopLossPct > 0 && exits.stopLossPct < 1)) {
    range('exits.stopLossPct', exits.stopLossPct, 'a fraction between 0 and 1 (0.02 = 2 %)');
  }
  const slippageBps = options.slippage?.bps ?? 2;
  nonNegative('slippage.bps', slippageBps);
  const impactBps = options.slippage?.impactBps;
  const exponent = options.slippage?.exponent ?? 0.5;
  if (impactBps !== undefined) nonNegative('slippage.impactBps', impactBps);
  positive('slippage.exponent', exponent);
  const latencyMs = options.latencyMs ?? 0;
  nonNegative('latencyMs', latencyMs);
  const participation = options.maxVolumeParticipation;
  if (participation !== undefined && !(participation > 0 && participation <= 1)) {
    range('maxVolumeParticipation', participation, 'a fraction in (0, 1]');
  }
  const intrabar = options.intrabar ?? 'conservative';
  if (intrabar !== 'conservative' && intrabar !== 'ohlc' && intrabar !== 'olhc') {
    throw new QuantumTraderError('CONFIG_INVALID', `backtest: intrabar must be 'conservative', 'ohlc' or 'olhc', got '${String(intrabar)}'`);
  }
  const cycleSeconds = options.cycleSeconds ?? 60;
  positive('cycleSeconds', cycleSeconds);
  const portfolioSyncSeconds = options.portfolioSyncSeconds ?? 30;
  positive('portfolioSyncSeconds', portfolioSyncSeconds);

  return {
    series,
    timeframe: tf,
    tfMs,
    from,
    to,
    instruments,
    quote: instruments[0]!.quote,
    initialBalance,
    strategy,
    strategyLabel: label,
    strategyName: name,
    strategyParams: params,
    risk,
    exits,
    slippageBps,
    volumeSlippage: impactBps === undefined ? undefined : { impactBps, exponent },
    latencyMs,
    maxVolumeParticipation: participation,
    intrabar,
    refinement: resolveRefinement(options, tfMs, traded),
    fundingRates: resolveFunding(options, traded, marketType),
    cycleMs: cycleSeconds * 1000,
    portfolioSyncMs: portfolioSyncSeconds * 1000,
  };
}

function buildStrategy(
  choice: StrategyChoice,
  timeframe: Timeframe,
): { strategy: Strategy; label: string; name: string | undefined; params: Readonly<Record<string, number>> } {
  if (typeof choice === 'object' && choice !== null && 'evaluate' in choice) {
    return { strategy: choice, label: String(choice.id), name: undefined, params: {} };
  }
  const name = typeof choice === 'string' ? choice : choice?.name;
  if (typeof name !== 'string') {
    throw new QuantumTraderError('UNKNOWN_STRATEGY', 'backtest: strategy must be a name, { name, params } or a Strategy object');
  }
  const given = typeof choice === 'string' ? {} : (choice.params ?? {});
  const { definition, params } = resolveStrategy(name, given);
  const strategy = definition.create(params, { timeframe });
  const args = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ');
  return { strategy, label: args === '' ? name : `${name} ${args}`, name, params };
}

function resolveInstruments(options: BacktestOptions, symbols: readonly SymbolId[]): Instrument[] {
  const given = new Map((options.instruments ?? []).map((i) => [String(i.symbol), i]));
  return symbols.map((s) => {
    let inst = given.get(s);
    if (inst === undefined) {
      try {
        inst = binanceInstrument(s);
      } catch (err) {
        throw new QuantumTraderError(
          'UNKNOWN_SYMBOL',
          `backtest: no market rules for ${s}: pass them in instruments (tick size, lot step, fees …)`,
          { cause: err },
        );
      }
    }
    const fees = options.fees;
    if (fees?.maker !== undefined) nonNegative('fees.maker', fees.maker);
    if (fees?.taker !== undefined) nonNegative('fees.taker', fees.taker);
    return fees === undefined ? inst : { ...inst, makerFee: fees.maker ?? inst.makerFee, takerFee: fees.taker ?? inst.takerFee };
  });
}

function resolveRefinement(
  options: BacktestOptions,
  tfMs: number,
  traded: (s: string) => SymbolId,
): CandleRefinement | undefined {
  if (options.refine === undefined || options.refine.length === 0) return undefined;
  const candles: Record<string, readonly Candle[]> = {};
  let fineMs: number | undefined;
  for (const s of options.refine) {
    validateSeries(s.symbol, s.candles ?? [], 'refinement candles');
    const ms = TIMEFRAME_MS[timeframeOf(s.symbol, s.candles)];
    if (!(ms < tfMs && tfMs % ms === 0)) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `backtest: refinement candles of ${s.symbol} are ${ms / 60_000} min apart; they must be finer than the ${tfMs / 60_000} min candles and divide them (e.g. 1m for 5m)`,
      );
    }
    if (fineMs !== undefined && ms !== fineMs) {
      throw new QuantumTraderError('CONFIG_INVALID', 'backtest: all refinement candles must share one timeframe');
    }
    fineMs = ms;
    const symbol = traded(s.symbol);
    if (!options.data.some((d) => traded(d.symbol) === symbol)) {
      throw new QuantumTraderError('UNKNOWN_SYMBOL', `backtest: refinement candles are given for ${s.symbol}, which is not in data`);
    }
    candles[symbol] = s.candles;
  }
  return { candleMs: tfMs, fineMs: fineMs!, candles };
}

function resolveFunding(
  options: BacktestOptions,
  traded: (s: string) => SymbolId,
  marketType: 'linear' | 'spot',
): Readonly<Record<string, readonly FundingRate[]>> | undefined {
  if (options.fundingRates === undefined) return undefined;
  if (marketType === 'spot') {
    throw new QuantumTraderError('CONFIG_INVALID', 'backtest: fundingRates apply to perpetuals only; remove them or set marketType to linear');
  }
  const out: Record<string, readonly FundingRate[]> = {};
  for (const [symbol, rates] of Object.entries(options.fundingRates)) {
    if (!options.data.some((d) => traded(d.symbol) === traded(symbol))) {
      throw new QuantumTraderError('UNKNOWN_SYMBOL', `backtest: fundingRates are given for ${symbol}, which is not in data`);
    }
    out[traded(symbol)] = rates;
  }
  return out;
}

/** The symbol traded for a data symbol: the USDⓈ-M perpetual for linear markets. @internal */
export function tradedSymbol(symbol: string, marketType: 'linear' | 'spot'): SymbolId {
  if (marketType === 'spot' || symbol.includes(':')) return symbolId(symbol);
  return symbolId(`${symbol}:${symbol.split('/')[1] ?? ''}`);
}

function timeOption(name: string, value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = typeof value === 'number' ? value : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(t)) {
    throw new QuantumTraderError('CONFIG_INVALID', `backtest: ${name} must be Unix milliseconds or an ISO date such as "2021-04-26", got ${JSON.stringify(value)}`);
  }
  return t;
}

function positive(name: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) range(name, v, 'a number > 0');
}

function nonNegative(name: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) range(name, v, 'a number >= 0');
}

function range(name: string, v: unknown, expected: string): never {
  throw new QuantumTraderError('PARAMETER_OUT_OF_RANGE', `backtest: ${name} must be ${expected}, got ${String(v)}`);
}

function isoDay(ts: number): string {
  return new Date(ts).toISOString().slice(0, 16).replace('T', ' ');
}
