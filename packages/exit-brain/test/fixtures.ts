import {
  symbolId,
  type ClientOrderId,
  type DomainEvent,
  type ExitManagerContext,
  type Instrument,
  type MaybePromise,
  type OrderGateway,
  type PositionId,
  type SubmitOrder,
  type SubmitResult,
  type SymbolId,
  type UnixMillis,
  type VenueOrderId,
} from '@quantum-trader/core';

export const BTC: Instrument = {
  symbol: symbolId('BTC/USDT:USDT'),
  base: 'BTC',
  quote: 'USDT',
  contractType: 'linear',
  tickSize: 0.1,
  lotStep: 0.001,
  minQty: 0.001,
  minNotional: 5,
  maxLeverage: 125,
  makerFee: 0.0002,
  takerFee: 0.0004,
};

export const BNB: Instrument = {
  ...BTC,
  symbol: symbolId('BNB/USDT:USDT'),
  base: 'BNB',
  tickSize: 0.01,
  lotStep: 0.01,
  minQty: 0.01,
};

export const POSITION = 'pos-qt-0123456789abcdefx' as PositionId;

export type Call =
  | { readonly op: 'record'; readonly events: readonly DomainEvent[] }
  | { readonly op: 'submit'; readonly order: SubmitOrder; readonly ts: UnixMillis; readonly sent: boolean }
  | { readonly op: 'cancel'; readonly clientOrderId: ClientOrderId; readonly symbol: SymbolId; readonly reason: string; readonly ts: UnixMillis };

export interface FakeContextOptions {
  /** `async` makes every ctx and gateway method return a promise. */
  readonly mode?: 'sync' | 'async';
  /** Legs (`tp2`, `sl`, …) the venue rejects. */
  readonly rejectLegs?: readonly string[];
  readonly volatility?: number;
  readonly instruments?: readonly Instrument[];
  /** Called after each submission is logged, e.g. to simulate a fill reported from inside the submission. */
  readonly onSubmit?: (order: SubmitOrder) => void;
}

/**
 * A fake kernel context around a recording order gateway. Like the real gateway, a client order id seen before
 * is not sent again: the recorded outcome is returned (the call is logged with `sent: false`).
 */
export class FakeContext implements ExitManagerContext {
  readonly calls: Call[] = [];
  readonly outcomes = new Map<ClientOrderId, SubmitResult>();
  readonly orders: OrderGateway;
  private readonly options: FakeContextOptions;

  constructor(options: FakeContextOptions = {}) {
    this.options = options;
    this.orders = {
      submit: (order, ts) => this.wrap(this.submit(order, ts)),
      cancel: (clientOrderId, symbol, reason, ts) => {
        this.calls.push({ op: 'cancel', clientOrderId, symbol, reason, ts });
        return this.wrap(undefined);
      },
    };
  }

  instrument(symbol: SymbolId): Instrument {
    const found = (this.options.instruments ?? [BTC, BNB]).find((i) => i.symbol === symbol);
    if (found === undefined) throw new Error(`no instrument ${symbol}`);
    return found;
  }

  volatility(): number {
    return this.options.volatility ?? 0.01;
  }

  record(events: readonly DomainEvent[]): MaybePromise<void> {
    this.calls.push({ op: 'record', events });
    return this.wrap(undefined);
  }

  /** What was sent to the venue, in order (deduplicated submissions left out). */
  sent(): SubmitOrder[] {
    return this.calls.flatMap((c) => (c.op === 'submit' && c.sent ? [c.order] : []));
  }

  cancels(): ClientOrderId[] {
    return this.calls.flatMap((c) => (c.op === 'cancel' ? [c.clientOrderId] : []));
  }

  recorded(): DomainEvent[] {
    return this.calls.flatMap((c) => (c.op === 'record' ? [...c.events] : []));
  }

  /** Compact trace: `record:ExitPlanCreated`, `submit:tp1`, `cancel:<coid>`. */
  trace(): string[] {
    return this.calls.map((c) =>
      c.op === 'record'
        ? `record:${c.events.map((e) => e.type).join(',')}`
        : c.op === 'submit'
          ? `submit:${c.order.leg ?? '?'}${c.sent ? '' : '(dup)'}`
          : `cancel:${c.clientOrderId}`,
    );
  }

  private submit(order: SubmitOrder, ts: UnixMillis): SubmitResult {
    const known = this.outcomes.get(order.clientOrderId);
    if (known !== undefined) {
      this.calls.push({ op: 'submit', order, ts, sent: false });
      return known;
    }
    this.calls.push({ op: 'submit', order, ts, sent: true });
    const result: SubmitResult = (this.options.rejectLegs ?? []).includes(order.leg ?? '')
      ? { status: 'rejected', code: '-2021', reason: 'Order would immediately trigger.' }
      : {
          status: 'accepted',
          order: {
            clientOrderId: order.clientOrderId,
            venueOrderId: `v-${order.clientOrderId}` as VenueOrderId,
            symbol: order.symbol,
            side: order.side,
            type: order.type,
            qty: order.qty,
            filledQty: order.type === 'market' ? order.qty : 0,
            avgFillPrice: 0,
            ...(order.price !== undefined ? { price: order.price } : {}),
            ...(order.stopPrice !== undefined ? { stopPrice: order.stopPrice } : {}),
            reduceOnly: order.reduceOnly,
            status: order.type === 'market' ? 'filled' : 'open',
            ts,
          },
        };
    this.outcomes.set(order.clientOrderId, result);
    this.options.onSubmit?.(order);
    return result;
  }

  private wrap<T>(value: T): MaybePromise<T> {
    return this.options.mode === 'async' ? Promise.resolve(value) : value;
  }
}
