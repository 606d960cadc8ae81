import type { Candle, FundingRate, Instrument, IntrabarMode, Strategy, Timeframe, UnixMillis } from '@quantum-trader/core';
import type { ExitBrainOptions } from '@quantum-trader/exit-brain';

/**
 * The candles of one symbol, oldest first. `symbol` is a ccxt symbol: `BTC/USDT` (traded as the perpetual
 * `BTC/USDT:USDT` unless `marketType: 'spot'`) or `BTC/USDT:USDT`.
 *
 * @example
 * ```ts
 * const btc: BacktestSeries = { symbol: 'BTC/USDT', candles: loadCandlesCsv('btc-5m.csv') };
 * ```
 */
export interface BacktestSeries {
  readonly symbol: string;
  readonly candles: readonly Candle[];
}

/**
 * Which strategy to run: a registered name (`'momentum'`), a name with parameters, or a `Strategy` object
 * (objects cannot be swept: sweeps and walk-forward need a name).
 *
 * @example
 * ```ts
 * const choice: StrategyChoice = { name: 'momentum', params: { lookbackHours: 12, longThreshold: 0.02 } };
 * ```
 */
export type StrategyChoice =
  | string
  | { readonly name: string; readonly params?: Readonly<Record<string, number>> }
  | Strategy;

/**
 * Risk limits, the same as the runner's `risk` config (defaults in brackets): max notional per trade [$1000], max
 * leverage [10], leverage of new positions [1], max open positions across symbols [3], cooldown after a close
 * [60 min], daily loss limit [$300].
 *
 * @example
 * ```ts
 * const risk: BacktestRiskOptions = { maxNotionalPerTrade: 500, leverage: 2 };
 * ```
 */
export interface BacktestRiskOptions {
  readonly maxNotionalPerTrade?: number;
  readonly maxLeverage?: number;
  readonly leverage?: number;
  readonly maxOpenPositions?: number;
  readonly cooldownMinutes?: number;
  readonly dailyLossLimit?: number;
}

/** Progress of a running backtest, in virtual time. */
export interface BacktestProgress {
  readonly now: UnixMillis;
  readonly from: UnixMillis;
  readonly to: UnixMillis;
  /** 0..1 */
  readonly fraction: number;
  readonly trades: number;
  readonly equity: number;
}

/**
 * Everything a backtest needs. Only `data` is required; the rest defaults to the reference bot's settings
 * (momentum 24 h ±1 %, $1000 per trade, STANDARD_LADDER exits, Binance fees, 2 bps slippage, conservative
 * intrabar path).
 *
 * @example
 * ```ts
 * const options: BacktestOptions = {
 *   data: [{ symbol: 'BTC/USDT', candles }],
 *   from: '2021-04-26', to: '2021-05-13',
 *   strategy: { name: 'momentum', params: { lookbackHours: 24 } },
 *   risk: { maxNotionalPerTrade: 1000 },
 *   slippage: { bps: 2, impactBps: 50 },
 * };
 * ```
 */
export interface BacktestOptions {
  /** One series per symbol; the portfolio trades them all on one shared balance. */
  readonly data: readonly BacktestSeries[];
  /** Candle timeframe; inferred from the data when left out. */
  readonly timeframe?: Timeframe;
  /**
   * First candle to trade (Unix ms or ISO date, UTC). Candles before it warm the strategy up. Default: the first
   * candle (the strategy then warms up on the first candles of the run).
   */
  readonly from?: UnixMillis | string;
  /** Trade candles that open before this time (Unix ms or ISO date). Default: to the end of the data. */
  readonly to?: UnixMillis | string;
  /** `linear` (default): trade USDⓈ-M perpetuals on the given candles; `spot`: long-only spot. */
  readonly marketType?: 'linear' | 'spot';
  /** Market rules; default: the built-in Binance rules of each symbol. */
  readonly instruments?: readonly Instrument[];
  /** Starting balance in the quote currency (default 10 000). */
  readonly initialBalance?: number;
  /** Default `'momentum'`. */
  readonly strategy?: StrategyChoice;
  readonly risk?: BacktestRiskOptions;
  /** Exit Brain options (default STANDARD_LADDER, 2 % stop), or `false` for no exit manager. */
  readonly exits?: ExitBrainOptions | false;
  /** Override the instruments' maker/taker fee rates (fractions: 0.0004 = 4 bps). */
  readonly fees?: { readonly maker?: number; readonly taker?: number };
  /**
   * Slippage of market-like fills: fixed `bps` (default 2) plus `impactBps × participation^exponent` when
   * `impactBps` is given (the volume-participation model; exponent default 0.5).
   */
  readonly slippage?: { readonly bps?: number; readonly impactBps?: number; readonly exponent?: number };
  /** Order arrival latency in ms (default 0). */
  readonly latencyMs?: number;
  /** At most this fraction of a candle's volume fills per candle and symbol (default: no cap). */
  readonly maxVolumeParticipation?: number;
  /** Intrabar path of ambiguous candles (default `'conservative'`). */
  readonly intrabar?: IntrabarMode;
  /** Finer candles (e.g. 1m for a 5m run) that resolve ambiguous candles; symbols as in `data`. */
  readonly refine?: readonly BacktestSeries[];
  /** Funding-rate series per symbol (perpetuals only), keyed as in `data`. */
  readonly fundingRates?: Readonly<Record<string, readonly FundingRate[]>>;
  /** The autonomous cycle, in seconds of market time (default 60, like the live bot). */
  readonly cycleSeconds?: number;
  /**
   * The Portfolio Intelligence sync (valuation snapshots in the journal), in seconds of market time (default 30,
   * like the live bot). It changes neither trading nor the equity curve, which is sampled after every candle.
   */
  readonly portfolioSyncSeconds?: number;
  /** Accept gaps (missing candles) in the traded range; by default a gap is an error naming it. */
  readonly allowGaps?: boolean;
  /** Called about once per simulated day. */
  readonly onProgress?: (progress: BacktestProgress) => void;
  /**
   * Quiet runs (default `true`): stretches of candles on which no order can fill, no exit leg moves and no strategy
   * would signal are handed to the engine at once instead of one event per candle. The results are the same either
   * way (the test suite compares them event for event); `false` makes every candle an event, to check that or to
   * time the per-candle path.
   */
  readonly quietRuns?: boolean;
}
