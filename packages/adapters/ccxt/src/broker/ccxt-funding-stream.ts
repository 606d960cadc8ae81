import { roundToStep, type FundingPayment, type Instrument, type KernelLogger, type SymbolId, type UnixMillis } from '@quantum-trader/core';
import type { Exchange, FundingHistory, FundingRateHistory } from 'ccxt';
import type { Stopper } from '../retry/stopper.js';
import type { VenueCaller } from '../retry/venue-caller.js';

/** Settings of a {@link FundingStream}. */
export interface FundingStreamOptions {
  /** REST polling period of the account's funding income. */
  readonly intervalMs: number;
}

/** Binance lists at most 1000 income records per page. */
const PAGE = 1000;
/** How far before a payment its funding-rate record may lie (Binance stamps both at the funding time). */
const RATE_WINDOW_MS = 60_000;

/**
 * The funding payments of a USDⓈ-M account, polled over REST (`fetchFundingHistory`: Binance's `FUNDING_FEE` income)
 * from a cursor, each reported once, oldest first, for the symbols the broker trades. The rate and mark price of a
 * payment come from the venue's funding-rate history (`fetchFundingRateHistory`); the position size is what they
 * imply (`−amount / (rate × markPrice)`, signed: negative for a short). A payment whose rate the venue does not list
 * is reported with its amount and rate, mark price and size 0, and a warning.
 *
 * Internal to the ccxt broker.
 */
export class FundingStream {
  #cursor: UnixMillis | undefined;
  readonly #seen = new Set<string>();
  #loop: Promise<void> | undefined;
  /** Polls run one at a time: a catch-up requested during a poll runs right after it. */
  #polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly exchange: Exchange,
    private readonly caller: VenueCaller,
    private readonly stopper: Stopper,
    private readonly logger: KernelLogger,
    private readonly redact: (text: string) => string,
    private readonly instrument: (symbol: SymbolId) => Instrument | undefined,
    private readonly emit: (payment: FundingPayment) => void,
    private readonly options: FundingStreamOptions,
  ) {}

  /** Starts polling from `now` (or from an earlier {@link FundingStream.since}). */
  start(now: UnixMillis): void {
    if (this.#loop !== undefined) return;
    this.#cursor ??= now;
    this.#loop = this.run();
  }

  /**
   * Reports the payments from `ts` on (those already reported are not reported again); resolves once they have
   * been read. A failed read is logged and tried again by the next poll.
   */
  since(ts: UnixMillis): Promise<void> {
    if (this.#cursor === undefined || ts < this.#cursor) this.#cursor = ts;
    return this.pollSafely('catch-up');
  }

  private async run(): Promise<void> {
    while (!this.stopper.stopped) {
      await this.pollSafely('poll');
      await this.stopper.sleep(this.options.intervalMs);
    }
  }

  private pollSafely(reason: string): Promise<void> {
    this.#polling = this.#polling.then(async () => {
      if (this.stopper.stopped) return;
      try {
        await this.poll();
      } catch (err) {
        this.logger.warn({ reason, error: this.redact((err as Error).message) }, 'reading funding payments failed; will try again');
      }
    });
    return this.#polling;
  }

  private async poll(): Promise<void> {
    for (;;) {
      const from = this.#cursor!;
      const page = await this.caller.call('fetchFundingHistory', () => this.exchange.fetchFundingHistory(undefined, from, PAGE));
      const fresh = page
        .filter((r) => typeof r.timestamp === 'number' && r.timestamp >= from && !this.#seen.has(keyOf(r)))
        .sort((a, b) => a.timestamp! - b.timestamp!);
      for (const record of fresh) {
        if (this.stopper.stopped) return;
        const symbol = record.symbol as SymbolId | undefined;
        const inst = symbol === undefined ? undefined : this.instrument(symbol);
        const amount = record.amount;
        if (inst !== undefined && typeof amount === 'number' && Number.isFinite(amount)) {
          // Seen once reported: if reading its rate fails, the cursor stays and the next poll tries it again.
          this.emit(await this.paymentOf(inst, record.timestamp!, amount));
        } // else not a market this broker trades
        this.#seen.add(keyOf(record));
      }
      let last = from;
      for (const r of page) if (typeof r.timestamp === 'number' && r.timestamp > last) last = r.timestamp;
      if (last > from) this.#cursor = last; // records at `last` stay in the next window; `#seen` drops them
      if (page.length < PAGE || last === from) return;
    }
  }

  private async paymentOf(inst: Instrument, ts: UnixMillis, amount: number): Promise<FundingPayment> {
    const rates = await this.caller.call(`fetchFundingRateHistory ${inst.symbol}`, () =>
      this.exchange.fetchFundingRateHistory(inst.symbol, ts - RATE_WINDOW_MS, 10, { endTime: ts }),
    );
    const rate = closestAtOrBefore(rates, ts);
    const r = rate?.fundingRate;
    const markPrice = rate === undefined ? Number.NaN : Number((rate.info as { markPrice?: unknown }).markPrice);
    if (typeof r !== 'number' || !Number.isFinite(r) || !(markPrice > 0)) {
      this.logger.warn({ symbol: inst.symbol, ts, amount }, 'the venue lists no funding rate with a mark price for this payment; journalled with its amount only');
      return { symbol: inst.symbol, ts, rate: 0, markPrice: 0, positionQty: 0, amount };
    }
    const positionQty = r === 0 ? 0 : roundToStep(-amount / (r * markPrice), inst.lotStep);
    return { symbol: inst.symbol, ts, rate: r, markPrice, positionQty, amount };
  }
}

function keyOf(r: FundingHistory): string {
  return r.id !== undefined && r.id !== '' ? r.id : `${r.symbol}|${r.timestamp}|${r.amount}`;
}

function closestAtOrBefore(rates: readonly FundingRateHistory[], ts: UnixMillis): FundingRateHistory | undefined {
  let best: FundingRateHistory | undefined;
  for (const r of rates) {
    const t = r.timestamp;
    if (typeof t !== 'number' || t > ts || ts - t > RATE_WINDOW_MS) continue;
    if (best === undefined || t > best.timestamp!) best = r;
  }
  return best;
}
