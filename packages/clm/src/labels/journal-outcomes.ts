import { TIMEFRAME_MS, type PositionRow, type Timeframe } from '@quantum-trader/core';
import type { LabelledSignal } from './labelled-signal.js';

/**
 * Labels from the bot's own results: one sample per closed position in the journal, labelled with its realised
 * return (net of fees, on the largest notional it reached). The signal time comes from the position's intent id
 * (`strategy|symbol|candleTs|side`, see core's `intentIdOf`): features are read as of that candle's close. A
 * position without a parsable intent id is read as of one candle before it opened.
 *
 * @example
 * ```ts
 * const outcomes = journalOutcomes(await journal.positions({ status: 'closed' }), '5m');
 * ```
 */
export function journalOutcomes(positions: readonly PositionRow[], timeframe: Timeframe): LabelledSignal[] {
  const tf = TIMEFRAME_MS[timeframe];
  const out: LabelledSignal[] = [];
  for (const p of positions) {
    if (p.status !== 'closed' || p.closedAt === null || !(p.entryPrice > 0) || !(p.maxQty > 0)) continue;
    const candleTs = p.intentId === null ? Number.NaN : Number(String(p.intentId).split('|')[2]);
    const decidedAt = Number.isFinite(candleTs) ? candleTs + tf : p.openedAt - tf;
    out.push({
      symbol: p.symbol,
      decidedAt,
      direction: p.side,
      ret: p.realizedPnl / (p.entryPrice * p.maxQty),
      exitTs: p.closedAt,
    });
  }
  return out;
}
