import ccxt from 'ccxt';
import { binanceInstrument, symbolId } from '@quantum-trader/core';
import { BinanceStandIn } from '/work/main/packages/adapters/ccxt/test-utils/binance-stand-in/binance-stand-in.js';

const T0 = Date.UTC(2021, 0, 1);
const standIn = await BinanceStandIn.start({
  apiKey: 'key123', secret: 'sec456', startTime: T0,
  spot: { instruments: [binanceInstrument(symbolId('BTC/USDT'))], balances: { USDT: 10000 } },
  futures: { instruments: [binanceInstrument(symbolId('BTC/USDT:USDT'))], balances: { USDT: 10000 } },
});
const base = standIn.url;
function rest(urls: any) {
  for (const [k, v] of Object.entries(urls)) if (typeof v === 'string') { const u = new URL(v); urls[k] = base + u.pathname; }
}
const ex = new (ccxt as any).pro.binanceusdm({ apiKey: 'key123', secret: 'sec456', options: { fetchMarkets: { types: ['linear'] }, fetchCurrencies: false, fetchMargins: false } });
rest(ex.urls.api);
const ws = ex.urls.api.ws;
const wsb = base.replace('http', 'ws');
const mapWs = (v: string) => { const u = new URL(v); return wsb + '/' + u.hostname.split('.')[0] + u.pathname; };
for (const k of Object.keys(ws)) { if (typeof ws[k] === 'string') ws[k] = mapWs(ws[k]); else for (const j of Object.keys(ws[k])) ws[k][j] = mapWs(ws[k][j]); }
await ex.loadHttpProxyAgent();
standIn.pushCandle(symbolId('BTC/USDT:USDT'), '1m', { ts: T0, open: 30000, high: 30100, low: 29900, close: 30050, volume: 100 });
const m = await ex.loadMarkets();
console.log(Object.keys(m), m['BTC/USDT:USDT'].precision, m['BTC/USDT:USDT'].limits);
console.log(await ex.fetchOHLCV('BTC/USDT:USDT', '1m'));
console.log((await ex.fetchTicker('BTC/USDT:USDT')).last);
const watch = ex.watchOrders();
await new Promise(r => setTimeout(r, 300));
console.log('conns', standIn.connections());
const o = await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'qt-abc' });
console.log('created', o.id, o.clientOrderId, o.status);
console.log('ws', (await watch).map((x: any) => [x.clientOrderId, x.status, x.filled]));
const w2 = ex.watchOrders();
standIn.pushCandle(symbolId('BTC/USDT:USDT'), '1m', { ts: T0 + 60000, open: 30050, high: 30100, low: 29900, close: 30060, volume: 100 });
console.log('ws2', (await w2).map((x: any) => [x.clientOrderId, x.status, x.filled, x.average, x.fee]));
console.log(await ex.fetchOrder(undefined, 'BTC/USDT:USDT', { clientOrderId: 'qt-abc' }).then((x: any) => [x.status, x.filled, x.average]));
console.log((await ex.fetchPositions(['BTC/USDT:USDT'])).map((p: any) => [p.symbol, p.side, p.contracts, p.entryPrice, p.leverage, p.liquidationPrice]));
console.log((await ex.fetchBalance()).USDT);
try { await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 10, undefined, { clientOrderId: 'qt-big' }); } catch (e: any) { console.log(e.constructor.name, e.message); }
try { await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'qt-abc' }); } catch (e: any) { console.log(e.constructor.name, e.message); }
const st = await ex.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01, undefined, { clientOrderId: 'qt-sl', triggerPrice: 29000, reduceOnly: true });
console.log('stop', st.id, st.clientOrderId, st.status, st.triggerPrice);
console.log((await ex.fetchOpenOrders('BTC/USDT:USDT', undefined, undefined, { trigger: true })).map((x: any) => x.clientOrderId));
console.log(await ex.setLeverage(5, 'BTC/USDT:USDT'));
console.log(await ex.setMarginMode('isolated', 'BTC/USDT:USDT'));
console.log((await ex.fetchLeverageTiers(['BTC/USDT:USDT']))['BTC/USDT:USDT'][0]);
await ex.close();
// spot
const sp = new (ccxt as any).pro.binance({ apiKey: 'key123', secret: 'sec456', options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } });
rest(sp.urls.api);
const sws = sp.urls.api.ws;
for (const k of Object.keys(sws)) { if (typeof sws[k] === 'string') sws[k] = mapWs(sws[k]); else for (const j of Object.keys(sws[k])) sws[k][j] = mapWs(sws[k][j]); }
await sp.loadHttpProxyAgent();
await sp.loadMarkets();
const sw = sp.watchOrders();
await new Promise(r => setTimeout(r, 300));
const so = await sp.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 20000, { clientOrderId: 'qt-spot1' });
console.log('spot created', so.status, so.clientOrderId);
console.log('spot ws', (await sw).map((x: any) => [x.clientOrderId, x.status]));
console.log((await sp.fetchBalance()).USDT);
const c = await sp.cancelOrder(undefined, 'BTC/USDT', { clientOrderId: 'qt-spot1' });
console.log('cancel', c.status, c.clientOrderId);
await sp.close();
await standIn.close();
console.log(standIn.requests.map(r => `${r.method} ${r.path} ${r.status}`).join('\n'));
