import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import { PROJECTION_KEYS, type ProjectionInsert, type ProjectionPatch } from './projection-write.js';

const TABLE_NOUN = {
  orders: 'order',
  fills: 'fill',
  positions: 'position',
  trades: 'trade',
  exitPlans: 'exit plan',
  snapshots: 'portfolio snapshot',
} as const;

/** The parts of an event an error message needs (an invalid event may lack anything else). */
interface EventLike {
  readonly id: string;
  readonly type: string;
}

/**
 * The `JOURNAL_FAILED` error for an event the journal refuses: names the event id, its type and the field at fault.
 * Appends are all-or-nothing, so the message also says that nothing of the batch was stored.
 *
 * @example
 * ```ts
 * throw journalEventError(event, 'qty', 'must be a finite number > 0, got NaN');
 * ```
 */
export function journalEventError(event: EventLike, field: string, problem: string, cause?: unknown): QuantumTraderError {
  return new QuantumTraderError(
    'JOURNAL_FAILED',
    `journal refused event "${String(event.id)}" (${String(event.type)}): field "${field}" ${problem}; ` +
      'nothing of this append was stored',
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The error for a {@link ProjectionPatch} whose row does not exist (e.g. an `OrderFilled` for an order that was
 * never journalled as `OrderSubmitting`).
 *
 * @example
 * ```ts
 * if (changes === 0) throw missingRowError(event, write);
 * ```
 */
export function missingRowError(event: EventLike, write: ProjectionPatch): QuantumTraderError {
  const field = PROJECTION_KEYS[write.table][0];
  return journalEventError(event, field, `names no ${TABLE_NOUN[write.table]} "${write.key}" in the journal`);
}

/**
 * The error for a {@link ProjectionInsert} whose key already exists under a different event id (e.g. a second
 * `OrderSubmitting` for the same client order id).
 *
 * @example
 * ```ts
 * if (changes === 0) throw conflictingRowError(event, write);
 * ```
 */
export function conflictingRowError(event: EventLike, write: ProjectionInsert): QuantumTraderError {
  const keys: readonly string[] = PROJECTION_KEYS[write.table];
  const row = write.row as unknown as Readonly<Record<string, unknown>>;
  const field = keys[keys.length - 1]!;
  const key = keys.map((k) => `${k} "${String(row[k])}"`).join(', ');
  return journalEventError(event, field, `would create ${TABLE_NOUN[write.table]} ${key}, which already exists`);
}
