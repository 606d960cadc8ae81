import {
  conflictingRowError,
  missingRowError,
  PROJECTION_KEYS,
  projectEvent,
  type DomainEvent,
  type PatchableTable,
  type ProjectionTable,
  type ProjectionWrite,
} from '@quantum-trader/core';

// How PostgresJournal turns an append into two round trips. Under the lock on the event table it reads, in one
// statement, the last seq, which of the batch's ids are stored and the rows the batch's projection writes touch;
// then it plans here, in memory, exactly what the one-event-at-a-time journal would have done (same duplicates,
// same seqs, same first refused event), and writes the result with one multi-row statement per table.
// The plan is pure, so it is tested without a server.

/** A projection row by field name, as core's records are. */
export type AnyRecord = Record<string, unknown>;

/** The tables whose rows a batch may patch, and those it only inserts into. */
export const PATCHABLE_TABLES = ['orders', 'positions', 'exitPlans'] as const satisfies readonly PatchableTable[];
export const PROJECTION_TABLES = ['orders', 'fills', 'positions', 'trades', 'exitPlans', 'snapshots'] as const satisfies readonly ProjectionTable[];

/** The keys of the stored rows an append must know about, by table (snapshots are keyed by fresh seqs: none). */
export interface AppendLookup {
  readonly eventIds: readonly string[];
  readonly orders: readonly string[];
  /** Client order ids whose fills to list (a fill's key is client order id + fill sequence). */
  readonly fills: readonly string[];
  readonly positions: readonly string[];
  readonly trades: readonly string[];
  readonly exitPlans: readonly string[];
}

/** The events of an append with their projection writes, validated, before anything is read. */
export interface PreparedAppend {
  /** Events up to (not including) the first invalid one; inserted rows carry seq 0 until planned. */
  readonly events: readonly DomainEvent[];
  readonly writes: readonly (readonly ProjectionWrite[])[];
  /** Why the event after the last prepared one is invalid: thrown once the events before it are known to be fine. */
  readonly invalid: unknown;
  readonly lookup: AppendLookup;
}

/** What the database holds of the rows named by an {@link AppendLookup}. */
export interface StoredRows {
  readonly lastSeq: number;
  readonly eventIds: ReadonlySet<string>;
  /** Stored rows by table and {@link rowKey}: full records for patchable tables, at least the key fields for others. */
  readonly rows: { readonly [T in ProjectionTable]?: ReadonlyMap<string, AnyRecord> };
}

/** What to write: every row in its final state after the whole batch. */
export interface AppendPlan {
  readonly duplicates: number;
  /** The new events in append order; the first gets seq `lastSeq + 1`. */
  readonly events: readonly DomainEvent[];
  readonly lastSeq: number;
  /** Rows the batch creates, in creation order. */
  readonly inserts: { readonly [T in ProjectionTable]: readonly AnyRecord[] };
  /** Stored rows the batch patches. */
  readonly updates: { readonly [T in PatchableTable]: readonly AnyRecord[] };
}

const NO_EVENT_WRITES: readonly ProjectionWrite[] = [];

/**
 * Validates and projects each event (`projectEvent`), and lists the keys to read. Stops at the first invalid
 * event: its error is thrown by {@link planAppend} unless an earlier event is refused first, as an append that
 * projects event by event would.
 */
export function prepareAppend(events: readonly DomainEvent[]): PreparedAppend {
  const writes: (readonly ProjectionWrite[])[] = [];
  let invalid: unknown;
  const keys = {
    eventIds: new Set<string>(),
    orders: new Set<string>(),
    fills: new Set<string>(),
    positions: new Set<string>(),
    trades: new Set<string>(),
    exitPlans: new Set<string>(),
  };
  for (const event of events) {
    let projected: readonly ProjectionWrite[];
    try {
      projected = projectEvent(event, 0);
    } catch (err) {
      invalid = err;
      break;
    }
    writes.push(projected.length === 0 ? NO_EVENT_WRITES : projected);
    keys.eventIds.add(event.id);
    for (const w of projected) {
      if (w.op === 'patch') keys[w.table].add(w.key);
      else if (w.table === 'fills') keys.fills.add(w.row.clientOrderId);
      else if (w.table !== 'snapshots') keys[w.table].add(rowKey(w.table, w.row as unknown as AnyRecord));
    }
  }
  return {
    events: writes.length === events.length ? events : events.slice(0, writes.length),
    writes,
    invalid,
    lookup: {
      eventIds: [...keys.eventIds],
      orders: [...keys.orders],
      fills: [...keys.fills],
      positions: [...keys.positions],
      trades: [...keys.trades],
      exitPlans: [...keys.exitPlans],
    },
  };
}

