import type { Instrument, SimulatedExchange, UnixMillis } from '@quantum-trader/core';
import { dec, marketIdOf, type MarketKind } from './binance-json.js';
import { fail, ok, type Answer } from './stand-in-answers.js';
import type { OrderRecord } from './stand-in-order-views.js';

/** Per-kind account: one SimulatedExchange plus the Binance-side settings it lacks. */
export interface Account {
  readonly kind: MarketKind;
  readonly sim: SimulatedExchange;
  readonly byMarketId: Map<string, Instrument>;
  readonly records: Map<string, OrderRecord>;
  readonly byOrderId: Map<number, OrderRecord>;
  readonly leverage: Map<string, number>;
  readonly marginType: Map<string, 'ISOLATED' | 'CROSSED'>;
}

/** `GET /api/v3/account`. */
export function spotAccount(a: Account | undefined, now: UnixMillis): Answer {
if (a === undefined) return fail(-1121, 'Invalid symbol.');
  return ok({
    makerCommission: 10,
    takerCommission: 10,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: now,
    accountType: 'SPOT',
    balances: a.sim.balances().map((b) => ({ asset: b.currency, free: dec(b.free), locked: dec(b.used) })),
    permissions: ['SPOT'],
    uid: 1,
  });
}

function futuresPositions(a: Account, now: UnixMillis): Array<Record<string, unknown>> {
  const state = a.sim.exportState();
  const out: Array<Record<string, unknown>> = [];
  for (const p of a.sim.positions()) {
    const inst = a.byMarketId.get(marketIdOf(a.sim.instruments().find((i) => i.symbol === p.symbol)!))!;
    const id = marketIdOf(inst);
    const sign = p.side === 'long' ? 1 : -1;
    const mark = a.sim.lastPrice(p.symbol) ?? p.entryPrice;
    const notional = sign * p.qty * mark;
    const margin = state.positions.find((s) => s.symbol === p.symbol)?.margin ?? Math.abs(notional) / p.leverage;
    out.push({
      symbol: id,
      positionSide: 'BOTH',
      positionAmt: dec(sign * p.qty),
      entryPrice: dec(p.entryPrice),
      breakEvenPrice: dec(p.entryPrice),
      markPrice: dec(mark),
      unRealizedProfit: dec(p.unrealizedPnl),
      liquidationPrice: dec(p.liquidationPrice ?? 0),
      isolatedMargin: dec(margin + p.unrealizedPnl),
      notional: dec(notional),
      marginAsset: inst.quote,
      isolatedWallet: dec(margin),
      initialMargin: dec(Math.abs(notional) / p.leverage),
      maintMargin: dec(Math.abs(notional) * (inst.maintenanceMarginRate ?? 0.004)),
      positionInitialMargin: dec(Math.abs(notional) / p.leverage),
      openOrderInitialMargin: '0',
      adl: 1,
      bidNotional: '0',
      askNotional: '0',
      updateTime: now,
      // not in v3, but harmless and lets clients read the setting
      leverage: String(p.leverage),
      marginType: (a.marginType.get(id) ?? 'ISOLATED').toLowerCase() === 'crossed' ? 'cross' : 'isolated',
    });
  }
  return out;
}

/** `GET /fapi/v2|v3/account`. */
export function futuresAccount(a: Account | undefined, now: UnixMillis): Answer {
if (a === undefined) return fail(-1121, 'Invalid symbol.');
const positions = futuresPositions(a, now);
  const upnlByAsset = new Map<string, number>();
  for (const p of a.sim.positions()) {
    const q = a.sim.instruments().find((i) => i.symbol === p.symbol)!.quote;
    upnlByAsset.set(q, (upnlByAsset.get(q) ?? 0) + p.unrealizedPnl);
  }
  const assets = a.sim.balances().map((b) => {
    const upnl = upnlByAsset.get(b.currency) ?? 0;
    const marginBalance = b.total + upnl;
    return {
      asset: b.currency,
      walletBalance: dec(b.total),
      unrealizedProfit: dec(upnl),
      marginBalance: dec(marginBalance),
      maintMargin: '0',
      initialMargin: dec(b.used),
      positionInitialMargin: dec(b.used),
      openOrderInitialMargin: '0',
      crossWalletBalance: dec(b.total),
      crossUnPnl: '0',
      availableBalance: dec(marginBalance - b.used),
      maxWithdrawAmount: dec(Math.max(0, marginBalance - b.used)),
      updateTime: now,
    };
  });
  const total = assets.reduce((s, x) => s + Number(x.marginBalance), 0);
  return ok({
    totalInitialMargin: dec(assets.reduce((s, x) => s + Number(x.initialMargin), 0)),
    totalMaintMargin: '0',
    totalWalletBalance: dec(assets.reduce((s, x) => s + Number(x.walletBalance), 0)),
    totalUnrealizedProfit: dec(assets.reduce((s, x) => s + Number(x.unrealizedProfit), 0)),
    totalMarginBalance: dec(total),
    totalPositionInitialMargin: '0',
    totalOpenOrderInitialMargin: '0',
    totalCrossWalletBalance: '0',
    totalCrossUnPnl: '0',
    availableBalance: dec(assets.reduce((s, x) => s + Number(x.availableBalance), 0)),
    maxWithdrawAmount: '0',
    assets,
    positions: positions.map((p) => ({ symbol: p.symbol, positionSide: 'BOTH', positionAmt: p.positionAmt, unrealizedProfit: p.unRealizedProfit, isolatedMargin: p.isolatedMargin, notional: p.notional, isolatedWallet: p.isolatedWallet, initialMargin: p.initialMargin, maintMargin: p.maintMargin, updateTime: p.updateTime })),
  });
}

/** `GET /fapi/v2|v3/positionRisk`. */
export function positionRisk(a: Account | undefined, marketId: string | undefined, now: UnixMillis): Answer {
if (a === undefined) return ok([]);
const all = futuresPositions(a, now);
  return ok(marketId === undefined ? all : all.filter((p) => p.symbol === marketId));
}

/** `GET /fapi/v1/leverageBracket`. */
export function leverageBrackets(a: Account | undefined, marketId: string | undefined): Answer {
if (a === undefined) return ok([]);
  const list = [...a.byMarketId.entries()]
    .filter(([id]) => marketId === undefined || id === marketId)
    .map(([id, i]) => ({
      symbol: id,
      notionalCoef: 1,
      brackets: [
        { bracket: 1, initialLeverage: i.maxLeverage, notionalCap: 50_000, notionalFloor: 0, maintMarginRatio: i.maintenanceMarginRate ?? 0.004, cum: 0 },
        { bracket: 2, initialLeverage: Math.max(1, Math.floor(i.maxLeverage / 2)), notionalCap: 1_000_000, notionalFloor: 50_000, maintMarginRatio: (i.maintenanceMarginRate ?? 0.004) * 2, cum: 50_000 * (i.maintenanceMarginRate ?? 0.004) },
      ],
    }));
  if (marketId !== undefined && list.length === 0) return fail(-1121, 'Invalid symbol.');
  return ok(list);
}
