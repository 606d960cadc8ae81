import { feedEventIdHash, finishEventIdHash, startEventIdHash } from './event-id-hash.js';
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
  const h = new StableHasher();
  h.add(input);
  return h.hex();
}

/**
 * The state of {@link stableHash} over a string fed in pieces: `add(a); add(b)` hashes as `stableHash(a + b)`
 * would, without building `a + b` (a concatenated string is read character by character only after V8 copies it
 * flat, which costs more than the hash). Internal: ids are made for every order.
 */
class StableHasher {
  #h1 = 0xdeadbeef ^ 0;
  #h2 = 0x41c6ce57 ^ 0;

  add(input: string): void {
    let h1 = this.#h1;
    let h2 = this.#h2;
    for (let i = 0; i < input.length; i++) {
      const ch = input.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    this.#h1 = h1;
    this.#h2 = h2;
  }

  /** Finishes the hash: 16 lowercase hex characters (see {@link stableHash}). */
  hex(): string {
    const [a, b] = this.#finish();
    return String.fromCharCode(
      hexDigit(a, 28), hexDigit(a, 24), hexDigit(a, 20), hexDigit(a, 16), hexDigit(a, 12), hexDigit(a, 8), hexDigit(a, 4), hexDigit(a, 0),
      hexDigit(b, 28), hexDigit(b, 24), hexDigit(b, 20), hexDigit(b, 16), hexDigit(b, 12), hexDigit(b, 8), hexDigit(b, 4), hexDigit(b, 0),
    );
  }

  /** Finishes the hash as a client order id, `qt-` + {@link StableHasher.hex} + `x`, built as one flat string. */
  clientOrderId(): string {
    const [a, b] = this.#finish();
    return String.fromCharCode(
      113, 116, 45, // 'qt-'
      hexDigit(a, 28), hexDigit(a, 24), hexDigit(a, 20), hexDigit(a, 16), hexDigit(a, 12), hexDigit(a, 8), hexDigit(a, 4), hexDigit(a, 0),
      hexDigit(b, 28), hexDigit(b, 24), hexDigit(b, 20), hexDigit(b, 16), hexDigit(b, 12), hexDigit(b, 8), hexDigit(b, 4), hexDigit(b, 0),
      120, // 'x'
    );
  }

  #finish(): [number, number] {
    let h1 = this.#h1;
    let h2 = this.#h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return [h2 >>> 0, h1 >>> 0];
  }
}

/** The character code of the hex digit of `x` at bit `shift` (lowercase). */
function hexDigit(x: number, shift: number): number {
  const n = (x >>> shift) & 15;
  return n < 10 ? 48 + n : 87 + n;
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
  return `${strategy}|${symbol}|${integerText(candleTs)}|${side}` as IntentId;
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
  // stableHash(`${intent}#${leg}`), fed in pieces, and the id built flat: it is a key of several maps at once.
  const h = new StableHasher();
  h.add(intent);
  h.add('#');
  h.add(leg);
  return h.clientOrderId() as ClientOrderId;
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
  // template for the usual one or two parts. Its hash for the journal's duplicate check is computed on the way, from
  // the pieces (event-id-hash.ts).
  const prefix = startEventIdHash(type);
  const n = parts.length;
  let id: string;
  if (n === 1) {
    const p0 = partText(parts[0]!);
    feedEventIdHash(p0);
    id = prefix + p0;
  } else if (n === 2) {
    const p0 = partText(parts[0]!);
    const p1 = partText(parts[1]!);
    feedEventIdHash(p0);
    feedEventIdHash(':');
    feedEventIdHash(p1);
    id = `${prefix}${p0}:${p1}`;
  } else {
    id = prefix;
    for (let i = 0; i < n; i++) {
      const p = partText(parts[i]!);
      if (i > 0) feedEventIdHash(':');
      feedEventIdHash(p);
      id += i === 0 ? p : `:${p}`;
    }
  }
  finishEventIdHash(id);
  return id;
}

/** A part of an id as text: a string as it is, a number as `String` writes it ({@link integerText} for time stamps). */
function partText(part: string | number): string {
  return typeof part === 'string' ? part : integerText(part);
}

/**
 * `String(x)`, the same text, written faster for the integers ids are made of most (time stamps in milliseconds,
 * 10^7 ≤ x < 10^16): as two numbers in V8's small-integer range — the millions and the last seven digits — which it
 * converts without the runtime's double-to-text (about 40 instead of 130 ns; a backtest writes one per portfolio
 * snapshot). Anything else is `String(x)`.
 *
 * @example
 * ```ts
 * integerText(1_617_800_400_000); // '1617800400000'
 * integerText(0.5);               // '0.5'
 * ```
 */
export function integerText(x: number): string {
  if (x >= 1e7 && x < 1e16 && Number.isInteger(x)) {
    const high = Math.floor(x / 1e7);
    // 1e7 + low has eight digits: the seven after the first are low, zero-padded
    return `${high}${String(1e7 + (x - high * 1e7)).slice(1)}`;
  }
  return String(x);
}
