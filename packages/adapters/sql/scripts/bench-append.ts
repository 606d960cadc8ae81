// Measures SqliteJournal appends/s: 50k events appended one by one, then in batches of 100, on a temp file.
// With QT_POSTGRES_URL set, also PostgresJournal (a fresh schema, dropped afterwards) on a tenth of the events.
// Run: node_modules/.bin/tsx packages/adapters/sql/scripts/bench-append.ts [events=50000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MemoryJournal, type DomainEvent, type Journal } from '@quantum-trader/core';
import pg from 'pg';
import { PostgresJournal, SqliteJournal } from '../src/index.js';
import { coid, filled, pid, positionOpened, signal, snapshot, submitting, T0 } from '../../../core/test/contracts/journal-fixtures.js';

const total = Number(process.argv[2] ?? 50_000);

/** A realistic mix: per life cycle 1 submit, 2 fills, 1 position, 1 snapshot, 5 signals (10 events). */
function workload(n: number): DomainEvent[] {
  const events: DomainEvent[] = [];
  for (let i = 0; events.length < n; i++) {
    const id = coid(`b-${i}`);
    events.push(
      submitting(id, { qty: 1 }, T0 + i),
      filled(id, { fillSeq: 1, qty: 0.5, price: 100, fee: 0.01, remainingQty: 0.5 }, T0 + i),
      filled(id, { fillSeq: 2, qty: 0.5, price: 101, fee: 0.01, remainingQty: 0 }, T0 + i),
      positionOpened(pid(`b-${i}`), 1, 100.5, T0 + i),
      snapshot(T0 + i, 10_000 + i),
    );
    for (let k = 0; k < 5; k++) events.push({ ...signal(k), id: `SignalGenerated:b-${i}:${k}` });
  }
  return events.slice(0, n);
}

async function run(label: string, journal: Journal, events: readonly DomainEvent[], batch: number): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < events.length; i += batch) await journal.append(events.slice(i, i + batch));
  const ms = performance.now() - start;
  console.log(`${label.padEnd(34)} ${String(Math.round((events.length / ms) * 1000)).padStart(9)} events/s  (${ms.toFixed(0)} ms)`);
}

const events = workload(total);
const dir = mkdtempSync(join(tmpdir(), 'qt-bench-'));
try {
  for (const batch of [1, 100]) {
    const file = await SqliteJournal.open(join(dir, `batch-${batch}.db`));
    await run(`SQLite file, batch ${batch}`, file, events, batch);
    file.close();
    const mem = await SqliteJournal.open(':memory:');
    await run(`SQLite :memory:, batch ${batch}`, mem, events, batch);
    mem.close();
    await run(`MemoryJournal, batch ${batch}`, new MemoryJournal(), events, batch);
  }
  const url = process.env['QT_POSTGRES_URL'];
  if (url !== undefined) {
    const schema = `qt_bench_${process.pid}`;
    try {
      for (const batch of [1, 100]) {
        const journal = await PostgresJournal.open(url, { schema: `${schema}_${batch}` });
        await run(`PostgreSQL, batch ${batch}`, journal, events.slice(0, Math.ceil(total / 10)), batch);
        await journal.close();
      }
    } finally {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      for (const batch of [1, 100]) await admin.query(`drop schema if exists "${schema}_${batch}" cascade`);
      await admin.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
