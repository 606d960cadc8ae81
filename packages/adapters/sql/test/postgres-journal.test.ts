import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isQuantumTraderError } from '@quantum-trader/core';
import { PostgresJournal } from '../src/index.js';
import { describeJournalContract } from '../../../core/test/contracts/journal-contract.js';
import { fullSession, readAll, signal } from '../../../core/test/contracts/journal-fixtures.js';
import { describePostgres, postgresSuiteMode, postgresUrl } from './support/postgres-server.js';

// Each test gets a fresh schema inside this run's prefix, dropped afterwards.
const url = postgresUrl;
const runPrefix = `qt_test_${process.pid}_${Date.now().toString(36)}`;

describePostgres('PostgresJournal', () => {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  let n = 0;
  const freshSchema = () => `${runPrefix}_${++n}`;
  const drop = (schema: string) => admin.query(`drop schema if exists "${schema}" cascade`);
  afterAll(async () => {
    await admin.end();
  });

  describeJournalContract('PostgresJournal', async () => {
    const schema = freshSchema();
    const opened = [await PostgresJournal.open(url, { schema, maxConnections: 2 })];
    return {
      journal: opened[0]!,
      reopen: async () => {
        const again = await PostgresJournal.open(url, { schema, maxConnections: 2 });
        opened.push(again);
        return again;
      },
      cleanup: async () => {
        for (const j of opened) await j.close();
        await drop(schema);
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
