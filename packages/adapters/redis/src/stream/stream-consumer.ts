import { Observable, type Subscriber } from 'rxjs';
import type { QueueDelivery } from '@quantum-trader/core';
import type { RedisClient } from '../redis-client.js';
import { ensureGroup, isNoGroupError } from './consumer-group.js';
import {
  parseAutoClaimReply,
  parsePendingCounts,
  parseReadGroupReply,
  type StreamEntry,
} from './stream-entry.js';

/** What a stream consumer needs: where to read, how to decode, and how to settle a message. */
export interface StreamConsumerConfig<T> {
  readonly client: RedisClient;
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
  /** Where a group created by this consumer starts: `0` (everything in the stream) or `$` (new messages only). */
  readonly groupStart: '0' | '$';
  /** Most deliveries handed out and not yet settled. */
  readonly prefetch: number;
  readonly blockMs: number;
  readonly reclaimIdleMs: number;
  readonly reclaimIntervalMs: number;
  readonly maxDeliveries: number;
  /** Turns stored data into a value; throws on a message that cannot be one (it is dead-lettered). */
  readonly decode: (entry: StreamEntry) => T;
  /** Acks a message after the consumer's effects are committed (may batch). */
  readonly ack: (entry: StreamEntry) => Promise<void>;
  /** Moves a message that failed too often to the dead-letter stream (and acks it). */
  readonly deadLetter: (entry: StreamEntry, deliveries: number, reason: string) => Promise<void>;
}

/**
 * Consumes a stream through a consumer group as an Observable of deliveries: the consumer's own pending messages
 * first (a restart), then new ones, plus — every `reclaimIntervalMs` and after each nack — messages idle for
 * `reclaimIdleMs` in any consumer of the group (a dead consumer's, a nacked one), claimed with `XAUTOCLAIM`.
 */
export function streamConsumer<T>(config: StreamConsumerConfig<T>): Observable<QueueDelivery<T>> {
  return new Observable<QueueDelivery<T>>((subscriber) => {
    const run = new ConsumerRun(config, subscriber);
    run.start();
    return () => run.stop();
  });
}

