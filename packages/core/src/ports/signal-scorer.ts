import type { Candle } from '../model/candle.js';
import type { SignalGenerated } from '../model/events.js';
import type { SymbolId } from '../model/ids.js';
import type { MaybePromise } from './maybe-promise.js';

/** A model's verdict on one signal. */
export interface SignalScore {
  /** Probability (0..1) that the trade this signal leads to ends in profit. */
  readonly probability: number;
  /** Whether the signal may go on to risk. */
  readonly accept: boolean;
  /** The model (version) that scored it, e.g. `v7` or `ensemble(v5,v6,v7)`. */
  readonly model: string;
}

/**
 * The signal-scorer plugin port (the CLM's ONNX scorer implements it): it sees every closed candle, so it can
 * keep the same features it was trained on, and scores each signal before risk. A refused signal becomes an
 * `OrderDenied` with rule `model-filter`.
 *
 * @example
 * ```ts
 * const coinFlip: SignalScorer = { onCandle() {}, score: () => ({ probability: 0.5, accept: true, model: 'none' }) };
 * ```
 */
export interface SignalScorer {
  onCandle(symbol: SymbolId, candle: Candle): void;
  score(signal: SignalGenerated): MaybePromise<SignalScore>;
}
