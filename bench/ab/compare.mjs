// Run by bench/ab.ts in a plain `node` process: imports two bundles of bench/ab/entry.ts and alternates their engine
// runs (A B, B A, …) in this one process, so both meet the same machine moments and the same heap.
//   node bench/ab/compare.mjs A.mjs B.mjs [pairs]
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [a, b, pairsArg] = process.argv.slice(2);
const A = await import(pathToFileURL(resolve(a)).href);
const B = await import(pathToFileURL(resolve(b)).href);
const pairs = Number(pairsArg ?? 30);
const cols = A.minuteCandles(1_000_000);
for (let i = 0; i < 5; i++) {
  A.engine(cols);
  B.engine(cols);
}
const ta = [];
const tb = [];
const ca = [];
const cb = [];
const th = [];
/** One engine run of `side`, with the process's CPU time over it (user + system, the collector's threads included). */
function timed(side) {
  const c0 = process.cpuUsage();
  const r = side.engine(cols);
  const c = process.cpuUsage(c0);
  return { ...r, cpuMs: (c.user + c.system) / 1000 };
}
for (let i = 0; i < pairs; i++) {
  const aFirst = i % 2 === 0;
  const x = timed(aFirst ? A : B);
  const y = timed(aFirst ? B : A);
  if (x.trades !== y.trades) throw new Error(`the two bundles traded differently: ${x.trades} against ${y.trades} trades`);
  ta.push(aFirst ? x.ms : y.ms);
  tb.push(aFirst ? y.ms : x.ms);
  ca.push(aFirst ? x.cpuMs : y.cpuMs);
  cb.push(aFirst ? y.cpuMs : x.cpuMs);
  th.push(A.hand(cols));
}
const { median } = A; // bench/lib/measure.ts's, from the bundle
const ratios = ta.map((x, i) => tb[i] / x);
const cpuRatios = ca.map((x, i) => cb[i] / x);
const r = (x, d = 1) => Number(x.toFixed(d));
process.stdout.write(
  `${JSON.stringify({
    pairs,
    a: { file: a, minMs: r(Math.min(...ta)), medianMs: r(median(ta)), cpuMedianMs: r(median(ca)) },
    b: { file: b, minMs: r(Math.min(...tb)), medianMs: r(median(tb)), cpuMedianMs: r(median(cb)) },
    bOverAPairMedian: r(median(ratios), 3),
    bOverACpuPairMedian: r(median(cpuRatios), 3),
    bFasterInPairs: ratios.filter((x) => x < 1).length,
    handloopMinMs: r(Math.min(...th)),
  })}\n`,
);
