// Walk-forward proof of the Exit Brain's learning loop on the bundled real Binance 5m candles (BTC, ETH, BNB as
// USDT perpetuals, 1x, 1 000 USDT per trade, the reference bot's 24 h momentum entries and risk rules).
//
//   1. learn: run the bot over the first part with a fresh ExitLearner (online: every closed position teaches it);
//   2. test, on the later part the learner never saw, side by side:
//      - static:          STANDARD_LADDER, no learning;
//      - learned, frozen: the learner as it was at the end of the first part, no further changes;
//      - learned, online: the same learner, still learning as the test runs (a true walk-forward).
//
// Besides the totals, the table compares the entries that static and learned runs both took: that isolates what
// the exits did from how the exits changed which entries happened afterwards.
//
//   npx tsx examples/exit-brain/learned-vs-static.ts [--split 2021-04-15] [--from 2021-01-01] [--to 2021-07-17]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ExitLearner, type ExitLearnerState, type PositionOutcome } from '@quantum-trader/exit-brain';
import { runExitBacktest, type ExitBacktestResult, type ExitMetrics } from './exit-backtest.js';

export interface WalkForwardOptions {
  /** ISO dates: learn on [from, split), test on [split, to). */
  readonly from: string;
  readonly split: string;
  readonly to: string;
  readonly assets?: readonly string[];
}

export interface WalkForwardRow {
  readonly name: string;
  readonly metrics: ExitMetrics;
  /** Entries this run shares with the static run: how many, and PnL of both on them. */
  readonly shared?: { readonly trades: number; readonly pnl: number; readonly staticPnl: number };
}

export interface WalkForwardReport {
  readonly train: WalkForwardRow;
  /** The static ladder over the first part, for comparison. */
  readonly trainStatic: WalkForwardRow;
  readonly test: readonly WalkForwardRow[];
  readonly learned: ExitLearnerState;
}

/** Learns on [from, split), then compares static and learned exits on [split, to). */
export async function walkForward(o: WalkForwardOptions): Promise<WalkForwardReport> {
  const assets = o.assets !== undefined ? { assets: o.assets } : {};
  const learner = new ExitLearner();
  const train = await runExitBacktest({ from: o.from, to: o.split, ...assets, exits: { learner } });
  const trainStatic = await runExitBacktest({ from: o.from, to: o.split, ...assets, exits: {} });
  const learned = learner.toJSON();
  const test = { from: o.split, to: o.to, ...assets };
  const staticRun = await runExitBacktest({ ...test, exits: {} });
  const frozen = await runExitBacktest({ ...test, exits: { learner: new ExitLearner({}, learned), learning: 'frozen' } });
  const online = await runExitBacktest({ ...test, exits: { learner: new ExitLearner({}, learned) } });
  return {
    train: { name: 'learning run (first part, online)', metrics: train.metrics },
    trainStatic: { name: 'static (first part)', metrics: trainStatic.metrics },
    test: [
      { name: 'static STANDARD_LADDER', metrics: staticRun.metrics },
      { name: 'learned, frozen', metrics: frozen.metrics, shared: shared(frozen, staticRun) },
      { name: 'learned, online', metrics: online.metrics, shared: shared(online, staticRun) },
    ],
    learned,
  };
}

function shared(run: ExitBacktestResult, staticRun: ExitBacktestResult): WalkForwardRow['shared'] {
  const base = new Map(staticRun.outcomes.map((x) => [x.positionId, x]));
  const both = run.outcomes.filter((x) => base.has(x.positionId));
  const sum = (xs: readonly PositionOutcome[]): number => xs.reduce((a, x) => a + x.realizedPnl, 0);
  return { trades: both.length, pnl: sum(both), staticPnl: sum(both.map((x) => base.get(x.positionId)!)) };
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '–');
const usd = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(2)}` : '–');

/** The report as a plain-text table. */
export function formatReport(r: WalkForwardReport, o: WalkForwardOptions): string {
  const head = ['exits', 'trades', 'PnL USDT', 'win rate', 'max DD', 'expectancy', 'same entries: n / PnL / static PnL'];
  const line = (row: WalkForwardRow): string[] => [
    row.name,
    String(row.metrics.trades),
    usd(row.metrics.pnl),
    pct(row.metrics.winRate),
    pct(row.metrics.maxDrawdown),
    usd(row.metrics.expectancy),
    row.shared === undefined ? '' : `${row.shared.trades} / ${usd(row.shared.pnl)} / ${usd(row.shared.staticPnl)}`,
  ];
  const rows = [head, ...r.test.map(line)];
  const widths = head.map((_, i) => Math.max(...rows.map((x) => x[i]!.length)));
  const fmt = (x: string[]): string => x.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [
    `learned on ${o.from} → ${o.split}: ${r.train.metrics.trades} trades, PnL ${usd(r.train.metrics.pnl)} USDT while learning ` +
      `(static ladder on the same part: ${r.trainStatic.metrics.trades} trades, PnL ${usd(r.trainStatic.metrics.pnl)} USDT); learner version ${r.learned.version}`,
    ...Object.entries(r.learned.keys).map(
      ([k, v]) => `  ${k.padEnd(26)} take profits × ${v.takeProfitMultiplier.toFixed(3)}, stop × ${v.stopLossMultiplier.toFixed(3)} (${v.observed} positions)`,
    ),
    '',
    `tested on ${o.split} → ${o.to} (never seen while learning):`,
    fmt(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(fmt),
  ];
  const best = [...r.test].sort((a, b) => b.metrics.pnl - a.metrics.pnl)[0]!;
  out.push('', `higher PnL on the test part: ${best.name}`);
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      from: { type: 'string', default: '2021-01-01' },
      split: { type: 'string', default: '2021-04-15' },
      to: { type: 'string', default: '2021-07-17' },
    },
  });
  const options = { from: values.from, split: values.split, to: values.to };
  const report = await walkForward(options);
  console.log(formatReport(report, options));
}
