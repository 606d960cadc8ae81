import type { Exchange } from 'ccxt';
import type { Stopper } from '../retry/stopper.js';

/**
 * Waits until one of the exchange's WebSocket clients has connected at or after `since` (or `timeoutMs` passed),
 * so that a REST back-fill started afterwards leaves no gap with the live stream.
 *
 * @example
 * ```ts
 * const since = Date.now();
 * const pending = exchange.watchOrders();
 * await waitForConnection(exchange, since, 5_000, stopper);
 * await backfill();
 * ```
 */
export async function waitForConnection(exchange: Exchange, since: number, timeoutMs: number, stopper: Stopper): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!stopper.stopped && Date.now() < deadline) {
    const clients = Object.values((exchange as unknown as { clients: Record<string, { url?: unknown; connectionEstablished?: unknown }> }).clients ?? {});
    if (clients.some((c) => typeof c.url === 'string' && c.url.startsWith('ws') && typeof c.connectionEstablished === 'number' && c.connectionEstablished >= since)) return;
    await stopper.sleep(10);
  }
}
