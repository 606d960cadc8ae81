import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import { RateOfChange } from '../indicators/rate-of-change.js';
import { TIMEFRAME_MS, type Candle, type CandleColumns, type Timeframe } from '../model/candle.js';
import { strategyId, type SymbolId, type UnixMillis } from '../model/ids.js';
import type { Strategy, StrategyDecision } from './strategy.js';

/** Parameters of {@link momentumStrategy}. */
export interface MomentumParams {
  /** Look-back of the momentum in hours (default 24). */
  readonly lookbackHours?: number;
  /** LONG when momentum is above this fraction (default +0.01 = +1 %). */
  readonly longThreshold?: number;
  /** SHORT when momentum is below this fraction (default -0.01 = -1 %). */
  readonly shortThreshold?: number;
  /** Timeframe of the candles the strategy is fed (default 5m). */
  readonly timeframe?: Timeframe;
  /** Strategy id (default `momentum-24h`). */
  readonly id?: string;
}

/**
 * The default strategy: 24 h momentum = last close / close 24 h earlier − 1 (a rate of change over
 * `lookbackHours × candles per hour` candles). LONG above +1 %, SHORT below −1 %, nothing in between.
 *
 * @example
 * ```ts
 * const strategy = momentumStrategy({ timeframe: '5m' }); // 288-candle rate of change
 * strategy.onCandle(symbol, candle);
 * strategy.evaluate(symbol, now); // { direction: 'long', strength: 0.034, reason: '24h momentum +3.40% > +1.00%' }
 * ```
 */
export function momentumStrategy(params: MomentumParams = {}): Strategy {
  const lookbackHours = params.lookbackHours ?? 24;
  const longThreshold = params.longThreshold ?? 0.01;
  const shortThreshold = params.shortThreshold ?? -0.01;
  const timeframe = params.timeframe ?? '5m';
  if (!(lookbackHours > 0)) {
    throw new QuantumTraderError(
      'PARAMETER_OUT_OF_RANGE',
      `momentum: lookbackHours must be > 0, got ${String(lookbackHours)}`,
    );
  }
  if (!(longThreshold > 0) || !(shortThreshold < 0)) {
    throw new QuantumTraderError(
      'PARAMETER_OUT_OF_RANGE',
      `momentum: expected longThreshold > 0 > shortThreshold, got longThreshold=${longThreshold} shortThreshold=${shortThreshold}`,
    );
  }
  const period = Math.max(1, Math.round((lookbackHours * 3_600_000) / TIMEFRAME_MS[timeframe]));
  const rocs = new Map<SymbolId, RateOfChange>();
  // One-entry cache: candles of one symbol usually arrive one after another, and a lookup per candle adds up.
  let lastSymbol: SymbolId | undefined;
  let lastRoc: RateOfChange | undefined;
  const label = `${lookbackHours}h momentum`;
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;
  const longShown = pct(longThreshold);
  const shortShown = pct(shortThreshold);
  const rocOf = (symbol: SymbolId): RateOfChange => {
    let roc = lastRoc;
    if (symbol !== lastSymbol || roc === undefined) {
      roc = rocs.get(symbol);
      if (roc === undefined) {
        roc = new RateOfChange(period);
        rocs.set(symbol, roc);
      }
      lastSymbol = symbol;
      lastRoc = roc;
    }
    return roc;
  };
  return {
    id: strategyId(params.id ?? `momentum-${lookbackHours}h`),
    warmupCandles: period + 1,
    onCandle(symbol: SymbolId, candle: Candle): void {
      rocOf(symbol).update(candle.close);
    },
    quietUntil(symbol: SymbolId, candles: CandleColumns, from: number, to: number, scanFrom?: number): number {
      return rocOf(symbol).firstBeyond(candles.close, from, to, shortThreshold, longThreshold, scanFrom);
    },
    absorb(symbol: SymbolId, candles: CandleColumns, from: number, to: number): void {
      rocOf(symbol).updateMany(candles.close, from, to);
    },
    evaluate(symbol: SymbolId, _now: UnixMillis): StrategyDecision | undefined {
      const m = rocs.get(symbol)?.value;
      if (m === undefined || Number.isNaN(m)) return undefined;
      if (m > longThreshold) return { direction: 'long', strength: m, reason: `${label} ${pct(m)} > ${longShown}` };
      if (m < shortThreshold) return { direction: 'short', strength: m, reason: `${label} ${pct(m)} < ${shortShown}` };
      return undefined;
    },
  };
}
