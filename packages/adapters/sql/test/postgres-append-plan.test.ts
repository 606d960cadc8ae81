import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryJournal, orderRowOf, type DomainEvent, type OrderRecord, type OrderSubmitting, type ProjectionTable } from '@quantum-trader/core';
import {
  planAppend,
  prepareAppend,
  PROJECTION_TABLES,
  rowKey,
  type AnyRecord,
} from '../src/postgres/postgres-append-plan.js';
import {
  accepted,
  coid,
  exitPlanCompleted,
  filled,
  fullSession,
  pid,
  planId,
  positionChanged,
  readAll,
  signal,
  snapshot,
  submitting,
  T0,
} from '../../../core/test/contracts/journal-fixtures.js';

/** What PostgresJournal keeps in the database, kept in memory and written with the plans it makes. */
class PlannedStore {
  readonly #log: DomainEvent[] = [];
  readonly #rows = Object.fromEntries(PROJECTION_TABLES.map((t) => [t, new Map<string, AnyRecord>()])) as Record<
    ProjectionTable,
    Map<string, AnyRecord>
  >;

  append(events: readonly DomainEvent[]): { appended: number; duplicates: number } {
    if (events.length === 0) return { appended: 0, duplicates: 0 };
    const prepared = prepareAppend(events);
    if (prepared.events.length === 0) throw prepared.invalid;
    const plan = planAppend(prepared, {
      lastSeq: this.#log.length,
      eventIds: new Set(this.#log.map((e) => e.id)),
      rows: this.#rows,
    });
    this.#log.push(...plan.events);
    for (const t of PROJECTION_TABLES) for (const r of plan.inserts[t]) this.#rows[t].set(rowKey(t, r), r);
    for (const [t, rows] of Object.entries(plan.updates)) {
      for (const r of rows) {
        expect(this.#rows[t as ProjectionTable].has(rowKey(t as ProjectionTable, r))).toBe(true);
        this.#rows[t as ProjectionTable].set(rowKey(t as ProjectionTable, r), r);
      }
    }
    return { appended: plan.events.length, duplicates: plan.duplicates };
  }

  /** The same shape as the contract fixtures' `readAll`. */
  readAll(): Record<string, unknown> {
    const rows = (t: ProjectionTable) =>
      [...this.#rows[t].values()].sort((a, b) => (a['seq'] as number) - (b['seq'] as number)).map(({ seq: _seq, ...r }) => r);
    return {
      events: this.#log.map((event, i) => ({ seq: i + 1, event })),
      orders: rows('orders').map((r) => orderRowOf(r as unknown as OrderRecord)),
      fills: rows('fills'),
      positions: rows('positions'),
      trades: rows('trades'),
      exitPlans: rows('exitPlans'),
      snapshots: rows('snapshots'),
    };
  }
}

/** Valid events of a session, and events every journal must refuse or skip. */
const POOL: readonly DomainEvent[] = [
  ...fullSession(),
  signal(7),
  accepted(coid('ghost')),
  { ...submitting(coid('a')), id: 'OrderSubmitting:other-id' } satisfies OrderSubmitting,
  filled(coid('a'), { fillSeq: 3, qty: Number.NaN, price: 1, fee: 0, remainingQty: 0 }),
  filled(coid('c'), { fillSeq: 1, qty: 0.1, price: 49_000, fee: 0.5, remainingQty: 0.4 }, T0 + 20),
  positionChanged(pid('ghost'), { qty: 1, entryPrice: 1, realizedPnl: 0 }, T0 + 21),
  exitPlanCompleted(planId('ghost'), pid('ghost'), 'flat', T0 + 22),
  snapshot(T0 + 23, 10_800),
];

function outcome(act: () => unknown): unknown {
  try {
    return act();
  } catch (err) {
    return { refused: err instanceof Error ? err.message : String(err) };
  }
}

describe('PostgreSQL append plan', () => {
  it('does exactly what MemoryJournal does, batch by batch: same results, same refusals, same final state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.nat(POOL.length - 1), { maxLength: 12 }), { minLength: 1, maxLength: 8 }),
        async (batches) => {
          const memory = new MemoryJournal();
          const planned = new PlannedStore();
          for (const batch of batches) {
            const events = batch.map((i) => POOL[i]!);
            expect(outcome(() => planned.append(events))).toEqual(outcome(() => memory.append(events)));
          }
          expect(planned.readAll()).toEqual(await readAll(memory));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('appends the whole session in one batch as in many', async () => {
    const session = fullSession();
    const one = new PlannedStore();
    one.append(session);
    const many = new PlannedStore();
    for (const e of session) many.append([e]);
    expect(one.readAll()).toEqual(many.readAll());
  });
});
