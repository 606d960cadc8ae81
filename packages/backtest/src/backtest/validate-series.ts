import { QuantumTraderError, TIMEFRAME_MS, type Candle, type Timeframe } from '@quantum-trader/core';

/**
 * Checks one symbol's candles before they are used: not empty, finite numbers, a valid OHLC (`low ≤ open, close ≤
 * high`, `low > 0`, `volume ≥ 0`) and strictly increasing open times. Throws `DATA_INVALID` naming the symbol,
 * the candle and what is wrong.
 *
 * @internal
 */
export function validateSeries(symbol: string, candles: readonly Candle[], what = 'candles'): void {
  if (candles.length === 0) {
    throw new QuantumTraderError('DATA_INVALID', `${symbol}: no ${what} (empty data); pass at least one candle per symbol`);
  }
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    const { ts, open, high, low, close, volume } = c;
    if (![ts, open, high, low, close, volume].every(Number.isFinite)) {
      throw new QuantumTraderError('DATA_INVALID', `${symbol}: ${what} ${i} (ts ${ts}) has a value that is not a finite number`);
    }
    if (!(ts > prev)) {
      throw new QuantumTraderError(
        'DATA_INVALID',
        `${symbol}: ${what} are not sorted by time: ${what} ${i} (${iso(ts)}) does not come after ${what} ${i - 1} (${iso(prev)}); sort them by ts and remove duplicates`,
      );
    }
    if (!(low <= open && open <= high && low <= close && close <= high) || !(low > 0) || !(volume >= 0)) {
      throw new QuantumTraderError(
        'DATA_INVALID',
        `${symbol}: ${what} ${i} (${iso(ts)}) is not a valid OHLCV candle (open ${open}, high ${high}, low ${low}, close ${close}, volume ${volume}); expected low ≤ open, close ≤ high, low > 0, volume ≥ 0`,
      );
    }
    prev = ts;
  }
}

/**
 * The timeframe of sorted candles: the smallest step between two of them, which must be one of the engine's
 * timeframes. Throws `DATA_INVALID` otherwise, or if `expected` is given and differs.
 *
 * @internal
 */
export function timeframeOf(symbol: string, candles: readonly Candle[], expected?: Timeframe): Timeframe {
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < candles.length; i++) step = Math.min(step, candles[i]!.ts - candles[i - 1]!.ts);
  if (!Number.isFinite(step)) {
    if (expected !== undefined) return expected;
    throw new QuantumTraderError(
      'DATA_INVALID',
      `${symbol}: a single candle does not tell the timeframe; pass more candles or set timeframe`,
    );
  }
  const found = (Object.keys(TIMEFRAME_MS) as Timeframe[]).find((tf) => TIMEFRAME_MS[tf] === step);
  if (found === undefined) {
    throw new QuantumTraderError(
      'DATA_INVALID',
      `${symbol}: candles are ${step / 1000} s apart, which is no supported timeframe (${Object.keys(TIMEFRAME_MS).join(', ')})`,
    );
  }
  if (expected !== undefined && found !== expected) {
    throw new QuantumTraderError(
      'DATA_INVALID',
      `${symbol}: candles are ${found} apart but timeframe is ${expected}; pass ${expected} candles or set timeframe to ${found}`,
    );
  }
  return found;
}

/**
 * Throws `DATA_INVALID` at the first gap (a step longer than the timeframe) of sorted candles, naming the missing
 * span and how to get around it.
 *
 * @internal
 */
export function assertNoGaps(symbol: string, candles: readonly Candle[], tfMs: number): void {
  for (let i = 1; i < candles.length; i++) {
    const a = candles[i - 1]!.ts;
    const b = candles[i]!.ts;
    if (b - a > tfMs) {
      const missing = Math.round((b - a) / tfMs) - 1;
      throw new QuantumTraderError(
        'DATA_INVALID',
        `${symbol}: gap in the data: ${missing} candle${missing === 1 ? '' : 's'} missing between ${iso(a)} and ${iso(b)} UTC; ` +
          `choose from/to around it, or pass allowGaps: true to trade through it (orders then wait for the next candle)`,
      );
    }
  }
}

/** A time as `YYYY-MM-DD HH:mm` UTC. @internal */
export function iso(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts).toISOString().slice(0, 16).replace('T', ' ') : String(ts);
}
