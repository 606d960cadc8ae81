import type { ClientOrderId, KernelLogger } from '@quantum-trader/core';
import type { Exchange, Order } from 'ccxt';
import { waitForConnection } from '../exchange/wait-for-connection.js';
import type { Stopper } from '../retry/stopper.js';
import { venueOrderOf } from './ccxt-order-mapping.js';
import type { CcxtVenueOrders } from './ccxt-venue-orders.js';
import type { LastExecution, OrderTracker } from './order-tracker.js';

/** Settings of an {@link OrderUpdateStream}. */
export interface OrderUpdateStreamOptions {
  readonly transport: 'websocket' | 'poll';
  readonly pollIntervalMs: number;
  readonly resyncIntervalMs: number;
  readonly reconnectDelayMs: number;
}

/**
 * Keeps the order tracker in step with the venue: over the user-data WebSocket (`watchOrders`), with a REST
 * back-fill of every working order after each (re)connect and every `resyncIntervalMs`, or by REST polling alone.
 */
export class OrderUpdateStream {
  private firstConnection: Promise<void> | undefined;

  constructor(
    private readonly exchange: Exchange,
    private readonly orders: CcxtVenueOrders,
    private readonly tracker: OrderTracker,
    private readonly stopper: Stopper,
    private readonly logger: KernelLogger,
    private readonly redact: (text: string) => string,
    private readonly options: OrderUpdateStreamOptions,
  ) {}

  /** Starts the loops; resolves once the first connection is up (or polling has begun). */
  start(): Promise<void> {
    if (this.firstConnection !== undefined) return this.firstConnection;
    if (this.options.transport === 'poll') {
      void this.pollLoop();
      this.firstConnection = Promise.resolve();
    } else {
      this.firstConnection = new Promise((resolve) => void this.streamLoop(resolve));
      void this.resyncLoop();
    }
    return this.firstConnection;
  }

  /** Reads every working order over REST and applies what changed (the gap back-fill). */
  async backfill(reason: string): Promise<void> {
    const working = this.tracker.working();
    for (const [symbol, coids] of working) {
      if (this.stopper.stopped) return;
      try {
        const open = await this.orders.open(symbol);
        const seen = new Set<ClientOrderId>();
        for (const { order } of open) {
          if (!this.tracker.isTracked(order.clientOrderId)) continue;
          seen.add(order.clientOrderId);
          this.tracker.observe(order);
        }
        for (const coid of coids) {
          if (seen.has(coid) || !this.tracker.isTracked(coid)) continue;
          const v = await this.orders.lookup(coid, symbol);
          if (v !== undefined) this.tracker.observe(v);
        }
      } catch (err) {
        this.logger.warn({ symbol, reason, error: this.redact((err as Error).message) }, 'order back-fill over REST failed; will try again');
      }
    }
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopper.stopped) {
      await this.backfill('poll');
      await this.stopper.sleep(this.options.pollIntervalMs);
    }
  }

  private async resyncLoop(): Promise<void> {
    while (!this.stopper.stopped) {
      await this.stopper.sleep(this.options.resyncIntervalMs);
      if (!this.stopper.stopped) await this.backfill('periodic resync');
    }
  }

  private async streamLoop(connected: () => void): Promise<void> {
    let delay = this.options.reconnectDelayMs;
    let first = true;
    while (!this.stopper.stopped) {
      const attemptStart = Date.now();
      let pending = this.exchange.watchOrders();
      pending.catch(() => undefined);
      await waitForConnection(this.exchange, attemptStart, 5_000, this.stopper);
      const label = first ? 'start' : 'reconnect';
      if (first) {
        first = false;
        connected();
      }
      // events that happened while disconnected are read over REST once the stream is live again
      await this.backfill(label);
      try {
        for (;;) {
          const updates = await pending;
          if (this.stopper.stopped) return;
          delay = this.options.reconnectDelayMs;
          this.apply(updates);
          pending = this.exchange.watchOrders();
          pending.catch(() => undefined);
        }
      } catch (err) {
        if (this.stopper.stopped) return;
        this.logger.warn({ error: this.redact((err as Error).message), delayMs: delay }, 'order update stream dropped; reconnecting');
        await this.stopper.sleep(delay);
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  private apply(updates: readonly Order[]): void {
    for (const o of updates) {
      const coid = o.clientOrderId as ClientOrderId | undefined;
      if (coid === undefined || !this.tracker.isTracked(coid)) continue;
      const v = venueOrderOf(o, { type: this.tracker.typeOf(coid) ?? 'market', reduceOnly: o.reduceOnly ?? false });
      if (v === undefined) continue;
      const info = (o.info ?? {}) as Record<string, unknown>;
      const reason = info.X === 'EXPIRED' ? 'expired by the venue' : undefined;
      this.tracker.observe(v, lastExecutionOf(info), o.lastUpdateTimestamp ?? o.timestamp ?? undefined, reason);
    }
  }
}

/** The execution a Binance user-data event reports (`x: TRADE` with `l`, `L`, `n`, `N`, `m`). */
function lastExecutionOf(info: Record<string, unknown>): LastExecution | undefined {
  if (info.x !== 'TRADE') return undefined;
  const qty = Number(info.l);
  const price = Number(info.L);
  if (!(qty > 0 && price > 0)) return undefined;
  const fee = Number(info.n);
  return {
    qty,
    price,
    fee: Number.isFinite(fee) ? fee : 0,
    feeCurrency: typeof info.N === 'string' ? info.N : undefined,
    maker: typeof info.m === 'boolean' ? info.m : undefined,
  };
}
