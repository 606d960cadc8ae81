import pg from 'pg';
import { PostgresJournal } from '../src/index.js';
import { paperMix } from './paper-mix.js';
import { appendStatements, readParameters, storedRowsOf, writeParameters } from '../src/postgres/postgres-append-statements.js';
import { planAppend, prepareAppend } from '../src/postgres/postgres-append-plan.js';
const url = 'postgres://postgres@127.0.0.1:5432/test';
const schema = `qt_tmp_${process.pid}`;
const j = await PostgresJournal.open(url, { schema, maxConnections: 1 });
const events = paperMix(6_000);
for (let i = 0; i < 3_000; i += 100) await j.append(events.slice(i, i + 100));
await j.close();
const st = appendStatements(schema);
for (const mode of ['auto', 'force_generic_plan', 'force_custom_plan', 'auto']) {
  const c = new pg.Client({ connectionString: url }); await c.connect();
  await c.query(`set plan_cache_mode = ${mode}`);
  const rt: number[] = [], wt: number[] = [];
  for (let i = 3_000; i < 6_000; i += 100) {
    const prepared = prepareAppend(events.slice(3_000, 3_100));
    await c.query(st.begin);
    let t = performance.now();
    const read = await c.query({ ...st.read, values: readParameters(prepared.lookup) });
    rt.push(performance.now() - t);
    const plan = planAppend(prepared, storedRowsOf(read.rows[0]));
    t = performance.now();
    await c.query({ ...st.write, values: writeParameters(plan) });
    wt.push(performance.now() - t);
    await c.query('rollback');
  }
  const med = (x: number[]) => Math.min(...x.slice(6)).toFixed(2);
  console.log(mode.padEnd(20), 'read median', med(rt), 'write median', med(wt), 'first', rt.slice(0, 6).map((x) => x.toFixed(1)).join(','));
  await c.end();
}
const c = new pg.Client({ connectionString: url }); await c.connect(); await c.query(`drop schema "${schema}" cascade`); await c.end();
