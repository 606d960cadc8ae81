import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { isQuantumTraderError } from '@quantum-trader/core';
import { SqliteJournal, type JournalDatabase, type SqliteDatabase } from '../src/index.js';
import { describeJournalContract } from '../../../core/test/contracts/journal-contract.js';
import { coid, fullSession, readAll, signal } from '../../../core/test/contracts/journal-fixtures.js';

function tempDir(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'qt-sqlite-'));
  return { dir, path: join(dir, 'journal.db') };
}

describeJournalContract('SqliteJournal on a file', async () => {
  const { dir, path } = tempDir();
  const opened = [await SqliteJournal.open(path)];
  return {
    journal: opened[0]!,
    reopen: async () => {
      const again = await SqliteJournal.open(path);
      opened.push(again);
      return again;
    },
    cleanup: async () => {
      for (const j of opened) j.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeJournalContract('SqliteJournal in memory', async () => {
  const journal = await SqliteJournal.open(':memory:');
  return { journal, cleanup: async () => journal.close() };
});

describe('SqliteJournal', () => {
  const dirs: string[] = [];
  const temp = () => {
    const t = tempDir();
    dirs.push(t.dir);
    return t.path;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('answers every call with a plain value, never a promise, once open', async () => {
    const journal = await SqliteJournal.open(':memory:');
    const results = [
      journal.append(fullSession()),
      journal.events(),
      journal.order(coid('a')),
      journal.orders(),
      journal.fills(),
      journal.positions(),
      journal.trades(),
      journal.exitPlans(),
      journal.snapshots(),
      journal.setState('k', 'v'),
      journal.getState('k'),
      journal.close(),
    ];
    for (const r of results) expect(r).not.toBeInstanceOf(Promise);
    expect(results[10]).toBe('v');
  });

  it('runs in WAL mode with synchronous NORMAL and a busy timeout', async () => {
    const database = new Database(temp());
    const journal = await SqliteJournal.open(database, { busyTimeoutMs: 2_500 });
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.pragma('synchronous', { simple: true })).toBe(1);
    expect(database.pragma('busy_timeout', { simple: true })).toBe(2_500);
    journal.close();
    expect(database.open).toBe(true);
    database.close();
  });

  it('takes any database typed as SqliteDatabase and leaves it open on close', async () => {
    const database: SqliteDatabase = new Database(':memory:');
    const journal = await SqliteJournal.open(database);
    journal.append([signal(1)]);
    journal.close();
    expect(database.prepare('select count(*) as n from events').get([])).toEqual({ n: 1 });
    database.close();
  });

  it('migrates a file once and reopens it without migrating again', async () => {
    const path = temp();
    (await SqliteJournal.open(path)).close();
    (await SqliteJournal.open(path)).close();
    const database = new Database(path);
    expect(database.prepare('select name from kysely_migration').all()).toEqual([{ name: '0001-initial' }]);
    database.close();
  });

  it('lets kysely read its tables through the JournalDatabase type', async () => {
    const path = temp();
    const journal = await SqliteJournal.open(path);
    journal.append(fullSession());
    const db = new Kysely<JournalDatabase>({ dialect: new SqliteDialect({ database: new Database(path) }) });
    const row = await db
      .selectFrom('trades')
      .select((eb) => [eb.fn.sum<number>('realized_pnl').as('pnl'), eb.fn.countAll<number>().as('n')])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ pnl: 700, n: 1 });
    await db.destroy();
    journal.close();
  });

  it('gives two journals on one file one gap-free sequence', async () => {
    const path = temp();
    const [a, b] = [await SqliteJournal.open(path), await SqliteJournal.open(path)];
    for (let i = 0; i < 50; i++) (i % 2 === 0 ? a : b).append([signal(i)]);
    b.append(Array.from({ length: 10 }, (_, i) => signal(100 + i)));
    expect(a.events().map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(await readAll(a)).toEqual(await readAll(b));
    a.close();
    b.close();
  });

  it('fails to open an unreachable path with JOURNAL_FAILED naming it', async () => {
    const err = await SqliteJournal.open('/nonexistent-dir/qt/journal.db').catch((e: unknown) => e);
    expect(isQuantumTraderError(err, 'JOURNAL_FAILED')).toBe(true);
    expect((err as Error).message).toContain('/nonexistent-dir/qt/journal.db');
  });

  it('refuses calls after close', async () => {
    const journal = await SqliteJournal.open(':memory:');
    journal.close();
    journal.close();
    expect(() => journal.events()).toThrow(/closed/);
  });
});
