import type { MarketKind } from './binance-json.js';

/** A Binance error answer. */
export interface BinanceError {
  readonly status: number;
  readonly code: number;
  readonly msg: string;
}

/** What a handler returns: a JSON body with a status, or a Binance error. */
export type Answer = { readonly status: number; readonly body: unknown } | { readonly error: BinanceError };

export function ok(body: unknown): Answer {
  return { status: 200, body };
}
export function fail(code: number, msg: string, status = 400): Answer {
  return { error: { status, code, msg } };
}

/** The Binance error of a SimulatedExchange rejection. */
export function simRejection(kind: MarketKind, code: string, reason: string, minNotional: number): Answer {
  switch (code) {
    case 'LOT_SIZE':
      return fail(-1013, 'Filter failure: LOT_SIZE');
    case 'PRICE_FILTER':
      return kind === 'spot' ? fail(-1013, 'Filter failure: PRICE_FILTER') : fail(-4014, 'Price not increased by tick size.');
    case 'MIN_NOTIONAL':
      return kind === 'spot'
        ? fail(-1013, 'Filter failure: NOTIONAL')
        : fail(-4164, `Order's notional must be no smaller than ${minNotional} (unless you choose reduce only).`);
    case '-2010':
      return fail(-2010, 'Account has insufficient balance for requested action.');
    case '-2019':
      return fail(-2019, 'Margin is insufficient.');
    case '-1102':
      return fail(-1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
    case '-4028':
      return fail(-4028, reason);
    case '-1121':
      return fail(-1121, 'Invalid symbol.');
    default:
      return fail(-1013, reason);
  }
}
