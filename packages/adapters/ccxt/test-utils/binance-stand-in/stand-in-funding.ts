import type { Candle, FundingPayment, FundingRate, SymbolId, UnixMillis } from '@quantum-trader/core';
import { dec } from './binance-json.js';
import { fail, ok, type Answer } from './stand-in-answers.js';

/** One `GET /fapi/v1/income` record, as Binance prints it. */
interface IncomeRecord {
  readonly symbol: string;
  readonly incomeType: 'FUNDING_FEE';
  readonly income: string;
  readonly asset: string;
  readonly time: number;
  readonly info: 'FUNDING_FEE';
  readonly tranId: number;
  readonly tradeId: '';
}

/** One `GET /fapi/v1/fundingRate` record. */
interface RateRecord {
  readonly symbol: string;
  readonly fundingTime: number;
  readonly fundingRate: string;
  readonly markPrice: string;
}

/**
 * Funding of the stand-in's USDⓈ-M account: the rate series the SimulatedExchange settles (at the open of the first
 * candle at or after each funding time), the settled rates as `GET /fapi/v1/fundingRate` lists them, and every
 * payment as a `FUNDING_FEE` record of `GET /fapi/v1/income`.
 */
export class StandInFunding {
  private readonly rates: RateRecord[] = [];
  private readonly income: IncomeRecord[] = [];
  private readonly next = new Map<SymbolId, number>();
  private nextTranId = 9_000_000_001;

  constructor(
    private readonly series: Readonly<Record<string, readonly FundingRate[]>>,
    private readonly marketIdOf: (symbol: SymbolId) => string,
    private readonly quote: (symbol: SymbolId) => string,
  ) {}

  /** Before the venue matches `candle`: the funding times it reaches are settled at its open. */
  beforeCandle(symbol: SymbolId, candle: Candle): void {
    const list = this.series[symbol];
    if (list === undefined) return;
    let i = this.next.get(symbol) ?? 0;
    for (; i < list.length && list[i]!.ts <= candle.ts; i++) {
      this.rates.push({ symbol: this.marketIdOf(symbol), fundingTime: list[i]!.ts, fundingRate: dec(list[i]!.rate), markPrice: dec(candle.open) });
    }
    this.next.set(symbol, i);
  }

  /** A payment the SimulatedExchange booked. */
  paid(p: FundingPayment): void {
    this.income.push({
      symbol: this.marketIdOf(p.symbol),
      incomeType: 'FUNDING_FEE',
      income: dec(p.amount),
      asset: this.quote(p.symbol),
      time: p.ts,
      info: 'FUNDING_FEE',
      tranId: this.nextTranId++,
      tradeId: '',
    });
  }

  /** `GET /fapi/v1/income`: oldest first, from `startTime`, at most `limit` (default 100, at most 1000). */
  incomeAnswer(p: Record<string, string>): Answer {
    if (p.incomeType !== undefined && p.incomeType !== 'FUNDING_FEE') return ok([]);
    const limit = Math.min(Number(p.limit ?? 100), 1000);
    if (!(limit > 0)) return fail(-1100, "Illegal characters found in parameter 'limit'.");
    return ok(window(this.income, (r) => r.time, p).slice(0, limit));
  }

  /** `GET /fapi/v1/fundingRate`: oldest first, from `startTime`, at most `limit` (default 100, at most 1000). */
  ratesAnswer(p: Record<string, string>): Answer {
    const limit = Math.min(Number(p.limit ?? 100), 1000);
    return ok(window(this.rates, (r) => r.fundingTime, p).slice(0, limit));
  }
}

function window<R extends { readonly symbol: string }>(rows: readonly R[], timeOf: (r: R) => UnixMillis, p: Record<string, string>): R[] {
  const from = p.startTime === undefined ? Number.NEGATIVE_INFINITY : Number(p.startTime);
  const to = p.endTime === undefined ? Number.POSITIVE_INFINITY : Number(p.endTime);
  return rows
    .filter((r) => (p.symbol === undefined || r.symbol === p.symbol) && timeOf(r) >= from && timeOf(r) <= to)
    .sort((a, b) => timeOf(a) - timeOf(b));
}
