import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import type { DomainEvent, OrderAccepted, OrderRejected, ReconciliationPerformed } from '../model/events.js';
import { clientOrderIdOf, eventIdOf, type ClientOrderId, type SymbolId, type UnixMillis, type VenueOrderId } from '../model/ids.js';
import { roundOrderToInstrument, type Instrument } from '../model/instrument.js';
import { isLiveOrderStatus, type OrderStatus, type SubmitOrder, type TradeIntent, type VenueOrder } from '../model/orders.js';
import type { Broker, SubmitResult } from '../ports/broker.js';
import type { FillRow, OrderRow } from '../ports/journal.js';
import type { MaybePromise } from '../ports/maybe-promise.js';
import type { OrderGateway } from '../ports/order-gateway.js';

/** What the execution engine remembers of an order. */
interface KnownOrder {
  order: SubmitOrder;
  status: OrderStatus;
  venueOrderId: VenueOrderId | undefined;
  filledQty: number;
  avgPrice: number;
  fills: number;
  rejectCode: string | undefined;
  rejectReason: string | undefined;
  ts: UnixMillis;
}

/** Options of {@link ExecutionEngine}. */
export interface ExecutionEngineOptions {
  readonly broker: Broker;
  /** Journals events (and publishes them); resolves once they are committed. */
  readonly record: (events: readonly DomainEvent[]) => MaybePromise<void>;
  readonly instrument: (symbol: SymbolId) => Instrument;
  /** Test hook: called at each step of the submit path; throwing simulates a crash at that step. */
  readonly onStep?: (step: 'journalled' | 'sent' | 'answered', clientOrderId: ClientOrderId) => void;
}

/**
 * The execution engine and the one {@link OrderGateway}: journal `OrderSubmitting` → send with the deterministic
 * client order id → journal the venue's answer. A client order id it has seen (in this process or in the journal
 * it was restored from) is never sent twice. On restart, {@link ExecutionEngine.recover} looks every order left in
 * `submitting` up at the venue by its client order id and adopts it, or re-sends it with the same id.
 *
 * @example
 * ```ts
 * const execution = new ExecutionEngine({ broker, record: (e) => kernel.record(e), instrument });
 * await execution.execute(intent, scheduler.now());
 * ```
 */
export class ExecutionEngine implements OrderGateway {
  private readonly known = new Map<ClientOrderId, KnownOrder>();
  /**
   * The order {@link ExecutionEngine.find} answered last, and its id: the steps of one order come in a row (submitted,
   * journalled, accepted, its events handed back), so most lookups ask for it again and skip the big map.
   */
  #lastId: ClientOrderId | undefined;
  #last: KnownOrder | undefined;

  constructor(private readonly options: ExecutionEngineOptions) {}

  /** Opens the position an intent asks for, with a market order whose client order id derives from the intent. */
  execute(intent: TradeIntent, ts: UnixMillis): MaybePromise<SubmitResult> {
    return this.submit(
      {
        clientOrderId: clientOrderIdOf(intent.id, 'entry'),
        symbol: intent.symbol,
        side: intent.side,
        type: 'market',
        qty: intent.qty,
        reduceOnly: false,
        leverage: intent.leverage,
        intentId: intent.id,
        leg: 'entry',
      },
      ts,
    );
  }

  submit(raw: SubmitOrder, ts: UnixMillis): MaybePromise<SubmitResult> {
    const seen = this.find(raw.clientOrderId);
    if (seen !== undefined) return outcomeOf(seen);
    const order = roundOrderToInstrument(raw, this.options.instrument(raw.symbol));
    const known: KnownOrder = {
      order,
      status: 'submitting',
      venueOrderId: undefined,
      filledQty: 0,
      avgPrice: 0,
      fills: 0,
      rejectCode: undefined,
      rejectReason: undefined,
      ts,
    };
    this.known.set(order.clientOrderId, known);
    this.#lastId = order.clientOrderId;
    this.#last = known;
    const journalled = this.options.record([
      { id: eventIdOf('OrderSubmitting', order.clientOrderId), type: 'OrderSubmitting', ts, order },
    ]);
    if (journalled instanceof Promise) return journalled.then(() => this.sendJournalled(order, ts));
    return this.sendJournalled(order, ts);
  }

  /** After `OrderSubmitting` is journalled: the crash-test hook, then the venue. */
  private sendJournalled(order: SubmitOrder, ts: UnixMillis): MaybePromise<SubmitResult> {
    this.options.onStep?.('journalled', order.clientOrderId);
    return this.send(order, ts);
  }

  cancel(clientOrderId: ClientOrderId, symbol: SymbolId, _reason: string, _ts: UnixMillis): MaybePromise<void> {
    const k = this.find(clientOrderId);
    if (k !== undefined && (k.status === 'filled' || k.status === 'canceled' || k.status === 'rejected')) return;
    return this.options.broker.cancel(clientOrderId, symbol);
  }

