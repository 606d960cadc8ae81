import pg from 'pg';
import { PostgresJournal } from '../src/index.js';
import { PostgresJournal as OldJournal } from '../src/postgres/old-journal.tmp.js';
import { paperMix } from './paper-mix.js';
const url = process.env.U ?? 'postgres://postgres@127.0.0.1:5432/test';
const events = paperMix(2000);
const admin = new pg.Client({ connectionString: url }); await admin.connect();
for (let round = 0; round < 2; round++) for (const [name, J] of [['old', OldJournal], ['new', PostgresJournal]] as const) {
  for (const batch of [100, 1]) {
    const schema = `qt_tmp_${process.pid}_${name}_${batch}`;
    const j = await (J as any).open(url, { schema, maxConnections: 1 });
    await j.events({ limit: 1 });
    const n = batch === 1 ? 200 : events.length;
    const t = performance.now();
    for (let i = 0; i < n; i += batch) await j.append(events.slice(i, i + batch));
    console.log(name, 'batch', batch, Math.round(n / (performance.now() - t) * 1000), 'ev/s');
    await j.close();
    await admin.query(`drop schema "${schema}" cascade`);
  }
}
await admin.end();
