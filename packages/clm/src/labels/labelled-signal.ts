import type { PositionSide, SymbolId, UnixMillis } from '@quantum-trader/core';

/**
 * One signal with its outcome: what the trade it led to (or would have led to) returned.
 *
 * @example
 * ```ts
 * const s: LabelledSignal = { symbol, decidedAt: 1_617_235_500_000, direction: 'long', ret: 0.011, exitTs: 1_617_300_000_000 };
 * const win = s.ret > 0;
 * ```
 */
export interface LabelledSignal {
  readonly symbol: SymbolId;
  /** Close time of the last candle the signal saw: features are read as of this time. */
  readonly decidedAt: UnixMillis;
  readonly direction: PositionSide;
  /** Net return on the entry notional after fees (the label is `ret > 0`). */
  readonly ret: number;
  /** When the position was flat again. */
  readonly exitTs: UnixMillis;
}
