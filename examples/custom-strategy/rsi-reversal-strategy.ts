import {
  RelativeStrengthIndex,
  strategyId,
  type Candle,
  type Strategy,
  type StrategyDecision,
  type SymbolId,
} from '@quantum-trader/core';

/** Parameters of the example RSI mean-reversion strategy. */
export interface RsiReversalParams {
  readonly period?: number;
  readonly oversold?: number;
  readonly overbought?: number;
}

/**
 * An example Strategy plugin: LONG when RSI(14) is oversold (< 30), SHORT when overbought (> 70).
 * A strategy keeps streaming indicator state per symbol, fed with every closed candle, and answers `evaluate`
 * when the autonomous cycle asks. It never reads the clock or the network, so it runs unchanged in backtests,
 * paper and live.
 */
export function rsiReversalStrategy(params: RsiReversalParams = {}): Strategy {
  const period = params.period ?? 14;
  const oversold = params.oversold ?? 30;
  const overbought = params.overbought ?? 70;
  const rsi = new Map<SymbolId, RelativeStrengthIndex>();
  return {
    id: strategyId(`rsi-reversal-${period}`),
    warmupCandles: period + 1,
    onCandle(symbol: SymbolId, candle: Candle): void {
      let r = rsi.get(symbol);
      if (r === undefined) rsi.set(symbol, (r = new RelativeStrengthIndex(period)));
      r.update(candle.close);
    },
    evaluate(symbol: SymbolId): StrategyDecision | undefined {
      const v = rsi.get(symbol)?.value;
      if (v === undefined || Number.isNaN(v)) return undefined;
      if (v < oversold) return { direction: 'long', strength: (oversold - v) / oversold, reason: `RSI ${v.toFixed(1)} < ${oversold}` };
      if (v > overbought) return { direction: 'short', strength: (v - overbought) / (100 - overbought), reason: `RSI ${v.toFixed(1)} > ${overbought}` };
      return undefined;
    },
  };
}