/**
 * Plans a prepared append against what is stored: skips duplicates (stored ids, and ids repeated in the batch),
 * numbers the new events from `lastSeq + 1`, applies each projection write in order to the stored or staged row
 * (patch semantics as in core's `ProjectionPatch`: `set`, `inc`, `max`, status-guarded `set`, all reading the row
 * as it was before the patch) and throws the error of the first refused event — a patch of a row that does not
 * exist, an insert of a key that does, or an invalid event — so that nothing is written.
 */
export function planAppend(prepared: PreparedAppend, stored: StoredRows): AppendPlan {
  const staged = new Map<ProjectionTable, Map<string, { row: AnyRecord; stored: boolean }>>();
  const seen = new Set<string>();
  const events: DomainEvent[] = [];
  let duplicates = 0;
  let seq = stored.lastSeq;
  for (let i = 0; i < prepared.events.length; i++) {
    const event = prepared.events[i]!;
    if (stored.eventIds.has(event.id) || seen.has(event.id)) {
      duplicates++;
      continue;
    }
    seen.add(event.id);
    events.push(event);
    seq++;
    for (const write of prepared.writes[i]!) stage(staged, stored, event, write, seq);
  }
  if (prepared.invalid !== undefined) throw prepared.invalid;

  const inserts = { orders: [], fills: [], positions: [], trades: [], exitPlans: [], snapshots: [] } as {
    [T in ProjectionTable]: AnyRecord[];
  };
  const updates = { orders: [], positions: [], exitPlans: [] } as { [T in PatchableTable]: AnyRecord[] };
  for (const [table, rows] of staged) {
    for (const { row, stored: wasStored } of rows.values()) {
      if (!wasStored) inserts[table].push(row);
      else updates[table as PatchableTable].push(row);
    }
  }
  return { duplicates, events, lastSeq: stored.lastSeq, inserts, updates };
}

/** The key of a row within its table: its key fields' values, joined (as MemoryJournal keys them). */
export function rowKey(table: ProjectionTable, row: AnyRecord): string {
  const fields: readonly string[] = PROJECTION_KEYS[table];
  return fields.length === 1 ? String(row[fields[0]!]) : fields.map((f) => String(row[f])).join('\u0000');
}

function stage(
  staged: Map<ProjectionTable, Map<string, { row: AnyRecord; stored: boolean }>>,
  stored: StoredRows,
  event: DomainEvent,
  write: ProjectionWrite,
  seq: number,
): void {
  let rows = staged.get(write.table);
  if (rows === undefined) staged.set(write.table, (rows = new Map()));
  if (write.op === 'insert') {
    const row: AnyRecord = { ...(write.row as unknown as AnyRecord), seq };
    const key = rowKey(write.table, row);
    if (rows.has(key) || stored.rows[write.table]?.has(key) === true) {
      // The error names the key with the final seq (a snapshot's key).
      throw conflictingRowError(event, { ...write, row } as unknown as typeof write);
    }
    rows.set(key, { row, stored: false });
    return;
  }
  const current = rows.get(write.key) ?? storedEntry(stored, write.table, write.key);
  if (current === undefined) throw missingRowError(event, write);
  const before = current.row;
  const next: AnyRecord = write.set === undefined ? { ...before } : { ...before, ...write.set };
  if (write.inc !== undefined) {
    for (const [field, by] of Object.entries(write.inc)) next[field] = (before[field] as number) + (by as number);
  }
  if (write.max !== undefined) {
    for (const [field, min] of Object.entries(write.max)) {
      // As SQL's `CASE WHEN col < min THEN min ELSE col END`.
      next[field] = (before[field] as number) < (min as number) ? min : before[field];
    }
  }
  if (write.guarded !== undefined && (write.guarded.statusIn as readonly unknown[]).includes(before['status'])) {
    Object.assign(next, write.guarded.set);
  }
  rows.set(write.key, { row: next, stored: current.stored });
}

function storedEntry(stored: StoredRows, table: PatchableTable, key: string): { row: AnyRecord; stored: boolean } | undefined {
  const row = stored.rows[table]?.get(key);
  return row === undefined ? undefined : { row, stored: true };
}
