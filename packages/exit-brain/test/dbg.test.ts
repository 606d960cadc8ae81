import { it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import { CandleReplay, MemoryIntentQueue, MemoryJournal, RiskEngine, SimulatedExchange, TradingKernel } from '@quantum-trader/core';
import { ExitBrain } from '@quantum-trader/exit-brain';
import { INSTRUMENT, scriptedEntry } from './support/kernel-harness.js';
it('dbg', () => {
  const ts = new TestScheduler(() => {});
  ts.run(() => {
    const rows = [[100,100,100,100],[100,100.5,99.5,100],[100,102.2,100,102]];
    const market = new CandleReplay({ series: [{ symbol: INSTRUMENT.symbol, candles: rows.map(([o,h,l,c],i)=>({ts:i*300000,open:o!,high:h!,low:l!,close:c!,volume:1000})) }], timeframe: '5m' }, ts);
    const exchange = new SimulatedExchange({ instruments: [INSTRUMENT], balances: { USDT: 10_000 }, scheduler: ts });
    market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
    const journal = new MemoryJournal();
    const kernel = new TradingKernel({ scheduler: ts, market, broker: exchange, journal, queue: new MemoryIntentQueue(), strategies: [scriptedEntry({at:0, side:'long', qty:10})],
      risk: new RiskEngine({ rules: [], sizer: () => 10, leverage: 1, instrument: () => INSTRUMENT }), instruments: [INSTRUMENT],
      exits: (ctx) => new ExitBrain(ctx, { volatility: () => 0.01 }), initialBalance: 10_000, resume: 'fresh' });
    kernel.events$.subscribe((e) => console.log(ts.now(), e.type));
    void kernel.start();
    market.start();
    ts.schedule(() => { kernel.stop(); console.log('stopped', kernel.error, journal.events().length); }, 3600000);
  });
});
