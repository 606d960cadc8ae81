import pg from 'pg';
import { PostgresJournal } from '../src/index.js';
import { paperMix } from './paper-mix.js';
const url = 'postgres://postgres@127.0.0.1:5432/test';
const schema = `qt_tmp_${process.pid}`;
const j = await PostgresJournal.open(url, { schema, maxConnections: 1 });
const events = paperMix(3000);
const orig = pg.Client.prototype.query;
const times = new Map<string, number[]>();
(pg.Client.prototype as any).query = function (...a: any[]) {
  const t = performance.now(); const r = orig.apply(this, a as any);
  const key = String(typeof a[0] === 'string' ? a[0] : a[0].name ?? a[0].text).slice(0, 40);
  (r as any).then?.(() => { const l = times.get(key) ?? []; l.push(performance.now() - t); times.set(key, l); }, () => {});
  return r;
};
const t = performance.now();
for (let i = 0; i < events.length; i += 100) await j.append(events.slice(i, i + 100));
const total = performance.now() - t;
console.log('total', total.toFixed(0), 'ms for', events.length / 100, 'batches', (events.length / total * 1000).toFixed(0), 'ev/s');
for (const [k, l] of times) { l.sort((a, b) => a - b); console.log(k.padEnd(42), 'n', l.length, 'median', l[l.length >> 1]!.toFixed(2), 'p90', l[Math.floor(l.length * 0.9)]!.toFixed(2)); }
await j.close();
const admin = new pg.Client({ connectionString: url }); await admin.connect(); await admin.query(`drop schema "${schema}" cascade`); await admin.end();
