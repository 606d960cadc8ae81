import { SimulatedExchange } from '../../src/broker/index.js';
import { CONTRACT_T0, CONTRACT_TF, CONTRACT_VENUE, describeBrokerContract } from '../contracts/broker-contract.js';
import { ManualClock } from '../broker/helpers.js';

for (const market of ['spot', 'linear'] as const) {
  describeBrokerContract('SimulatedExchange', market, async () => {
    const clock = new ManualClock();
    clock.t = CONTRACT_T0;
    const exchange = new SimulatedExchange({
      instruments: [CONTRACT_VENUE[market]],
      balances: CONTRACT_VENUE.balances,
      slippageBps: CONTRACT_VENUE.slippageBps,
      maxVolumeParticipation: CONTRACT_VENUE.maxVolumeParticipation,
      scheduler: clock,
    });
    return {
      broker: exchange,
      candle: (symbol, candle) => {
        // a candle is reported at its close time
        clock.t = Math.max(clock.t, candle.ts + CONTRACT_TF);
        exchange.onCandle(symbol, candle);
      },
      // an in-process venue outlives no process: a restarted bot would see this same venue
      reopen: async () => exchange,
      cleanup: async () => {},
    };
  });
}
