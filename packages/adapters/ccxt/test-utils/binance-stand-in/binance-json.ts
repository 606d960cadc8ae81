import { decimalsOf, type Instrument } from '@quantum-trader/core';

/** Which Binance API family a market belongs to. */
export type MarketKind = 'spot' | 'futures';

/** Binance's market id of a unified symbol: `BTC/USDT` and `BTC/USDT:USDT` are both `BTCUSDT`. */
export function marketIdOf(instrument: Instrument): string {
  return `${instrument.base}${instrument.quote}`;
}

/** A decimal string the way Binance prints numbers: never in exponent notation, no binary noise. */
export function dec(n: number): string {
  if (!Number.isFinite(n)) return '0';
  const s = n.toFixed(12).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** `dec` with the decimals of a step (tick size or lot step). */
export function decStep(n: number, step: number): string {
  return n.toFixed(Math.max(decimalsOf(step), 0));
}

const SPOT_ORDER_TYPES = ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'];
const FUTURES_ORDER_TYPES = ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'];

/** The `symbols[i]` entry of `GET /api/v3/exchangeInfo` for a spot instrument. */
export function spotSymbolInfo(i: Instrument): Record<string, unknown> {
  return {
    symbol: marketIdOf(i),
    status: 'TRADING',
    baseAsset: i.base,
    baseAssetPrecision: 8,
    quoteAsset: i.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: SPOT_ORDER_TYPES,
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: decStep(i.tickSize, i.tickSize), maxPrice: '1000000.00000000', tickSize: decStep(i.tickSize, i.tickSize) },
      { filterType: 'LOT_SIZE', minQty: decStep(i.minQty, i.lotStep), maxQty: '9000.00000000', stepSize: decStep(i.lotStep, i.lotStep) },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
      {
        filterType: 'NOTIONAL',
        minNotional: dec(i.minNotional),
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

/** The `symbols[i]` entry of `GET /fapi/v1/exchangeInfo` for a linear perpetual. */
export function futuresSymbolInfo(i: Instrument): Record<string, unknown> {
  return {
    symbol: marketIdOf(i),
    pair: marketIdOf(i),
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: i.base,
    quoteAsset: i.quote,
    marginAsset: i.quote,
    pricePrecision: decimalsOf(i.tickSize),
    quantityPrecision: decimalsOf(i.lotStep),
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: decStep(i.tickSize, i.tickSize), maxPrice: '4529764', tickSize: decStep(i.tickSize, i.tickSize) },
      { filterType: 'LOT_SIZE', minQty: decStep(i.minQty, i.lotStep), maxQty: '1000', stepSize: decStep(i.lotStep, i.lotStep) },
      { filterType: 'MARKET_LOT_SIZE', minQty: decStep(i.minQty, i.lotStep), maxQty: '120', stepSize: decStep(i.lotStep, i.lotStep) },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: dec(i.minNotional) },
      { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
    ],
    orderTypes: FUTURES_ORDER_TYPES,
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
  };
}

/** The rate limits Binance advertises in exchangeInfo. */
export const RATE_LIMITS = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
];

/** Binance's numeric order status of a venue order status. */
export function binanceStatus(status: string): string {
  switch (status) {
    case 'open':
      return 'NEW';
    case 'partially_filled':
      return 'PARTIALLY_FILLED';
    case 'filled':
      return 'FILLED';
    case 'canceled':
      return 'CANCELED';
    case 'rejected':
      return 'REJECTED';
    default:
      return 'NEW';
  }
}