  /** Keeps order state in step with journalled events (fills and cancels reported by the venue). */
  onEvent(event: DomainEvent): void {
    switch (event.type) {
      case 'OrderSubmitting': {
        // Orders journalled by someone else (a venue-initiated liquidation): known from now on.
        if (this.find(event.order.clientOrderId) === undefined) {
          this.known.set(event.order.clientOrderId, {
            order: event.order,
            status: 'submitting',
            venueOrderId: undefined,
            filledQty: 0,
            avgPrice: 0,
            fills: 0,
            rejectCode: undefined,
            rejectReason: undefined,
            ts: event.ts,
          });
        }
        return;
      }
      case 'OrderAccepted': {
        const k = this.find(event.clientOrderId);
        if (k !== undefined && k.status === 'submitting') {
          k.status = 'open';
          k.venueOrderId = event.venueOrderId;
        }
        return;
      }
      case 'OrderFilled': {
        const k = this.find(event.clientOrderId);
        if (k !== undefined) {
          k.avgPrice = (k.avgPrice * k.filledQty + event.price * event.qty) / (k.filledQty + event.qty);
          k.fills = Math.max(k.fills, event.fillSeq);
          k.filledQty += event.qty;
          k.status = event.remainingQty > 0 ? 'partially_filled' : 'filled';
        }
        return;
      }
      case 'OrderCanceled': {
        const k = this.find(event.clientOrderId);
        if (k !== undefined) k.status = 'canceled';
        return;
      }
      default:
        return;
    }
  }

  /** Status of an order this engine knows. */
  status(clientOrderId: ClientOrderId): OrderStatus | undefined {
    return this.find(clientOrderId)?.status;
  }

