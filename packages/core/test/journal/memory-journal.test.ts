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

  it('refuses every call once closed', () => {
    const journal = new MemoryJournal();
    journal.close();
    journal.close();
    expect(() => journal.events()).toThrow(/closed/);
  });
});
