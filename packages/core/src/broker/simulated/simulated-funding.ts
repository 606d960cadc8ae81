import { QuantumTraderError } from '../../errors/quantum-trader-error.js';
import type { Candle } from '../../model/candle.js';
import type { SymbolId, UnixMillis } from '../../model/ids.js';
import type { FundingPayment } from '../../model/orders.js';

/**
 * One funding rate of a perpetual: at `ts` every open position pays (rate > 0: longs pay shorts) or receives
 * `|qty| × price × rate`.
 *
 * @example
 * ```ts
 * const rate: FundingRate = { ts: Date.UTC(2021, 3, 1, 8), rate: 0.0001 }; // 0.01 % at 08:00 UTC
 * ```
 */
export interface FundingRate {
  readonly ts: UnixMillis;
  readonly rate: number;
}

export type { FundingPayment };

/**
 * The funding-rate series of every symbol and how far each has been settled.
 *
 * @internal
 */
export class FundingSchedule {
  private readonly rates = new Map<SymbolId, readonly FundingRate[]>();
  private readonly next = new Map<SymbolId, number>();

  constructor(series: Readonly<Record<string, readonly FundingRate[]>>, known: ReadonlySet<SymbolId>) {
    for (const [symbol, list] of Object.entries(series)) {
      const s = symbol as SymbolId;
      if (!known.has(s)) {
        throw new QuantumTraderError(
          'UNKNOWN_SYMBOL',
          `SimulatedExchange: fundingRates lists ${symbol}, which is not among the instruments (${[...known].join(', ')})`,
        );
      }
      for (let i = 0; i < list.length; i++) {
        const r = list[i]!;
        if (!(Number.isFinite(r.ts) && Number.isFinite(r.rate))) {
          throw new QuantumTraderError(
            'CONFIG_INVALID',
            `SimulatedExchange: fundingRates of ${symbol}[${i}] must have a finite ts and rate, got ts=${r.ts} rate=${r.rate}`,
          );
        }
        if (i > 0 && !(r.ts > list[i - 1]!.ts)) {
          throw new QuantumTraderError(
            'CONFIG_INVALID',
            `SimulatedExchange: fundingRates of ${symbol} must be sorted by time without duplicates: entry ${i} (ts ${r.ts}) does not come after entry ${i - 1} (ts ${list[i - 1]!.ts})`,
          );
        }
      }
      this.rates.set(s, list);
      this.next.set(s, 0);
    }
  }

  /** True if the symbol has a funding series. */
  has(symbol: SymbolId): boolean {
    return this.rates.has(symbol);
  }

  /**
   * Calls `pay(rate)` for every funding time `t` not settled yet with `t ≤ candle.ts` (the first candle that opens
   * at or after the funding time settles it, at its open).
   */
  settle(symbol: SymbolId, candle: Candle, pay: (rate: FundingRate) => void): void {
    const list = this.rates.get(symbol);
    if (list === undefined) return;
    let i = this.next.get(symbol)!;
    while (i < list.length && list[i]!.ts <= candle.ts) pay(list[i++]!);
    this.next.set(symbol, i);
  }

  /**
   * Time of the next rate of `symbol` that is not settled yet (`Infinity` when none is left, or the symbol has no
   * series): the first candle whose open time reaches it settles it.
   */
  dueAt(symbol: SymbolId): number {
    const list = this.rates.get(symbol);
    const i = this.next.get(symbol);
    return list === undefined || i === undefined || i >= list.length ? Number.POSITIVE_INFINITY : list[i]!.ts;
  }

  /** Time of the last funding settled per symbol (for state export). */
  settledUpTo(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [symbol, i] of this.next) if (i > 0) out[symbol] = this.rates.get(symbol)![i - 1]!.ts;
    return out;
  }

  /** Restores what {@link settledUpTo} returned. */
  restore(settled: Readonly<Record<string, number>> | undefined): void {
    for (const [symbol, list] of this.rates) {
      const upTo = settled?.[symbol];
      let i = 0;
      if (upTo !== undefined) while (i < list.length && list[i]!.ts <= upTo) i++;
      this.next.set(symbol, i);
    }
  }
}
