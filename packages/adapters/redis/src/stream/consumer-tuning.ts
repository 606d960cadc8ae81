import { QuantumTraderError } from '@quantum-trader/core';

/**
 * How a Redis consumer reads, reclaims and gives up; shared by the intent queue and the event bus.
 *
 * @example
 * ```ts
 * const tuning: ConsumerTuning = { reclaimIdleMs: 10_000, maxDeliveries: 3 };
 * ```
 */
export interface ConsumerTuning {
  /** This consumer's name in the group; a restart under the same name takes back its own unacked messages at once. */
  readonly consumer?: string;
  /**
   * A message delivered and neither acked nor nacked for this long is taken over by another consumer of the group
   * (its consumer is presumed dead; a live one keeps what it holds by heartbeat). Default 30 000.
   */
  readonly reclaimIdleMs?: number;
  /** How often a consumer looks for such messages and sends its heartbeat; below `reclaimIdleMs`. Default 5 000. */
  readonly reclaimIntervalMs?: number;
  /** A message delivered this many times without an ack goes to the dead-letter stream. Default 5. */
  readonly maxDeliveries?: number;
  /** Dead letters kept (`MAXLEN ~`). Default 10 000. */
  readonly deadLetterMaxLength?: number;
  /** How long one blocking read waits for new messages before it asks again. Default 5 000. */
  readonly blockMs?: number;
}

/** Validated tuning with defaults. */
export type ResolvedTuning = Required<Omit<ConsumerTuning, 'consumer'>>;

/** Fills in defaults and checks the values; throws `CONFIG_INVALID` naming the option. */
export function consumerTuning(owner: string, t: ConsumerTuning): ResolvedTuning {
  const reclaimIdleMs = positiveInteger(owner, 'reclaimIdleMs', t.reclaimIdleMs ?? 30_000);
  const reclaimIntervalMs = positiveInteger(
    owner,
    'reclaimIntervalMs',
    t.reclaimIntervalMs ?? Math.min(5_000, Math.max(1, Math.floor(reclaimIdleMs / 3))),
  );
  if (reclaimIntervalMs >= reclaimIdleMs) {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      `${owner}: reclaimIntervalMs (${reclaimIntervalMs}) must be below reclaimIdleMs (${reclaimIdleMs}), ` +
        `or live consumers lose their messages to the reclaim`,
    );
  }
  return {
    reclaimIdleMs,
    reclaimIntervalMs,
    maxDeliveries: positiveInteger(owner, 'maxDeliveries', t.maxDeliveries ?? 5),
    deadLetterMaxLength: positiveInteger(owner, 'deadLetterMaxLength', t.deadLetterMaxLength ?? 10_000),
    blockMs: positiveInteger(owner, 'blockMs', t.blockMs ?? 5_000),
  };
}

/** Returns `value` if it is a positive integer; throws `CONFIG_INVALID` naming the option otherwise. */
export function positiveInteger(owner: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new QuantumTraderError('CONFIG_INVALID', `${owner}: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
