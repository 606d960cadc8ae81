import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  RiskEngine,
  binanceInstrument,
  candleColumnsFrom,
  cooldownRule,
  fixedNotionalSizer,
  loadCandlesCsv,
  maxNotionalRule,
  momentumStrategy,
  onePositionPerSymbolRule,
  symbolId,
  type Candle,
  type CandleColumns,
} from '@quantum-trader/core';
import { replayKernel } from './support/replay-kernel.js';

// Long replays can hand the kernel Float64Array columns instead of a million candle objects; nothing else changes.
const S = symbolId('ETH/USDT:USDT');
const file = fileURLToPath(new URL('../../packages/runner/data/binance/binance_ETHUSDT_5m_2020-12-01_2021-07-17.csv', import.meta.url));
const candles = loadCandlesCsv(file).slice(0, 6_000);

function journalOf(input: readonly Candle[] | CandleColumns) {
  const instrument = binanceInstrument(S);
  const { scheduler, market, journal, connect, kernel: kernelOf } = replayKernel({
    series: [{ symbol: S, candles: input }],
    timeframe: '5m',
    instruments: [instrument],
    exchange: { slippageBps: 2 },
    kernel: {
      strategies: [momentumStrategy({ timeframe: '5m' })],
      risk: new RiskEngine({
        rules: [maxNotionalRule(1000), onePositionPerSymbolRule(), cooldownRule(30 * 60_000)],
        sizer: fixedNotionalSizer(1000, 3),
        leverage: 3,
        instrument: () => instrument,
      }),
    },
    quietRuns: false, // every candle through candles$: objects and columns take exactly the same path
  });
  connect();
  const kernel = kernelOf();
  // every equity sample the portfolio takes (time, equity), journalled as a snapshot or not
  const samples = vi.spyOn(kernel.portfolio, 'sample');
  void kernel.start();
  market.start();
  scheduler.runAll(market.endTime + 60_000);
  kernel.stop();
  if (kernel.error !== undefined) throw kernel.error;
  return { events: journal.events(), curve: [samples.mock.calls.map(([ts]) => ts), samples.mock.results.map((r) => r.value as number)] };
}

describe('the kernel on candle columns', () => {
  it('journals exactly what it journals on the same candles as objects', () => {
    const objects = journalOf(candles);
    const columns = journalOf(candleColumnsFrom(candles));
    expect(objects.events.filter((e) => e.event.type === 'PositionClosed').length).toBeGreaterThan(3);
    expect(columns).toEqual(objects);
  });
});
