import pg from 'pg';
import { PostgresJournal } from '../src/index.js';
import { PostgresJournal as OldJournal } from '../src/postgres/old-journal.tmp.js';
import { paperMix } from './paper-mix.js';
const events = paperMix(1000);
for (const [name, J] of [['old', OldJournal], ['new', PostgresJournal]] as const) {
  for (const port of [5432, 15432]) {
    const url = `postgres://postgres@127.0.0.1:${port}/test`;
    const schema = `qt_tmp_${process.pid}_${name}_${port}`;
    const j = await (J as any).open(url, { schema, maxConnections: 1 });
    let t = performance.now();
    await j.append(events.slice(0, 100));
    const first = performance.now() - t;
    t = performance.now();
    for (let i = 100; i < 1000; i += 100) await j.append(events.slice(i, i + 100));
    console.log(name, port, 'first batch', first.toFixed(0), 'ms; next 9 batches', ((performance.now() - t) / 9).toFixed(0), 'ms each');
    await j.close();
    const a = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' }); await a.connect(); await a.query(`drop schema "${schema}" cascade`); await a.end();
  }
}
