// A user-defined exit profile, plugged into the Exit Brain through the profile registry, and run on real data.
//
// "Quick scalp" for ETH at 1x: half off at the first target, the rest at the second, stop to breakeven after the
// first, and out after 6 hours whatever happens. Targets come from the volatility regimes, but squeezed to 60 % —
// except in the high-volatility regime, where the hook leaves them alone. Because it is registered under the
// dynamic name DYNAMIC_ETHUSDT_1.0x, the Exit Brain uses it for every ETH position at 1x and the default
// STANDARD_LADDER for everything else.
//
//   npx tsx examples/exit-brain/custom-profile.ts
import { fileURLToPath } from 'node:url';
import {
  ExitProfileRegistry,
  profileName,
  regimeTakeProfits,
  type ExitProfile,
  type PositionOutcome,
} from '@quantum-trader/exit-brain';
import { symbolId } from '@quantum-trader/core';
import { runExitBacktest, type ExitMetrics } from './exit-backtest.js';

/** The plugin: plain data plus an optional hook. `defineExitProfile` (called by `register`) checks it. */
export const quickScalp: ExitProfile = {
  name: profileName(symbolId('ETH/USDT:USDT'), 1), // 'DYNAMIC_ETHUSDT_1.0x'
  fractions: [0.5, 0.5],
  // two legs: the first two regime levels (TP1, TP2) of the calm regime as the fixed base …
  takeProfitPcts: regimeTakeProfits(0.01).slice(0, 2),
  stopLossPct: 0.015,
  breakevenAfter: 1,
  timeStopMs: 6 * 3_600_000,
  // … squeezed to 60 % except when the market is wild. The leverage and risk caps still apply to the stop.
  adjust: (levels) => (levels.regime === 'high' ? {} : { takeProfitPcts: levels.takeProfitPcts.map((p) => p * 0.6) }),
};

export interface CustomProfileReport {
  readonly custom: ExitMetrics;
  readonly standard: ExitMetrics;
  readonly outcomes: readonly PositionOutcome[];
}

/** Runs ETH with the custom profile and with the standard ladder over [from, to). */
export async function runCustomProfile(from = '2021-03-01', to = '2021-04-01'): Promise<CustomProfileReport> {
  const profiles = new ExitProfileRegistry().register(quickScalp);
  const custom = await runExitBacktest({ from, to, assets: ['ETH'], exits: { profiles } });
  const standard = await runExitBacktest({ from, to, assets: ['ETH'], exits: {} });
  return { custom: custom.metrics, standard: standard.metrics, outcomes: custom.outcomes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runCustomProfile();
  const show = (name: string, m: ExitMetrics): string =>
    `${name.padEnd(22)} ${String(m.trades).padStart(4)} trades  PnL ${m.pnl.toFixed(2).padStart(8)} USDT  ` +
    `win rate ${(m.winRate * 100).toFixed(1)} %  max DD ${(m.maxDrawdown * 100).toFixed(2)} %`;
  console.log(show(quickScalp.name, r.custom));
  console.log(show('STANDARD_LADDER', r.standard));
  const reasons = new Map<string, number>();
  for (const o of r.outcomes) reasons.set(o.exitReasons.join(' → '), (reasons.get(o.exitReasons.join(' → ')) ?? 0) + 1);
  console.log('how the custom plans ended:', Object.fromEntries(reasons));
}
