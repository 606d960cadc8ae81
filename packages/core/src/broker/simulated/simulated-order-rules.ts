import type { SubmitOrder } from '../../model/orders.js';
import type { SymbolBook } from './simulated-book.js';
import type { SimLedger } from './simulated-ledger.js';

/** Why the simulated venue refused an order: a Binance-style `code` and a sentence naming the value and rule. */
export interface Rejection {
  readonly code: string;
  readonly reason: string;
}

function onStep(value: number, step: number): boolean {
  if (!(step > 0)) return true;
  const r = value / step;
  return Math.abs(r - Math.round(r)) <= Math.max(1e-6, Math.abs(r) * 1e-12);
}

/**
 * The price an order reserves balance or margin at: the limit price; the stop price or the last close (market),
 * slipped adversely for buys. 0 when unknown (a market order before the first candle).
 *
 * @internal
 */
export function referencePrice(order: SubmitOrder, book: SymbolBook, slip: number): number {
  const up = order.side === 'buy' ? 1 + slip : 1;
  if (order.type === 'limit') return order.price ?? 0;
  if (order.type === 'stop_market') return (order.stopPrice ?? 0) * up;
  return Number.isNaN(book.last) ? 0 : book.last * up;
}

/**
 * Checks an order against the instrument's rules and the account, in the order a venue does: quantity
 * (`LOT_SIZE`), prices (`-1102` missing, `PRICE_FILTER`), leverage (`-4028`), notional (`MIN_NOTIONAL`; reduce-only
 * orders are exempt, market orders use the last close and skip the check before the first candle) and funds
 * (`-2010` spot, `-2019` linear).
 *
 * @internal
 */
export function validateOrder(
  order: SubmitOrder,
  book: SymbolBook,
  ledger: SimLedger,
  slip: number,
): Rejection | undefined {
  const inst = book.instrument;
  const sym = inst.symbol;
  const qty = order.qty;
  if (!(Number.isFinite(qty) && qty > 0)) {
    return { code: 'LOT_SIZE', reason: `quantity ${qty} of ${sym} must be a positive number (LOT_SIZE)` };
  }
  if (qty < inst.minQty * (1 - 1e-9)) {
    return {
      code: 'LOT_SIZE',
      reason: `quantity ${qty} of ${sym} is below the minimum quantity ${inst.minQty} (LOT_SIZE)`,
    };
  }
  if (!onStep(qty, inst.lotStep)) {
    return {
      code: 'LOT_SIZE',
      reason: `quantity ${qty} of ${sym} is not a multiple of the lot step ${inst.lotStep} (LOT_SIZE)`,
    };
  }
  const priceField = order.type === 'limit' ? 'price' : order.type === 'stop_market' ? 'stopPrice' : undefined;
  let notionalPrice = Number.isNaN(book.last) ? 0 : book.last;
  if (priceField !== undefined) {
    const p = order[priceField];
    if (p === undefined || !(Number.isFinite(p) && p > 0)) {
      return {
        code: '-1102',
        reason: `a ${order.type} order on ${sym} needs a positive '${priceField}', got ${p}`,
      };
    }
    if (!onStep(p, inst.tickSize)) {
      return {
        code: 'PRICE_FILTER',
        reason: `${priceField} ${p} of ${sym} is not a multiple of the tick size ${inst.tickSize} (PRICE_FILTER)`,
      };
    }
    notionalPrice = p;
  }
  const lev = order.leverage ?? 1;
  if (!(Number.isFinite(lev) && lev >= 1)) {
    return { code: '-4028', reason: `leverage ${lev} on ${sym} is not valid: it must be a number >= 1` };
  }
  if (book.spot && lev !== 1) {
    return { code: '-4028', reason: `leverage ${lev} is not valid on the spot market ${sym}: spot trades at 1x` };
  }
  if (lev > inst.maxLeverage) {
    return {
      code: '-4028',
      reason: `leverage ${lev} on ${sym} is above the instrument's maximum leverage ${inst.maxLeverage}`,
    };
  }
  if (!order.reduceOnly && notionalPrice > 0 && qty * notionalPrice < inst.minNotional * (1 - 1e-9)) {
    return {
      code: 'MIN_NOTIONAL',
      reason: `notional ${qty * notionalPrice} ${inst.quote} (${qty} × ${notionalPrice}) of ${sym} is below the minimum notional ${inst.minNotional} ${inst.quote} (MIN_NOTIONAL)`,
    };
  }

  const ref = referencePrice(order, book, slip);
  if (book.spot) {
    if (order.side === 'sell') {
      const free = ledger.free(inst.base);
      if (qty > free + 1e-12) {
        return {
          code: '-2010',
          reason: `Account has insufficient balance for requested action: selling ${qty} ${inst.base} on ${sym} needs ${qty} ${inst.base} held but only ${free} is free (spot cannot sell short)`,
        };
      }
    } else {
      const need = qty * ref * (1 + inst.takerFee);
      const free = ledger.free(inst.quote);
      if (need > free * (1 + 1e-12)) {
        return {
          code: '-2010',
          reason: `Account has insufficient balance for requested action: buying ${qty} ${inst.base} on ${sym} needs about ${need} ${inst.quote} but only ${free} ${inst.quote} is free`,
        };
      }
    }
  } else if (!order.reduceOnly) {
    const need = (qty * ref) / lev + qty * ref * inst.takerFee;
    const free = ledger.free(inst.quote);
    if (need > free * (1 + 1e-12)) {
      return {
        code: '-2019',
        reason: `Margin is insufficient: ${qty} ${inst.base} on ${sym} at ${lev}x needs about ${need} ${inst.quote} of initial margin and fees but only ${free} ${inst.quote} is free`,
      };
    }
  }
  return undefined;
}