  /** The known order with this id (the one asked for last is answered without the map; orders are never removed). */
  private find(clientOrderId: ClientOrderId): KnownOrder | undefined {
    if (clientOrderId === this.#lastId) return this.#last;
    const k = this.known.get(clientOrderId);
    if (k !== undefined) {
      this.#lastId = clientOrderId;
      this.#last = k;
    }
    return k;
  }

  /** Restores the known orders from the journal's order projection (after a restart). */
  restore(rows: readonly OrderRow[], fills: readonly FillRow[] = []): void {
    const fillCount = new Map<ClientOrderId, number>();
    for (const f of fills) fillCount.set(f.clientOrderId, Math.max(fillCount.get(f.clientOrderId) ?? 0, f.fillSeq));
    this.#lastId = undefined;
    this.#last = undefined;
    for (const r of rows) {
      this.known.set(r.clientOrderId, {
        order: {
          clientOrderId: r.clientOrderId,
          symbol: r.symbol,
          side: r.side,
          type: r.type,
          qty: r.qty,
          reduceOnly: r.reduceOnly,
          ...(r.price !== null ? { price: r.price } : {}),
          ...(r.stopPrice !== null ? { stopPrice: r.stopPrice } : {}),
          ...(r.leverage !== null ? { leverage: r.leverage } : {}),
          ...(r.intentId !== null ? { intentId: r.intentId } : {}),
          ...(r.positionId !== null ? { positionId: r.positionId } : {}),
          ...(r.leg !== null ? { leg: r.leg } : {}),
        },
        status: r.status,
        venueOrderId: r.venueOrderId ?? undefined,
        filledQty: r.filledQty,
        avgPrice: r.avgFillPrice,
        fills: fillCount.get(r.clientOrderId) ?? 0,
        rejectCode: r.status === 'rejected' ? (r.statusReason ?? '').split(':')[0] : undefined,
        rejectReason: r.status === 'rejected' ? (r.statusReason ?? '') : undefined,
        ts: r.createdAt,
      });
    }
  }

  /**
   * Resolves every order left in `submitting` (the process died between journalling and the venue's answer):
   * if the venue knows the client order id, the order is adopted (its acceptance, and any fill the journal
   * missed, is journalled); otherwise it is sent again with the same client order id. Open orders whose fills
   * the journal missed get those fills journalled. Every adoption is journalled as `ReconciliationPerformed`.
   */
  async recover(now: UnixMillis): Promise<void> {
    for (const k of [...this.known.values()]) {
      if (!isLiveOrderStatus(k.status)) continue;
      const coid = k.order.clientOrderId;
      const venue = await this.options.broker.getOrder(coid, k.order.symbol);
      if (venue === undefined) {
        if (k.status === 'submitting') {
          await this.options.record([reconciled(coid, now, 'submitting', 'unknown at venue', 'sent again with the same client order id')]);
          await this.send(k.order, now);
        } else {
          await this.options.record([
            reconciled(coid, now, k.status, 'unknown at venue', 'marked canceled'),
            { id: eventIdOf('OrderCanceled', coid), type: 'OrderCanceled', ts: now, clientOrderId: coid, symbol: k.order.symbol, reason: 'missing at venue after restart' },
          ]);
        }
        continue;
      }
      const events: DomainEvent[] = [];
      if (k.status === 'submitting') {
        events.push(reconciled(coid, now, 'submitting', venue.status, 'adopted the venue order'));
        events.push(accepted(k.order, venue, now));
      }
      const missing = venue.filledQty - k.filledQty;
      if (missing > 1e-12) {
        const inst = this.options.instrument(k.order.symbol);
        // The venue reports only an average: the missed part is valued so that the order's average matches.
        const price =
          k.filledQty > 0 && k.avgPrice > 0
            ? (venue.avgFillPrice * venue.filledQty - k.avgPrice * k.filledQty) / missing
            : venue.avgFillPrice;
        events.push(reconciled(coid, now, `filled ${k.filledQty}`, `filled ${venue.filledQty}`, 'journalled the missed fill'));
        events.push({
          id: eventIdOf('OrderFilled', coid, 'recovered', venue.filledQty),
          type: 'OrderFilled',
          ts: now,
          clientOrderId: coid,
          venueOrderId: venue.venueOrderId,
          symbol: k.order.symbol,
          side: k.order.side,
          orderType: k.order.type,
          fillSeq: k.fills + 1,
          qty: missing,
          price,
          fee: missing * price * (k.order.type === 'limit' ? inst.makerFee : inst.takerFee),
          feeCurrency: inst.quote,
          liquidity: k.order.type === 'limit' ? 'maker' : 'taker',
          remainingQty: Math.max(0, venue.qty - venue.filledQty),
          reduceOnly: k.order.reduceOnly,
        });
      }
      if (venue.status === 'canceled' || venue.status === 'rejected') {
        events.push({ id: eventIdOf('OrderCanceled', coid), type: 'OrderCanceled', ts: now, clientOrderId: coid, symbol: k.order.symbol, reason: `venue reports ${venue.status}` });
      }
      if (events.length > 0) await this.options.record(events);
    }
  }

  private send(order: SubmitOrder, ts: UnixMillis): MaybePromise<SubmitResult> {
    let answer: MaybePromise<SubmitResult>;
    try {
      answer = this.options.broker.submit(order);
    } catch (err) {
      throw new QuantumTraderError('BROKER_FAILED', `sending order ${order.clientOrderId} failed: ${(err as Error).message}`, { cause: err });
    }
    // no closures on the synchronous path (a simulated venue answers at once, for every order of a backtest)
    return answer instanceof Promise ? answer.then((result) => this.answered(order, ts, result)) : this.answered(order, ts, answer);
  }

  /** The venue's answer to `order`: the known order updated, `OrderAccepted` or `OrderRejected` journalled. */
  private answered(order: SubmitOrder, ts: UnixMillis, result: SubmitResult): MaybePromise<SubmitResult> {
    this.options.onStep?.('sent', order.clientOrderId);
    const k = this.find(order.clientOrderId)!;
    let event: OrderAccepted | OrderRejected;
    if (result.status === 'accepted') {
      if (k.status === 'submitting') k.status = 'open';
      k.venueOrderId = result.order.venueOrderId;
      event = accepted(order, result.order, ts);
    } else {
      k.status = 'rejected';
      k.rejectCode = result.code;
      k.rejectReason = result.reason;
      event = {
        id: eventIdOf('OrderRejected', order.clientOrderId),
        type: 'OrderRejected',
        ts,
        clientOrderId: order.clientOrderId,
        symbol: order.symbol,
        code: result.code,
        reason: result.reason,
      };
    }
    const recorded = this.options.record([event]);
    if (recorded instanceof Promise) return recorded.then(() => this.answeredJournalled(order, result));
    return this.answeredJournalled(order, result);
  }

  /** After the answer is journalled: the crash-test hook, and the answer to the caller. */
  private answeredJournalled(order: SubmitOrder, result: SubmitResult): SubmitResult {
    this.options.onStep?.('answered', order.clientOrderId);
    return result;
  }
}

function accepted(order: SubmitOrder, venue: VenueOrder, ts: UnixMillis): OrderAccepted {
  return {
    id: eventIdOf('OrderAccepted', order.clientOrderId),
    type: 'OrderAccepted',
    ts,
    clientOrderId: order.clientOrderId,
    venueOrderId: venue.venueOrderId,
    symbol: order.symbol,
  };
}

function reconciled(coid: ClientOrderId, ts: UnixMillis, journal: string, venue: string, action: string): ReconciliationPerformed {
  return {
    id: eventIdOf('ReconciliationPerformed', coid, journal, venue),
    type: 'ReconciliationPerformed',
    ts,
    subject: `order ${coid}`,
    journal,
    venue,
    action,
  };
}

function outcomeOf(k: KnownOrder): SubmitResult {
  if (k.status === 'rejected') {
    return { status: 'rejected', code: k.rejectCode ?? 'REJECTED', reason: k.rejectReason ?? 'rejected earlier' };
  }
  return {
    status: 'accepted',
    order: {
      clientOrderId: k.order.clientOrderId,
      venueOrderId: (k.venueOrderId ?? ('' as VenueOrderId)),
      symbol: k.order.symbol,
      side: k.order.side,
      type: k.order.type,
      qty: k.order.qty,
      filledQty: k.filledQty,
      avgFillPrice: 0,
      reduceOnly: k.order.reduceOnly,
      status: k.status === 'submitting' ? 'open' : k.status,
      ts: k.ts,
      ...(k.order.price !== undefined ? { price: k.order.price } : {}),
      ...(k.order.stopPrice !== undefined ? { stopPrice: k.order.stopPrice } : {}),
    },
  };
}
