import type { Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binanceInstrument } from '../../src/broker/binance-instrument.js';
import type { Candle } from '../../src/model/candle.js';
import type { BrokerEvent, OrderCanceled, OrderFilled } from '../../src/model/events.js';
import { clientOrderIdOf, symbolId, type ClientOrderId, type IntentId, type SymbolId } from '../../src/model/ids.js';
import type { Instrument } from '../../src/model/instrument.js';
import type { SubmitOrder, VenueOrder } from '../../src/model/orders.js';
import type { Broker, SubmitResult } from '../../src/ports/broker.js';

/** Open time of the first candle every contract venue starts at (2021-01-01T00:00Z). */
export const CONTRACT_T0 = Date.UTC(2021, 0, 1);
/** Candle length used by the suite. */
export const CONTRACT_TF = 60_000;
/** Price level of the suite's candles. */
const P = 30_000;

/**
 * The venue every implementation under test must set up: these instruments, `balances` in each account (spot and
 * USDⓈ-M are separate accounts), no slippage, at most half of a candle's volume filled per candle (partial fills),
 * clock at {@link CONTRACT_T0}.
 */
export const CONTRACT_VENUE = {
  spot: binanceInstrument(symbolId('BTC/USDT')),
  linear: binanceInstrument(symbolId('BTC/USDT:USDT')),
  balances: { USDT: 10_000 } as Readonly<Record<string, number>>,
  slippageBps: 0,
  maxVolumeParticipation: 0.5,
  startTime: CONTRACT_T0,
} as const;

/** What an implementation hands the broker contract suite. */
export interface BrokerUnderTest {
  readonly broker: Broker;
  /**
   * Reports a closed candle to the venue (it is matched at its close time). Events it causes may reach
   * `broker.events$` later; the suite waits for them.
   */
  readonly candle: (symbol: SymbolId, candle: Candle) => void | Promise<void>;
  /** A broker for the same venue account as a restarted process would create (in-process venues: the same one). */
  readonly reopen: () => Promise<Broker>;
  /** Closes brokers and the venue. */
  readonly cleanup: () => Promise<void>;
}

const intent = (name: string): IntentId => `contract|${name}` as IntentId;

