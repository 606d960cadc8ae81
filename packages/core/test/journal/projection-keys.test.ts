import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/model/events.js';
import { projectEvent } from '../../src/journal/index.js';
import { PROJECTION_KEYS } from '../../src/journal/projection-write.js';
import { ProjectionKeys } from '../../src/journal/projection-keys.js';
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

/** The keys projectEvent's writes touch, as [table, key, insert] (snapshots left out, as ProjectionKeys does). */
function keysOfWrites(event: DomainEvent): [string, string | number, boolean][] {
  return projectEvent(event, 7)
    .filter((w) => w.table !== 'snapshots')
    .map((w) => {
      if (w.op === 'patch') return [w.table, w.key, false];
      const row = w.row as unknown as Record<string, unknown>;
      const fields: readonly string[] = PROJECTION_KEYS[w.table];
      return [w.table, fields.map((f) => String(row[f])).join('\u0000'), true];
    });
}

function keysOf(keys: ProjectionKeys, event: DomainEvent): [string, string | number, boolean][] {
  const k = keys.of(event);
  const out: [string, string | number, boolean][] = [];
  if (k.count > 0) out.push([k.table0, k.key0, k.insert0]);
  if (k.count > 1) out.push([k.table1, k.key1, k.insert1]);
  return out;
}

describe('ProjectionKeys', () => {
  const events: DomainEvent[] = [
    submitting(coid('a')),
    accepted(coid('a')),
    rejected(coid('b'), '-2010', 'insufficient balance'),
    canceled(coid('a'), 'user'),
    filled(coid('a'), { fillSeq: 3, qty: 0.5, price: 100, fee: 0.05, remainingQty: 0 }),
    positionOpened(pid('a'), 1, 100),
    positionChanged(pid('a'), { qty: 0.5, entryPrice: 100, realizedPnl: 3 }, T0 + 2),
    positionClosed(pid('a'), { qty: 1, entryPrice: 100, exitPrice: 110, realizedPnl: 10, fees: 0.1, exitReason: 'take_profit' }, T0, T0 + 5),
    exitPlanCreated(planId('a'), pid('a')),
    exitPlanCompleted(planId('a'), pid('a'), 'position closed', T0 + 9),
    snapshot(T0, 1000),
    signal(1),
    modelPromoted(T0),
  ];

  it('names the very keys projectEvent writes, in its order, for every event type', () => {
    const keys = new ProjectionKeys();
    for (const e of [...events, ...fullSession()]) expect(keysOf(keys, e), e.type).toEqual(keysOfWrites(e));
  });

  it('covers every event type with a projection in this test', () => {
    const types = new Set(events.map((e) => e.type));
    for (const t of ['OrderSubmitting', 'OrderAccepted', 'OrderRejected', 'OrderCanceled', 'OrderFilled', 'PositionOpened',
      'PositionChanged', 'PositionClosed', 'ExitPlanCreated', 'ExitPlanCompleted', 'PortfolioSnapshotTaken']) {
      expect(types.has(t as DomainEvent['type']), t).toBe(true);
    }
  });
});
