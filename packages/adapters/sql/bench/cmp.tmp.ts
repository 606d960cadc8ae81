import pg from 'pg';
import type { DomainEvent } from '@quantum-trader/core';
import { PostgresJournal } from '../src/index.js';
import { PostgresJournal as OldJournal } from '../src/postgres/old-journal.tmp.js';
import { paperMix } from './paper-mix.js';
import { coid, filled, pid, positionOpened, signal, snapshot, submitting, T0 } from '../../../core/test/contracts/journal-fixtures.js';
const url = process.env.U ?? 'postgres://postgres@127.0.0.1:5432/test';
function colleague(n: number): DomainEvent[] {
  const events: DomainEvent[] = [];
  for (let i = 0; events.length < n; i++) {
    const id = coid(`b-${i}`);
    events.push(submitting(id, { qty: 1 }, T0 + i), filled(id, { fillSeq: 1, qty: 0.5, price: 100, fee: 0.01, remainingQty: 0.5 }, T0 + i), filled(id, { fillSeq: 2, qty: 0.5, price: 101, fee: 0.01, remainingQty: 0 }, T0 + i), positionOpened(pid(`b-${i}`), 1, 100.5, T0 + i), snapshot(T0 + i, 10_000 + i));
    for (let k = 0; k < 5; k++) events.push({ ...signal(k), id: `SignalGenerated:b-${i}:${k}` });
  }
  return events.slice(0, n);
}
const admin = new pg.Client({ connectionString: url }); await admin.connect();
const res: Record<string, number[]> = {};
for (let round = 0; round < 2; round++) for (const [wl, events] of [['paper', paperMix(20_000)], ['colleague', colleague(20_000)]] as const) for (const [name, J] of [['old', OldJournal], ['new', PostgresJournal]] as const) {
  for (const batch of [100, 1]) {
    const schema = `qt_tmp_${process.pid}_${name}_${batch}`;
    const j = await (J as any).open(url, { schema, maxConnections: 1 });
    await j.append(events.slice(0, batch));
    const t = performance.now(); let n = 0;
    for (let i = batch; performance.now() - t < (batch === 1 ? 1500 : 2500) && i < events.length; i += batch) { await j.append(events.slice(i, i + batch)); n += batch; }
    const rate = Math.round(n / (performance.now() - t) * 1000);
    (res[`${wl} ${name} batch ${batch}`] ??= []).push(rate);
    await j.close();
    await admin.query(`drop schema "${schema}" cascade`);
  }
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(28), v.join(' / '), 'events/s');
await admin.end();
