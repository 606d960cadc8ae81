import { CONTRACT_VENUE, describeBrokerContract } from '../../../core/test/contracts/broker-contract.js';
import { CcxtBroker } from '../src/broker/ccxt-broker.js';
import { exchangeFor, FAST_RETRY, startStandIn } from '../test-utils/stand-in-harness.js';

const cases = [
  { market: 'spot', updates: 'websocket' },
  { market: 'linear', updates: 'websocket' },
  { market: 'linear', updates: 'poll' },
] as const;

for (const { market, updates } of cases) {
  describeBrokerContract(`ccxt → Binance stand-in, order updates by ${updates}`, market, async () => {
    const standIn = await startStandIn();
    const brokers: CcxtBroker[] = [];
    const make = async (): Promise<CcxtBroker> => {
      const broker = new CcxtBroker({
        exchange: await exchangeFor(standIn, market),
        symbols: [CONTRACT_VENUE[market].symbol],
        orderUpdates: updates,
        pollIntervalMs: 25,
        retry: FAST_RETRY,
      });
      brokers.push(broker);
      await broker.start();
      return broker;
    };
    const broker = await make();
    return {
      broker,
      candle: (symbol, candle) => standIn.pushCandle(symbol, '1m', candle),
      reopen: make,
      cleanup: async () => {
        for (const b of brokers) await b.close();
        await standIn.close();
      },
    };
  });
}
