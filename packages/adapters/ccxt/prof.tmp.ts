import { CcxtBroker } from './src/broker/ccxt-broker.js';
import { exchangeFor, FAST_RETRY, startStandIn, LINEAR } from './test-utils/stand-in-harness.js';
for (let k = 0; k < 3; k++) {
let t = performance.now();
const lap = (s: string) => { const n = performance.now(); console.log(s, (n - t).toFixed(1)); t = n; };
const standIn = await startStandIn(); lap('standin');
const ex = await exchangeFor(standIn, 'linear'); lap('exchange');
const b = new CcxtBroker({ exchange: ex, symbols: [LINEAR], retry: FAST_RETRY });
await ex.loadMarkets(); lap('loadMarkets');
await b.start(); lap('start');
await b.instruments(); lap('instr');
await b.balances(); lap('balances');
await b.close(); lap('close');
await standIn.close(); lap('standin close');
console.log(standIn.requests.map(r => r.path).join(' '));
}
