import { describe, expect, it } from 'vitest';
import { isQuantumTraderError } from '../../src/errors/quantum-trader-error.js';
import type { DomainEvent } from '../../src/model/events.js';
import { orderRowOf, projectEvent } from '../../src/journal/index.js';
import {
  accepted,
  coid,
  filled,
  modelPromoted,
  pid,
  positionChanged,
  positionOpened,
  signal,
  submitting,
  T0,
} from '../contracts/journal-fixtures.js';

function refusal(event: DomainEvent): string {
  try {
    projectEvent(event, 1);
  } catch (err) {
    expect(isQuantumTraderError(err, 'JOURNAL_FAILED')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected projectEvent to refuse the event');
}

describe('projectEvent', () => {
  it('turns a fill into an order patch of increments plus a fill insert, reading nothing', () => {
    const e = filled(coid('a'), { fillSeq: 2, qty: 0.5, price: 100, fee: 0.05, remainingQty: 0.25 });
    expect(projectEvent(e, 9)).toEqual([
      {
        op: 'patch',
        table: 'orders',
        key: coid('a'),
        set: { venueOrderId: `v-${coid('a')}`, updatedAt: e.ts },
        inc: { filledQty: 0.5, filledNotional: 50, fees: 0.05 },
        guarded: { statusIn: ['submitting', 'open', 'partially_filled'], set: { status: 'partially_filled' } },
      },
      {
        op: 'insert',
        table: 'fills',
        row: { clientOrderId: coid('a'), fillSeq: 2, symbol: e.symbol, side: 'buy', qty: 0.5, price: 100, fee: 0.05, liquidity: 'taker', ts: e.ts, seq: 9 },
      },
    ]);
  });

  it('opens an order as a full row and accepts it with a status-guarded patch', () => {
    const [insert] = projectEvent(submitting(coid('a')), 3);
    expect(insert).toMatchObject({ op: 'insert', table: 'orders', row: { status: 'submitting', filledNotional: 0, seq: 3 } });
    expect(projectEvent(accepted(coid('a')), 4)).toEqual([
      {
        op: 'patch',
        table: 'orders',
        key: coid('a'),
        set: { venueOrderId: `v-${coid('a')}`, updatedAt: T0 + 1 },
        guarded: { statusIn: ['submitting'], set: { status: 'open' } },
      },
    ]);
  });

  it('raises the largest size of a position with max, not set', () => {
    const [patch] = projectEvent(positionChanged(pid('a'), { qty: 2, entryPrice: 10, realizedPnl: 1 }, T0), 1);
    expect(patch).toMatchObject({ op: 'patch', table: 'positions', max: { maxQty: 2 }, set: { qty: 2 } });
  });

  it('yields no writes for events without a projection', () => {
    expect(projectEvent(signal(1), 1)).toEqual([]);
    expect(projectEvent(modelPromoted(T0), 1)).toEqual([]);
  });

  it('names the event id and the field of an event it cannot store', () => {
    const bad = { ...positionOpened(pid('a'), 1, 10), qty: -1 };
    expect(refusal(bad)).toMatch(/"PositionOpened:pos-a".*field "qty" must be a finite number > 0, got -1/);
    expect(refusal({ ...signal(1), id: '' })).toContain('field "id"');
    expect(refusal({ ...signal(1), ts: Number.NaN })).toContain('field "ts"');
    expect(refusal(filled(coid('a'), { fillSeq: 0, qty: 1, price: 1, fee: 0, remainingQty: 0 }))).toContain('field "fillSeq"');
    expect(refusal({ ...submitting(coid('a')), order: { ...submitting(coid('a')).order, qty: Infinity } })).toContain(
      'field "order.qty"',
    );
  });

  it('derives the average fill price from the accumulated notional', () => {
    const [insert] = projectEvent(submitting(coid('a')), 1);
    if (insert?.op !== 'insert' || insert.table !== 'orders') throw new Error('expected an order insert');
    expect(orderRowOf(insert.row).avgFillPrice).toBe(0);
    expect(orderRowOf({ ...insert.row, filledQty: 4, filledNotional: 402 }).avgFillPrice).toBe(100.5);
  });
});