class ConsumerRun<T> {
  private closed = false;
  private readonly reader: RedisClient;
  /** Stream ids delivered by this run and not settled yet. */
  private readonly inflight = new Set<string>();
  private wake: (() => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private reclaiming = false;
  private reclaimAgain = false;
  private cursor = '0-0';
  private readerId: number | undefined;
  /** The read loop is running (it disconnects the reader when it ends). */
  private running = false;
  /** A blocking `XREADGROUP` is in flight on the reader. */
  private blocked = false;

  constructor(
    private readonly config: StreamConsumerConfig<T>,
    private readonly subscriber: Subscriber<QueueDelivery<T>>,
  ) {
    this.reader = config.client.duplicate();
    // ioredis reconnects on its own and fails the commands it cannot send; those failures reach us through the
    // commands, so the connection's 'error' events need no second handling (unheard they only print a warning).
    this.reader.on('error', () => undefined);
  }

  start(): void {
    this.running = true;
    this.loop()
      .catch((err: unknown) => this.fail(err))
      .finally(() => {
        this.running = false;
        this.reader.disconnect();
      });
  }

  /**
   * Stops reading. A blocking read in progress is unblocked (`CLIENT UNBLOCK`) rather than cut off, so that
   * messages Redis hands it meanwhile are given back to the group instead of stranded as "delivered".
   */
  stop(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.wakeUp();
    if (this.blocked && this.readerId !== undefined) {
      this.config.client.call('CLIENT', 'UNBLOCK', this.readerId).catch(() => this.reader.disconnect());
      // If the server is unreachable the read never returns: do not keep the connection forever.
      setTimeout(() => this.reader.disconnect(), this.config.blockMs + 1_000).unref();
    } else if (!this.running) {
      this.reader.disconnect();
    }
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    this.stop();
    this.subscriber.error(err);
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Resolves when fewer than `prefetch` deliveries are unsettled (or the run stopped). */
  private async room(): Promise<number> {
    for (;;) {
      const room = this.config.prefetch - this.inflight.size;
      if (room > 0 || this.closed) return room;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private async loop(): Promise<void> {
    const { client, stream, group, consumer, blockMs } = this.config;
    // Lets stop() unblock a pending read; without it (CLIENT denied by an ACL) stop() closes the connection instead.
    this.readerId = await this.reader.call('CLIENT', 'ID').then(Number, () => undefined);
    await ensureGroup(client, stream, group, this.config.groupStart);
    await this.readOwnPending();
    if (this.closed) return;
    this.timer = setInterval(() => this.reclaimSoon(), this.config.reclaimIntervalMs);
    this.reclaimSoon();
    while (!this.closed) {
      const room = await this.room();
      if (this.closed) return;
      let raw: unknown;
      this.blocked = true;
      try {
        const read = ['GROUP', group, consumer, 'COUNT', room, 'BLOCK', blockMs, 'STREAMS', stream, '>'] as const;
        raw = await this.reader.call('XREADGROUP', ...read);
      } catch (err) {
        if (this.closed) return;
        if (!isNoGroupError(err)) throw err;
        await ensureGroup(client, stream, group, this.config.groupStart);
        continue;
      } finally {
        this.blocked = false;
      }
      const { entries } = parseReadGroupReply(raw);
      if (this.closed) return this.giveBack(entries);
      for (const entry of entries) this.deliver(entry, 1);
    }
  }

  /** A restarted consumer (same name) first takes back what it had been given and never settled. */
  private async readOwnPending(): Promise<void> {
    const { stream, group, consumer } = this.config;
    let after = '0';
    for (;;) {
      const room = await this.room();
      if (this.closed) return;
      const read = ['GROUP', group, consumer, 'COUNT', room, 'STREAMS', stream, after] as const;
      const raw = await this.reader.call('XREADGROUP', ...read);
      if (this.closed) return;
      const { entries, deleted, last } = parseReadGroupReply(raw);
      if (last === undefined) return;
      // Entries trimmed from the stream while pending: nothing left to deliver.
      if (deleted.length > 0) await this.config.client.call('XACK', stream, group, ...deleted);
      await this.deliverCounted(entries);
      after = last;
    }
  }

  private reclaimSoon(): void {
    if (this.closed) return;
    if (this.reclaiming) {
      this.reclaimAgain = true;
      return;
    }
    this.reclaiming = true;
    this.reclaim()
      .catch((err: unknown) => this.fail(err))
      .finally(() => {
        this.reclaiming = false;
        if (this.reclaimAgain) {
          this.reclaimAgain = false;
          this.reclaimSoon();
        }
      });
  }

  private async reclaim(): Promise<void> {
    const { client, stream, group, consumer, reclaimIdleMs } = this.config;
    try {
      // Heartbeat: a slow consumer that is alive resets the idle time of what it holds, so nobody reclaims it.
      if (this.inflight.size > 0) await client.call('XCLAIM', stream, group, consumer, 0, ...this.inflight, 'JUSTID');
      const room = this.config.prefetch - this.inflight.size;
      if (room <= 0 || this.closed) return;
      const raw = await client.call('XAUTOCLAIM', stream, group, consumer, reclaimIdleMs, this.cursor, 'COUNT', room);
      const { cursor, entries } = parseAutoClaimReply(raw);
      this.cursor = cursor;
      if (this.closed) return;
      await this.deliverCounted(entries.filter((e) => !this.inflight.has(e.streamId)));
      if (cursor !== '0-0' && entries.length === room) this.reclaimAgain = true;
    } catch (err) {
      if (!isNoGroupError(err)) throw err; // the read loop recreates the group
    }
  }

  /** Delivers entries claimed again, with the delivery count Redis keeps for each. */
  private async deliverCounted(entries: readonly StreamEntry[]): Promise<void> {
    const first = entries[0];
    const last = entries.at(-1);
    if (first === undefined || last === undefined) return;
    const { client, stream, group, consumer } = this.config;
    const raw = await client.call(
      'XPENDING', stream, group, first.streamId, last.streamId, entries.length + this.inflight.size + 1_000, consumer,
    );
    if (this.closed) return;
    const counts = parsePendingCounts(raw);
    for (const entry of entries) {
      const count = counts.get(entry.streamId);
      // Not pending for us any more: another consumer claimed or settled it meanwhile.
      if (count !== undefined) this.deliver(entry, count);
    }
  }

  private deliver(entry: StreamEntry, attempt: number): void {
    const { maxDeliveries } = this.config;
    if (attempt > maxDeliveries) {
      this.setAside(entry, attempt - 1, `not acked after ${maxDeliveries} deliveries`);
      return;
    }
    let value: T;
    try {
      value = this.config.decode(entry);
    } catch (err) {
      this.setAside(entry, attempt, `undecodable: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.inflight.add(entry.streamId);
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (this.inflight.delete(entry.streamId)) this.wakeUp();
      return true;
    };
    this.subscriber.next({
      value,
      attempt,
      ack: () => (settle() ? this.config.ack(entry) : undefined),
      nack: () => {
        if (!settle()) return undefined;
        if (attempt >= maxDeliveries) {
          return this.config.deadLetter(entry, attempt, `nacked on delivery ${attempt} of ${maxDeliveries}`);
        }
        return this.release(entry);
      },
    });
  }

  /**
   * Hands back to the group what a read returned after the consumer stopped: never seen, so its delivery count goes
   * back to 0, and idle enough that the next reclaim by any consumer takes it.
   */
  private async giveBack(entries: readonly StreamEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { client, stream, group, consumer, reclaimIdleMs } = this.config;
    const ids = entries.map((e) => e.streamId);
    await client.call('XCLAIM', stream, group, consumer, 0, ...ids, 'IDLE', reclaimIdleMs, 'RETRYCOUNT', 0, 'JUSTID');
  }

  /** Gives a nacked message back to the group: idle as long as a dead consumer's, so the next reclaim takes it. */
  private async release(entry: StreamEntry): Promise<void> {
    const { client, stream, group, consumer, reclaimIdleMs } = this.config;
    await client.call('XCLAIM', stream, group, consumer, 0, entry.streamId, 'IDLE', reclaimIdleMs, 'JUSTID');
    this.reclaimSoon();
  }

  private setAside(entry: StreamEntry, deliveries: number, reason: string): void {
    this.config.deadLetter(entry, deliveries, reason).catch((err: unknown) => this.fail(err));
  }
}
