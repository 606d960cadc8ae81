declare const brand: unique symbol;

/**
 * A nominal ("branded") type: a `T` that TypeScript will not confuse with another `T` of a different meaning.
 *
 * @example
 * ```ts
 * type Meters = Brand<number, 'Meters'>;
 * const d = 5 as Meters;
 * ```
 */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Milliseconds since the Unix epoch, UTC. Event time, never wall-clock time read inside an engine. */
export type UnixMillis = number;

/**
 * A ccxt unified market symbol: `BTC/USDT` for spot, `BTC/USDT:USDT` for a USDT-margined linear perpetual.
 * Named `SymbolId` rather than `Symbol` so it never shadows JavaScript's global `Symbol`.
 */
export type SymbolId = Brand<string, 'Symbol'>;
/** Identifies a strategy plugin instance, e.g. `momentum-24h`. */
export type StrategyId = Brand<string, 'StrategyId'>;
/** Deterministic id of a trade intent, derived from what produced it (see {@link intentIdOf}). */
export type IntentId = Brand<string, 'IntentId'>;
/** Deterministic client order id sent to the venue (see {@link clientOrderIdOf}); at most 32 characters. */
export type ClientOrderId = Brand<string, 'ClientOrderId'>;
/** The id a venue gives an order. */
export type VenueOrderId = Brand<string, 'VenueOrderId'>;
/** Identifies one position from open to flat. */
export type PositionId = Brand<string, 'PositionId'>;
/** Identifies an exit plan. */
export type PlanId = Brand<string, 'PlanId'>;
/** A model version in the CLM registry, e.g. `v7`. */
export type ModelVersion = Brand<string, 'ModelVersion'>;

/**
 * Brands a string as a {@link SymbolId}. Validates the ccxt unified shape `BASE/QUOTE` or `BASE/QUOTE:SETTLE`.
 *
 * @example
 * ```ts
 * const btc = symbolId('BTC/USDT');
 * ```
 */
export function symbolId(value: string): SymbolId {
  if (!/^[A-Z0-9]+\/[A-Z0-9]+(:[A-Z0-9]+)?$/.test(value)) {
    throw new TypeError(
      `invalid symbol "${value}": expected a ccxt unified symbol such as "BTC/USDT" or "BTC/USDT:USDT"`,
    );
  }
  return value as SymbolId;
}

/**
 * Brands a string as a {@link StrategyId}.
 *
 * @example
 * ```ts
 * const id = strategyId('momentum-24h');
 * ```
 */
export function strategyId(value: string): StrategyId {
  return value as StrategyId;
}

/**
 * A 64-bit (two interleaved 32-bit lanes) non-cryptographic hash rendered as 16 lowercase hex characters.
 * Deterministic across processes and platforms; used to derive ids, never for security.
 *
 * @example
 * ```ts
 * stableHash('a') === stableHash('a'); // true
 * ```
 */
export function stableHash(input: string): string {
  let h1 = 0xdeadbeef ^ 0;
  let h2 = 0x41c6ce57 ^ 0;
  for (let i = 0; i < input.length; i++) {
    const ch = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex8(h2 >>> 0, h1 >>> 0);
}

/** Two unsigned 32-bit numbers as 16 lowercase hex digits (each zero-padded to 8) in one string. */
function hex8(a: number, b: number): string {
  const d = (x: number, shift: number): number => {
    const n = (x >>> shift) & 15;
    return n < 10 ? 48 + n : 87 + n;
  };
  return String.fromCharCode(
    d(a, 28), d(a, 24), d(a, 20), d(a, 16), d(a, 12), d(a, 8), d(a, 4), d(a, 0),
    d(b, 28), d(b, 24), d(b, 20), d(b, 16), d(b, 12), d(b, 8), d(b, 4), d(b, 0),
  );
}

/**
 * Derives an intent id from what produced it: strategy, symbol, the candle time the signal was computed on, and side.
 * The same signal always yields the same id, so a re-delivered or re-computed intent is recognised.
 *
 * @example
 * ```ts
 * const id = intentIdOf(strategyId('momentum-24h'), symbolId('BTC/USDT'), 1_617_235_200_000, 'buy');
 * // 'momentum-24h|BTC/USDT|1617235200000|buy'
 * ```
 */
export function intentIdOf(
  strategy: StrategyId,
  symbol: SymbolId,
  candleTs: UnixMillis,
  side: 'buy' | 'sell',
): IntentId {
  return `${strategy}|${symbol}|${candleTs}|${side}` as IntentId;
}

/**
 * Derives the client order id of one leg of an intent (`entry`, `tp1`, `sl`, …). Always 20 characters of
 * `[a-z0-9-]`, inside Binance's `newClientOrderId` limit of 36.
 *
 * @example
 * ```ts
 * const coid = clientOrderIdOf('momentum-24h|BTC/USDT|1617235200000|buy' as IntentId, 'entry');
 * coid.length; // 20
 * ```
 */
export function clientOrderIdOf(intent: IntentId | PositionId | PlanId, leg: string): ClientOrderId {
  return `qt-${stableHash(`${intent}#${leg}`)}x`.slice(0, 20) as ClientOrderId;
}

/**
 * Derives a position id from the client order id of the order that opened it.
 *
 * @example
 * ```ts
 * const pid = positionIdOf(clientOrderIdOf(intentId, 'entry'));
 * ```
 */
export function positionIdOf(openingOrder: ClientOrderId): PositionId {
  return `pos-${openingOrder}` as PositionId;
}

/**
 * Derives a deterministic event id from the event type and the parts that make it unique.
 *
 * @example
 * ```ts
 * eventIdOf('OrderFilled', coid, 1); // 'OrderFilled:qt-…:1'
 * ```
 */
export function eventIdOf(type: string, ...parts: ReadonlyArray<string | number>): string {
  // `${type}:${parts.join(':')}`, without the intermediate strings of a join (ids are made for every event); one
  // template for the usual one or two parts
  const n = parts.length;
  if (n === 1) return `${type}:${parts[0]!}`;
  if (n === 2) return `${type}:${parts[0]!}:${parts[1]!}`;
  let id = `${type}:`;
  for (let i = 0; i < n; i++) id += i === 0 ? `${parts[i]!}` : `:${parts[i]!}`;
  return id;
}
