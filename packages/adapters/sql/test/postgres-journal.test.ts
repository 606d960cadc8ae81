import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isQuantumTraderError, MemoryJournal } from '@quantum-trader/core';
import { PostgresJournal } from '../src/index.js';
import { describeJournalContract } from '../../../core/test/contracts/journal-contract.js';
import { coid, filled, fullSession, readAll, signal } from '../../../core/test/contracts/journal-fixtures.js';
import { describePostgres, postgresSuiteMode, postgresUrl } from './support/postgres-server.js';

// Schemas are named after this run and dropped afterwards. The contract tests share one migrated schema, emptied
// after each test: migrating a new schema costs more than all the contract's appends together.
const url = postgresUrl;
const runPrefix = `qt_test_${process.pid}_${Date.now().toString(36)}`;
const TABLES = ['events', 'orders', 'fills', 'positions', 'trades', 'exit_plans', 'portfolio_snapshots', 'state'];

describePostgres('PostgresJournal', () => {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  let n = 0;
  const freshSchema = () => `${runPrefix}_${++n}`;
  const drop = (schema: string) => admin.query(`drop schema if exists "${schema}" cascade`);
  const contractSchema = freshSchema();
  beforeAll(async () => {
    await (await PostgresJournal.open(url, { schema: contractSchema, maxConnections: 1 })).close();
  });
  afterAll(async () => {
    await drop(contractSchema);
    await admin.end();
  });

  describeJournalContract('PostgresJournal', async () => {
    const opened = [await PostgresJournal.open(url, { schema: contractSchema, maxConnections: 2 })];
    return {
      journal: opened[0]!,
      reopen: async () => {
        const again = await PostgresJournal.open(url, { schema: contractSchema, maxConnections: 2 });
        opened.push(again);
        return again;
      },
      cleanup: async () => {
        for (const j of opened) await j.close();
        await admin.query(TABLES.map((t) => `delete from "${contractSchema}"."${t}"`).join('; '));
      },
    };
  });

  describe('on a pool it is given', () => {
    let schema: string;
    beforeAll(() => {
      schema = freshSchema();
    });
    afterAll(async () => {
      await drop(schema);
    });

    it('leaves the pool open on close and keeps its tables in the given schema', async () => {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      const journal = await PostgresJournal.open(pool, { schema });
      await journal.append(fullSession());
      await journal.close();
      const { rows } = await pool.query(`select count(*)::int as n from "${schema}".events`);
      expect(rows).toEqual([{ n: fullSession().length }]);
      const migrations = await pool.query(`select name from "${schema}".kysely_migration`);
      expect(migrations.rows).toEqual([{ name: '0001-initial' }]);
      await pool.end();
    });

    it('appends through a pool that does not pipeline: statement by statement, still all or nothing', async () => {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const journal = await PostgresJournal.open(pool, { schema: `${schema}_s` });
      try {
        const session = fullSession();
        expect(await journal.append(session.slice(0, 5))).toEqual({ appended: 5, duplicates: 0 });
        const ghost = filled(coid('ghost'), { fillSeq: 1, qty: 1, price: 1, fee: 0, remainingQty: 0 });
        await expect(journal.append([...session.slice(3, 9), ghost])).rejects.toThrow(ghost.id);
        expect(await journal.events()).toHaveLength(5);
        expect(await journal.append(session)).toEqual({ appended: session.length - 5, duplicates: 5 });
        const replay = new MemoryJournal();
        replay.append(session);
        expect(await readAll(journal)).toEqual(await readAll(replay));
      } finally {
        await journal.close();
        await pool.end();
        await drop(`${schema}_s`);
      }
    });

    it('gives concurrent writers one gap-free sequence in commit order', async () => {
      const [a, b] = [await PostgresJournal.open(url, { schema: `${schema}_c` }), await PostgresJournal.open(url, { schema: `${schema}_c` })];
      try {
        await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).append([signal(i), signal(1_000 + i)])),
        );
        const log = await a.events();
        expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
        expect(await readAll(a)).toEqual(await readAll(b));
      } finally {
        await a.close();
        await b.close();
        await drop(`${schema}_c`);
      }
    });
  });

  it('fails to open an unreachable server with JOURNAL_FAILED, without the password', async () => {
    const err = await PostgresJournal.open('postgres://postgres:secret@127.0.0.1:1/test').catch((e: unknown) => e);
    expect(isQuantumTraderError(err, 'JOURNAL_FAILED')).toBe(true);
    expect((err as Error).message).toContain('127.0.0.1:1');
    expect((err as Error).message).not.toContain('secret');
  });
});

describe('PostgreSQL suites without a server', () => {
  it('fail in CI and are skipped elsewhere, saying where the server was expected and why', () => {
    const where = 'postgres://bot:secret@db.internal:5432/test';
    const inCi = postgresSuiteMode('connect ECONNREFUSED 10.0.0.7:5432', true, where);
    expect(inCi.mode).toBe('fail');
    const local = postgresSuiteMode('connect ECONNREFUSED 10.0.0.7:5432', false, where);
    expect(local.mode).toBe('skip');
    for (const m of [inCi, local]) {
      const message = 'message' in m ? m.message : '';
      expect(message).toContain('postgres://bot:***@db.internal:5432/test');
      expect(message).toContain('ECONNREFUSED');
      expect(message).toContain('QT_POSTGRES_URL');
      expect(message).not.toContain('secret');
    }
    expect(postgresSuiteMode(undefined, true, where)).toEqual({ mode: 'run' });
  });
});
