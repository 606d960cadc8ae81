import {
  AverageTrueRange,
  ExponentialMovingAverage,
  RateOfChange,
  RealizedVolatility,
  RelativeStrengthIndex,
  RollingStdDev,
  SimpleMovingAverage,
  type Candle,
} from '@quantum-trader/core';
import type { WindowedFeatureKind } from './feature-spec.js';

/**
 * One streaming source of a feature value for one symbol: fed every closed candle, it holds the latest value
 * (NaN until warm). Each one is a thin shell over a core indicator, so training and serving share the very
 * same arithmetic.
 *
 * @internal
 */
export interface FeatureCalculator {
  update(c: Candle): void;
  readonly value: number;
}

class Ret implements FeatureCalculator {
  private readonly roc: RateOfChange;
  value = Number.NaN;
  constructor(n: number) {
    this.roc = new RateOfChange(n);
  }
  update(c: Candle): void {
    this.value = this.roc.update(c.close);
  }
}

class Vol implements FeatureCalculator {
  private readonly rv: RealizedVolatility;
  value = Number.NaN;
  constructor(n: number) {
    this.rv = new RealizedVolatility(n);
  }
  update(c: Candle): void {
    this.value = this.rv.update(c.close);
  }
}

class Rsi implements FeatureCalculator {
  private readonly rsi: RelativeStrengthIndex;
  value = Number.NaN;
  constructor(n: number) {
    this.rsi = new RelativeStrengthIndex(n);
  }
  update(c: Candle): void {
    this.value = this.rsi.update(c.close) / 100;
  }
}

class AtrPct implements FeatureCalculator {
  private readonly atr: AverageTrueRange;
  value = Number.NaN;
  constructor(n: number) {
    this.atr = new AverageTrueRange(n);
  }
  update(c: Candle): void {
    this.value = this.atr.update(c.high, c.low, c.close) / c.close;
  }
}

class VolumeZ implements FeatureCalculator {
  private readonly sd: RollingStdDev;
  value = Number.NaN;
  constructor(n: number) {
    this.sd = new RollingStdDev(n);
  }
  update(c: Candle): void {
    const s = this.sd.update(c.volume);
    // A window of identical volumes has no spread: the candle is exactly average.
    this.value = Number.isNaN(s) ? s : s > 0 ? (c.volume - this.sd.mean) / s : 0;
  }
}

class DistSma implements FeatureCalculator {
  private readonly sma: SimpleMovingAverage;
  value = Number.NaN;
  constructor(n: number) {
    this.sma = new SimpleMovingAverage(n);
  }
  update(c: Candle): void {
    this.value = c.close / this.sma.update(c.close) - 1;
  }
}

class DistEma implements FeatureCalculator {
  private readonly ema: ExponentialMovingAverage;
  value = Number.NaN;
  constructor(n: number) {
    this.ema = new ExponentialMovingAverage(n);
  }
  update(c: Candle): void {
    this.value = c.close / this.ema.update(c.close) - 1;
  }
}

/** Where the close sits in the high–low range of the last `n` candles (0 = at the low, 1 = at the high). */
class RangePos implements FeatureCalculator {
  // Monotonic deques of candle indices (ring buffers of capacity n): maxima of highs, minima of lows.
  private readonly hiIdx: Int32Array;
  private readonly hiVal: Float64Array;
  private readonly loIdx: Int32Array;
  private readonly loVal: Float64Array;
  private hiHead = 0;
  private hiLen = 0;
  private loHead = 0;
  private loLen = 0;
  private count = 0;
  value = Number.NaN;

  constructor(private readonly n: number) {
    this.hiIdx = new Int32Array(n);
    this.hiVal = new Float64Array(n);
    this.loIdx = new Int32Array(n);
    this.loVal = new Float64Array(n);
  }

  update(c: Candle): void {
    const n = this.n;
    const i = this.count++;
    // Drop entries that left the window, then those the new candle dominates.
    while (this.hiLen > 0 && this.hiIdx[this.hiHead]! <= i - n) {
      this.hiHead = (this.hiHead + 1) % n;
      this.hiLen--;
    }
    while (this.hiLen > 0 && this.hiVal[(this.hiHead + this.hiLen - 1) % n]! <= c.high) this.hiLen--;
    const hs = (this.hiHead + this.hiLen) % n;
    this.hiIdx[hs] = i;
    this.hiVal[hs] = c.high;
    this.hiLen++;
    while (this.loLen > 0 && this.loIdx[this.loHead]! <= i - n) {
      this.loHead = (this.loHead + 1) % n;
      this.loLen--;
    }
    while (this.loLen > 0 && this.loVal[(this.loHead + this.loLen - 1) % n]! >= c.low) this.loLen--;
    const ls = (this.loHead + this.loLen) % n;
    this.loIdx[ls] = i;
    this.loVal[ls] = c.low;
    this.loLen++;
    if (this.count < n) {
      this.value = Number.NaN;
      return;
    }
    const hi = this.hiVal[this.hiHead]!;
    const lo = this.loVal[this.loHead]!;
    this.value = hi > lo ? (c.close - lo) / (hi - lo) : 0.5;
  }
}

/**
 * Creates the calculator of a windowed kind (`sret` shares `ret`'s calculator: the sign is applied on read).
 *
 * @internal
 */
export function createCalculator(kind: Exclude<WindowedFeatureKind, 'sret'>, window: number): FeatureCalculator {
  switch (kind) {
    case 'ret':
      return new Ret(window);
    case 'vol':
      return new Vol(window);
    case 'rsi':
      return new Rsi(window);
    case 'atrpct':
      return new AtrPct(window);
    case 'volz':
      return new VolumeZ(window);
    case 'distsma':
      return new DistSma(window);
    case 'distema':
      return new DistEma(window);
    case 'rangepos':
      return new RangePos(window);
  }
}