async function until(what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function accepted(res: SubmitResult): VenueOrder {
  if (res.status !== 'accepted') throw new Error(`expected the order to be accepted, got ${res.code}: ${res.reason}`);
  return res.order;
}

/**
 * The Broker contract: the same tests for every implementation (SimulatedExchange, ccxt → Binance stand-in …),
 * for a spot or a linear-perpetual market.
 *
 * @example
 * ```ts
 * describeBrokerContract('SimulatedExchange', 'linear', async () => ({ broker, candle, reopen, cleanup }));
 * ```
 */
export function describeBrokerContract(name: string, market: 'spot' | 'linear', open: () => Promise<BrokerUnderTest>): void {
  const inst: Instrument = market === 'spot' ? CONTRACT_VENUE.spot : CONTRACT_VENUE.linear;
  const symbol = inst.symbol;
  // a quantity worth ~300 USDT, on the lot step
  const Q = market === 'spot' ? 0.01 : 0.01;

  describe(`Broker contract: ${name} (${market})`, () => {
    let h: BrokerUnderTest;
    let b: Broker;
    let events: BrokerEvent[];
    let sub: Subscription;
    let i: number;

    const bar = (open: number, high: number, low: number, close: number, volume = 1_000): Candle => ({
      ts: CONTRACT_T0 + i++ * CONTRACT_TF,
      open,
      high,
      low,
      close,
      volume,
    });
    const flat = (price = P, volume = 1_000): Candle => bar(price, price + 50, price - 50, price, volume);
    const fills = (coid: ClientOrderId): OrderFilled[] => events.filter((e): e is OrderFilled => e.type === 'OrderFilled' && e.clientOrderId === coid);
    const cancels = (coid: ClientOrderId): OrderCanceled[] => events.filter((e): e is OrderCanceled => e.type === 'OrderCanceled' && e.clientOrderId === coid);
    const filledQty = (coid: ClientOrderId): number => fills(coid).reduce((s, f) => s + f.qty, 0);
    const order = (leg: string, o: Partial<SubmitOrder> = {}): SubmitOrder => ({
      clientOrderId: clientOrderIdOf(intent(`${name}|${market}`), leg),
      symbol,
      side: 'buy',
      type: 'market',
      qty: Q,
      reduceOnly: false,
      ...(market === 'linear' ? { leverage: 5 } : {}),
      ...o,
    });

    beforeEach(async () => {
      i = 0;
      h = await open();
      b = h.broker;
      events = [];
      sub = b.events$.subscribe((e) => events.push(e));
      // a first candle gives the venue a price
      await h.candle(symbol, flat());
    });
    afterEach(async () => {
      sub.unsubscribe();
      await h.cleanup();
    });

    it('lists the market with its rules', async () => {
      const found = (await b.instruments()).find((x) => x.symbol === symbol);
      expect(found).toBeDefined();
      expect(found).toMatchObject({
        contractType: inst.contractType,
        base: inst.base,
        quote: inst.quote,
        tickSize: inst.tickSize,
        lotStep: inst.lotStep,
        minQty: inst.minQty,
        minNotional: inst.minNotional,
      });
    });

    it("accepts an order under the engine's client order id and reports its fill once", async () => {
      const o = order('market-fill');
      const acc = accepted(await b.submit(o));
      expect(acc.clientOrderId).toBe(o.clientOrderId);
      expect(acc.venueOrderId).not.toBe('');
      expect(acc.status).toBe('open');
      const c = flat(P + 100);
      await h.candle(symbol, c);
      await until('the fill', () => filledQty(o.clientOrderId) >= Q - 1e-12);
      const [f] = fills(o.clientOrderId);
      expect(fills(o.clientOrderId)).toHaveLength(1);
      expect(f).toMatchObject({ symbol, side: 'buy', qty: Q, remainingQty: 0, fillSeq: 1, reduceOnly: false });
      expect(f!.price).toBeCloseTo(c.open, 6);
      expect(f!.fee).toBeGreaterThanOrEqual(0);
      const v = await b.getOrder(o.clientOrderId, symbol);
      expect(v).toMatchObject({ clientOrderId: o.clientOrderId, status: 'filled', filledQty: Q });
      expect(v!.avgFillPrice).toBeCloseTo(c.open, 6);
      await h.candle(symbol, flat());
      await new Promise((r) => setTimeout(r, 50));
      expect(fills(o.clientOrderId)).toHaveLength(1);
    });

    it('lists a resting limit order as open and cancels it', async () => {
      const o = order('resting', { type: 'limit', price: P - 3_000 });
      accepted(await b.submit(o));
      await h.candle(symbol, flat());
      const open = await b.openOrders(symbol);
      const mine = open.find((x) => x.clientOrderId === o.clientOrderId);
      expect(mine).toMatchObject({ status: 'open', side: 'buy', type: 'limit', qty: Q, price: P - 3_000 });
      await b.cancel(o.clientOrderId, symbol);
      await until('the cancel', () => cancels(o.clientOrderId).length > 0);
      expect(cancels(o.clientOrderId)).toHaveLength(1);
      expect((await b.getOrder(o.clientOrderId, symbol))?.status).toBe('canceled');
      expect((await b.openOrders(symbol)).some((x) => x.clientOrderId === o.clientOrderId)).toBe(false);
      await b.cancel(o.clientOrderId, symbol); // a no-op now
      expect(fills(o.clientOrderId)).toHaveLength(0);
    });

    it('never makes two orders of one client order id', async () => {
      const o = order('twice', { type: 'limit', price: P - 3_000 });
      const first = accepted(await b.submit(o));
      const second = await b.submit(o);
      if (second.status === 'accepted') expect(second.order.venueOrderId).toBe(first.venueOrderId);
      else expect(second.code).toBe('DUPLICATE_CLIENT_ORDER_ID');
      const open = await b.openOrders(symbol);
      expect(open.filter((x) => x.clientOrderId === o.clientOrderId)).toHaveLength(1);
    });

    it('finds an order by its client order id after a restart', async () => {
      const resting = order('restart-open', { type: 'limit', price: P - 3_000 });
      const done = order('restart-filled');
      accepted(await b.submit(resting));
      accepted(await b.submit(done));
      await h.candle(symbol, flat());
      await until('the fill', () => filledQty(done.clientOrderId) >= Q - 1e-12);
      const again = await h.reopen();
      expect(await again.getOrder(resting.clientOrderId, symbol)).toMatchObject({ status: 'open', qty: Q, filledQty: 0 });
      expect(await again.getOrder(done.clientOrderId, symbol)).toMatchObject({ status: 'filled', filledQty: Q });
      expect(await again.getOrder(clientOrderIdOf(intent('never-sent'), 'entry'), symbol)).toBeUndefined();
    });

    it('reports partial fills with the quantity left', async () => {
      const o = order('partial', { qty: 2 * Q });
      accepted(await b.submit(o));
      // half of the candle's volume fills: Q now, Q on the next candle
      await h.candle(symbol, flat(P, 2 * Q));
      await until('the first fill', () => fills(o.clientOrderId).length >= 1);
      expect(fills(o.clientOrderId)[0]).toMatchObject({ qty: Q, remainingQty: Q, fillSeq: 1 });
      const mid = await b.getOrder(o.clientOrderId, symbol);
      expect(mid).toMatchObject({ status: 'partially_filled', filledQty: Q });
      await h.candle(symbol, flat());
      await until('the second fill', () => fills(o.clientOrderId).length >= 2);
      expect(fills(o.clientOrderId)[1]).toMatchObject({ qty: Q, remainingQty: 0, fillSeq: 2 });
      expect((await b.getOrder(o.clientOrderId, symbol))?.status).toBe('filled');
    });

    it("rejects an order the account cannot pay for with the venue's code", async () => {
      const res = await b.submit(order('too-big', { qty: 2 }));
      expect(res.status).toBe('rejected');
      if (res.status === 'rejected') {
        expect(res.code).toBe(market === 'spot' ? '-2010' : '-2019');
        expect(res.reason.length).toBeGreaterThan(0);
      }
      expect(await b.getOrder(order('too-big').clientOrderId, symbol)).toBeUndefined();
    });

    it('reports balances that add up', async () => {
      const usdt = (await b.balances()).find((x) => x.currency === 'USDT');
      expect(usdt).toBeDefined();
      expect(usdt!.total).toBeCloseTo(CONTRACT_VENUE.balances.USDT!, 6);
      expect(usdt!.free + usdt!.used).toBeCloseTo(usdt!.total, 6);
      const o = order('balance');
      accepted(await b.submit(o));
      await h.candle(symbol, flat());
      await until('the fill', () => filledQty(o.clientOrderId) >= Q - 1e-12);
      const after = await b.balances();
      const quote = after.find((x) => x.currency === 'USDT')!;
      expect(quote.free + quote.used).toBeCloseTo(quote.total, 6);
      if (market === 'spot') {
        expect(after.find((x) => x.currency === 'BTC')?.total).toBeCloseTo(Q, 8);
        expect(quote.total).toBeLessThan(CONTRACT_VENUE.balances.USDT!);
      } else {
        expect(quote.used).toBeGreaterThan(0);
      }
    });

    if (market === 'spot') {
      it('refuses to sell an asset the account does not hold', async () => {
        const res = await b.submit(order('naked-sell', { side: 'sell' }));
        expect(res.status === 'rejected' && res.code).toBe('-2010');
      });

      it('reports holdings bought on the venue as a long position', async () => {
        const o = order('holding');
        accepted(await b.submit(o));
        await h.candle(symbol, flat());
        await until('the fill', () => filledQty(o.clientOrderId) >= Q - 1e-12);
        expect((await b.positions()).find((p) => p.symbol === symbol)).toMatchObject({ side: 'long', qty: Q, leverage: 1 });
      });
    }

    if (market === 'linear') {
      it('opens a position with the leverage of the order', async () => {
        const o = order('position');
        accepted(await b.submit(o));
        const c = flat(P + 10);
        await h.candle(symbol, c);
        await until('the fill', () => filledQty(o.clientOrderId) >= Q - 1e-12);
        const [p] = await b.positions();
        expect(p).toMatchObject({ symbol, side: 'long', qty: Q, leverage: 5 });
        expect(p!.entryPrice).toBeCloseTo(c.open, 6);
        expect(p!.liquidationPrice).toBeLessThan(c.open);
      });

      it('never opens or flips a position with a reduce-only order', async () => {
        const o = order('reduce-nothing', { side: 'sell', reduceOnly: true });
        const res = await b.submit(o);
        if (res.status === 'accepted') {
          await h.candle(symbol, flat());
          await until('the cancel', () => cancels(o.clientOrderId).length > 0);
        }
        await h.candle(symbol, flat());
        expect(fills(o.clientOrderId)).toHaveLength(0);
        expect(await b.positions()).toEqual([]);
      });

      it('closes exactly the position with a larger reduce-only order', async () => {
        const entry = order('reduce-entry');
        accepted(await b.submit(entry));
        await h.candle(symbol, flat());
        await until('the entry fill', () => filledQty(entry.clientOrderId) >= Q - 1e-12);
        const exit = order('reduce-exit', { side: 'sell', reduceOnly: true, qty: 2 * Q });
        accepted(await b.submit(exit));
        await h.candle(symbol, flat());
        await until('the exit fill', () => filledQty(exit.clientOrderId) >= Q - 1e-12);
        await h.candle(symbol, flat());
        expect(filledQty(exit.clientOrderId)).toBeCloseTo(Q, 12);
        expect(fills(exit.clientOrderId)[0]?.reduceOnly).toBe(true);
        expect(await b.positions()).toEqual([]);
      });

      it('triggers a stop-market order when the price reaches it', async () => {
        const entry = order('stop-entry');
        accepted(await b.submit(entry));
        await h.candle(symbol, flat());
        await until('the entry fill', () => filledQty(entry.clientOrderId) >= Q - 1e-12);
        const sl = order('stop-sl', { side: 'sell', type: 'stop_market', stopPrice: P - 500, reduceOnly: true });
        const acc = accepted(await b.submit(sl));
        expect(acc).toMatchObject({ type: 'stop_market', stopPrice: P - 500, status: 'open' });
        expect((await b.openOrders(symbol)).map((x) => x.clientOrderId)).toContain(sl.clientOrderId);
        await h.candle(symbol, flat()); // does not reach the stop
        expect(fills(sl.clientOrderId)).toHaveLength(0);
        await h.candle(symbol, bar(P, P + 10, P - 800, P - 700));
        await until('the stop fill', () => filledQty(sl.clientOrderId) >= Q - 1e-12);
        expect(fills(sl.clientOrderId)[0]!.price).toBeCloseTo(P - 500, 6);
        expect((await b.getOrder(sl.clientOrderId, symbol))?.status).toBe('filled');
        expect(await b.positions()).toEqual([]);
      });

      it("rejects leverage above the market's maximum", async () => {
        const res = await b.submit(order('too-much-leverage', { leverage: inst.maxLeverage + 1 }));
        expect(res.status === 'rejected' && res.code).toBe('-4028');
      });
    }
  });
}
