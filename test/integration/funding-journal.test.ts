import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MemoryJournal,
  binanceInstrument,
  candleColumnsFrom,
  loadCandlesCsv,
  momentumStrategy,
  standardRiskEngine,
  symbolId,
  type FundingPayment,
} from '@quantum-trader/core';
import { replayKernel } from './support/replay-kernel.js';

// Funding moves the balance, so it is a state change like any other: journalled (FundingPaid), booked in the
// portfolio's equity and snapshots, and restored from the journal after a restart.
const ETH = symbolId('ETH/USDT:USDT');
const file = fileURLToPath(new URL('../../packages/runner/data/binance/binance_ETHUSDT_5m_2020-12-01_2021-07-17.csv', import.meta.url));
const candles = loadCandlesCsv(file).slice(0, 8_000);
const H8 = 8 * 3_600_000;
const fundingRates = { [ETH]: Array.from({ length: 120 }, (_, i) => ({ ts: candles[0]!.ts + (i + 1) * H8, rate: 0.0001 * ((i % 5) - 1) })) };

function setup() {
  const instruments = [binanceInstrument(ETH)];
  const wiring = replayKernel({
    series: [{ symbol: ETH, candles: candleColumnsFrom(candles) }],
    timeframe: '5m',
    instruments,
    exchange: { fundingRates },
    kernel: {
      strategies: [momentumStrategy({ timeframe: '5m' })],
      risk: standardRiskEngine({ maxNotionalPerTrade: 2000, maxLeverage: 10, leverage: 3, maxOpenPositions: 1, cooldownMinutes: 5, dailyLossLimit: 1_000 }, instruments),
    },
  });
  const paid: FundingPayment[] = [];
  wiring.exchange.funding$.subscribe((p) => paid.push(p));
  wiring.connect();
  return { ...wiring, paid };
}

describe('funding payments in the journal', () => {
  it('are journalled as FundingPaid, booked in equity and snapshots, and restored after a restart', async () => {
    const wiring = setup();
    const { scheduler, market, journal, paid, kernel } = wiring;
    const first = kernel('fresh');
    await first.start();
    market.start();
    scheduler.runAll(market.endTime + 60_000);
    first.stop();
    expect(first.error).toBeUndefined();

    expect(paid.length).toBeGreaterThan(5);
    const journalled = journal.events({ types: ['FundingPaid'] }).map((j) => j.event);
    expect(journalled).toEqual(
      paid.map((p) => ({ id: `FundingPaid:${p.symbol}:${p.ts}`, type: 'FundingPaid', ts: p.ts, symbol: p.symbol, rate: p.rate, markPrice: p.markPrice, positionQty: p.positionQty, amount: p.amount })),
    );
    const total = paid.reduce((s, p) => s + p.amount, 0);
    const portfolio = first.portfolio;
    expect(portfolio.funding()).toBeCloseTo(total, 9);
    expect(portfolio.funding()).not.toBe(0);
    expect(portfolio.equity()).toBe(10_000 + portfolio.realizedPnl() + portfolio.unrealizedPnl() + portfolio.funding());
    const last = journal.snapshots().at(-1)!;
    expect(last.balance).toBeCloseTo(10_000 + portfolio.realizedPnl() + portfolio.funding(), 6);

    // A restart rebuilds the portfolio from the journal, funding included, and asks a venue that keeps a funding
    // history (the ccxt broker) for the payments after the last journalled one.
    const asked: number[] = [];
    Object.assign(wiring.exchange, { fundingSince: (ts: number) => void asked.push(ts) });
    const second = kernel('journal');
    await second.start();
    expect(asked).toEqual([paid.at(-1)!.ts + 1]);
    second.stop();
    expect(second.error).toBeUndefined();
    expect(second.portfolio.funding()).toBe(portfolio.funding());
    expect(second.portfolio.realizedPnl()).toBeCloseTo(portfolio.realizedPnl(), 6); // trades are journalled to 1e-8
  });

  it('are asked from the venue from now on when the journal has no payment and no position', async () => {
    const wiring = setup();
    const asked: number[] = [];
    Object.assign(wiring.exchange, { fundingSince: (ts: number) => void asked.push(ts) });
    const k = wiring.kernel('journal');
    await k.start();
    k.stop();
    expect(asked).toEqual([wiring.scheduler.now()]);
  });

  it('are validated like every event: a non-finite amount is refused, naming the field', () => {
    const journal = new MemoryJournal();
    expect(() =>
      journal.append([{ id: 'FundingPaid:X:1', type: 'FundingPaid', ts: 1, symbol: ETH, rate: 0.0001, markPrice: 100, positionQty: 1, amount: Number.NaN }]),
    ).toThrow(/amount/);
    expect(journal.events()).toHaveLength(0);
  });
});
