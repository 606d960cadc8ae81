import { runExitBacktest } from './exit-backtest.js';
import { counterfactualR } from '../../packages/exit-brain/src/learning/exit-learner.js';
const r = await runExitBacktest({ from: '2021-01-01', to: '2021-04-15', exits: {} });
const unit = (o: any) => o.baseStopLossPct;
const samples = r.outcomes.map((o) => {
  const u = (x: number) => x / o.baseStopLossPct;
  const final = o.exitReasons.at(-1);
  return { t: o.baseTakeProfitPcts.map(u), f: o.takeProfitFractions, m: u(o.mfePct), d: u(o.maePct), p: o.mfeBeforeAdverse.map(u), x: u(o.lastExitPct), s: (final === 'stop_loss' || final === 'stop_fallback') ? 1 : 0, g: u(o.stopSlippagePct), r: o.realizedR, o };
});
let act = 0, cf = 0, bad = 0;
for (const s of samples) {
  // gross R: realized PnL + fees over risk
  const gross = (s.o.realizedPnl + s.o.fees) / s.o.riskAmount;
  const c = counterfactualR(s as any, 1, 1, 2);
  act += gross; cf += c;
  if (Math.abs(gross - c) > 0.3 && bad++ < 8) console.log(s.o.exitReasons.join('>'), 'gross', gross.toFixed(3), 'cf', c.toFixed(3), 'm', s.m.toFixed(3), 'd', s.d.toFixed(3), 'p', s.p.map((x: number) => x.toFixed(2)).join(','), 'x', s.x.toFixed(3), 't', s.t.map((x: number)=>x.toFixed(2)).join(','));
}
console.log('n', samples.length, 'mean gross R', (act / samples.length).toFixed(4), 'mean cf(1,1)', (cf / samples.length).toFixed(4), 'mismatches', bad);
for (const b of [0.5, 0.75, 1]) for (const a of [0.6, 0.8, 1, 1.2, 1.4]) {
  const j = [0.5, 0.75, 1, 1.25, 1.5].indexOf(b);
  const m = samples.reduce((acc, s) => acc + counterfactualR(s as any, a, b, j), 0) / samples.length;
  console.log('a', a, 'b', b, m.toFixed(4));
}
