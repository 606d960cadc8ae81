import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/model/events.js';
import type { ClientOrderId, PlanId, PositionId } from '../../src/model/ids.js';
import { projectEvent } from '../../src/journal/index.js';
import { PROJECTION_KEYS } from '../../src/journal/projection-write.js';
import { RowKeyIndex, type StagedRowKeys } from '../../src/journal/memory/row-key-index.js';
import {
  accepted,
  canceled,
  coid,
  exitPlanCompleted,
  exitPlanCreated,
  filled,
  fullSession,
  modelPromoted,
  pid,
  planId,
  positionChanged,
  positionClosed,
  positionOpened,
  rejected,
  signal,
  snapshot,
  submitting,
  T0,
} from '../contracts/journal-fixtures.js';

/**
 * The reference: the keys projectEvent's writes touch (snapshots left out: their key is a new seq), each as
 * `table` + the joined key fields, checked against a plain set. Returns the index of the first refused write, or -1
 * after taking the inserts' keys.
 */
function referenceClaim(taken: Set<string>, event: DomainEvent, staged?: Set<string>): number {
  const keys = projectEvent(event, 7)
    .filter((w) => w.table !== 'snapshots')
    .map((w) => {
      if (w.op === 'patch') return { key: `${w.table}|${w.key}`, insert: false };
      const row = w.row as unknown as Record<string, unknown>;
      const fields: readonly string[] = PROJECTION_KEYS[w.table];
      return { key: `${w.table}|${fields.map((f) => String(row[f])).join('\u0000')}`, insert: true };
    });
  for (let i = 0; i < keys.length; i++) {
    const has = taken.has(keys[i]!.key) || staged?.has(keys[i]!.key) === true;
    if (has === keys[i]!.insert) return i;
  }
  for (const k of keys) if (k.insert) (staged ?? taken).add(k.key);
  return -1;
}

// A small universe of keys, so that sequences hit taken and missing keys often. Some strings are shared on purpose:
// an order id equal to a position id, and an order id equal to the joined key of another order's fill seq 30.
const ORDER_IDS: readonly ClientOrderId[] = [coid('a'), coid('b'), 'shared' as ClientOrderId, `${coid('a')}\u000030` as ClientOrderId];
const POSITION_IDS: readonly PositionId[] = [pid('a'), pid('b'), 'shared' as PositionId];
const PLAN_IDS: readonly PlanId[] = [planId('a'), 'shared' as PlanId];
const FILL_SEQS = [1, 2, 5, 26, 27, 30, 1000];

const anEvent: fc.Arbitrary<DomainEvent> = fc.oneof(
  fc.constantFrom(...ORDER_IDS).map((c) => submitting(c)),
  fc.constantFrom(...ORDER_IDS).map((c) => accepted(c)),
  fc.constantFrom(...ORDER_IDS).map((c) => rejected(c, '-2010', 'insufficient balance')),
  fc.constantFrom(...ORDER_IDS).map((c) => canceled(c, 'user')),
  fc
    .tuple(fc.constantFrom(...ORDER_IDS), fc.constantFrom(...FILL_SEQS))
    .map(([c, s]) => filled(c, { fillSeq: s, qty: 0.1, price: 100, fee: 0.01, remainingQty: 0 })),
  fc.constantFrom(...POSITION_IDS).map((p) => positionOpened(p, 1, 100)),
  fc.constantFrom(...POSITION_IDS).map((p) => positionChanged(p, { qty: 0.5, entryPrice: 100, realizedPnl: 1 }, T0 + 1)),
  fc
    .constantFrom(...POSITION_IDS)
    .map((p) => positionClosed(p, { qty: 1, entryPrice: 100, exitPrice: 101, realizedPnl: 1, fees: 0.1, exitReason: 'tp' }, T0, T0 + 2)),
  fc.constantFrom(...PLAN_IDS).map((p) => exitPlanCreated(p, pid('a'))),
  fc.constantFrom(...PLAN_IDS).map((p) => exitPlanCompleted(p, pid('a'), 'done', T0 + 3)),
  fc.constantFrom(snapshot(T0, 1000), signal(1), modelPromoted(T0)),
);

describe('RowKeyIndex', () => {
  it('refuses exactly the writes the projection refuses, one event at a time, and takes nothing when it refuses', () => {
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 60 }), (events) => {
        const index = new RowKeyIndex();
        const taken = new Set<string>();
        for (const e of events) expect(index.claim(e), e.id).toBe(referenceClaim(taken, e));
      }),
      { numRuns: 1500 },
    );
  });

  it('stages a batch: earlier inserts of the batch count as taken, and nothing reaches the index until commit', () => {
    fc.assert(
      fc.property(fc.array(fc.array(anEvent, { maxLength: 8 }), { maxLength: 12 }), (batches) => {
        const index = new RowKeyIndex();
        const taken = new Set<string>();
        for (const batch of batches) {
          const staged: StagedRowKeys = new Map();
          const stagedRef = new Set<string>();
          let refused = false;
          for (const e of batch) {
            const got = index.claim(e, staged);
            expect(got, e.id).toBe(referenceClaim(taken, e, stagedRef));
            if (got !== -1) {
              refused = true;
              break;
            }
          }
          if (!refused) {
            index.commit(staged);
            for (const k of stagedRef) taken.add(k);
          }
        }
        // what the index holds is what the reference holds: every key claimed again is refused as taken
        for (const e of [...ORDER_IDS.map((c) => submitting(c)), ...POSITION_IDS.map((p) => positionOpened(p, 1, 100))]) {
          expect(index.claim(e), e.id).toBe(referenceClaim(taken, e));
        }
      }),
      { numRuns: 800 },
    );
  });

  it('keeps a fill seq of an order apart from another key that spells the joined fill key', () => {
    const joined = `${coid('a')}\u000030` as ClientOrderId;
    const fill = (c: ClientOrderId, s: number) => filled(c, { fillSeq: s, qty: 0.1, price: 100, fee: 0.01, remainingQty: 0 });
    const index = new RowKeyIndex();
    const taken = new Set<string>();
    for (const e of [submitting(joined), fill(joined, 1), submitting(coid('a')), fill(coid('a'), 30), fill(coid('a'), 30)]) {
      expect(index.claim(e), e.id).toBe(referenceClaim(taken, e));
    }
  });

  it('agrees with the projection on a full session of every event type', () => {
    const index = new RowKeyIndex();
    const taken = new Set<string>();
    for (const e of fullSession()) expect(index.claim(e), e.id).toBe(referenceClaim(taken, e));
  });
});
