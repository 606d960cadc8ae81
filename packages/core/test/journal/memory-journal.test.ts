import { describe, expect, it } from 'vitest';
import { MemoryJournal } from '../../src/journal/index.js';
import { describeJournalContract } from '../contracts/journal-contract.js';
import { coid, filled, fullSession, submitting } from '../contracts/journal-fixtures.js';

describeJournalContract('MemoryJournal', async () => {
  const journal = new MemoryJournal();
  return { journal, cleanup: async () => journal.close() };
});

describe('MemoryJournal', () => {
  it('answers synchronously, with plain values rather than promises', () => {
    const journal = new MemoryJournal();
    const result = journal.append(fullSession());
    expect(result).toEqual({ appended: 18, duplicates: 0 });
    expect(journal.events({ limit: 1 })).toHaveLength(1);
    expect(journal.order(coid('a'))?.status).toBe('filled');
  });

  it('hands out rows that later appends do not change', () => {
    const journal = new MemoryJournal();
    journal.append([submitting(coid('a'))]);
    const before = journal.order(coid('a'));
    journal.append([filled(coid('a'), { fillSeq: 1, qty: 1, price: 10, fee: 0, remainingQty: 0 })]);
    expect(before).toMatchObject({ status: 'submitting', filledQty: 0 });
  });

  it('builds the same rows whether it is read after every single append or once at the end', () => {
    const readAll = (j: MemoryJournal) => ({
      orders: j.orders(),
      fills: j.fills(),
      positions: j.positions(),
      trades: j.trades(),
      exitPlans: j.exitPlans(),
      snapshots: j.snapshots(),
    });
    const session = fullSession();
    const stepwise = new MemoryJournal();
    for (const event of session) {
      expect(stepwise.append([event])).toEqual({ appended: 1, duplicates: 0 });
      readAll(stepwise); // rows built up to here; the next append must extend them, not rebuild or skip
      expect(stepwise.append([event])).toEqual({ appended: 0, duplicates: 1 });
    }
    const atOnce = new MemoryJournal();
    atOnce.append(session);
    expect(readAll(stepwise)).toEqual(readAll(atOnce));
  });

  it('a refused single event leaves the rows and the log as they were', () => {
    const journal = new MemoryJournal();
    journal.append([submitting(coid('a'))]);
    const before = { orders: journal.orders(), events: journal.events().length };
    // a fill of an unknown order, appended alone (the one-event path), then a second order with a taken id
    expect(() => journal.append([filled(coid('b'), { fillSeq: 1, qty: 1, price: 10, fee: 0, remainingQty: 0 })])).toThrow(/b/);
    expect(() => journal.append([{ ...submitting(coid('a')), id: 'OrderSubmitting:again' }])).toThrow();
    expect({ orders: journal.orders(), events: journal.events().length }).toEqual(before);
  });

  it('refuses every call once closed', () => {
    const journal = new MemoryJournal();
    journal.close();
    journal.close();
    expect(() => journal.events()).toThrow(/closed/);
  });
});
