import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import type { SymbolId } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import { fixedNotionalSizer } from './position-sizer.js';
import { RiskEngine } from './risk-engine.js';
import { cooldownRule } from './rules/cooldown-rule.js';
import { dailyLossLimitRule } from './rules/daily-loss-limit-rule.js';
import { maxLeverageRule } from './rules/max-leverage-rule.js';
import { maxNotionalRule } from './rules/max-notional-rule.js';
import { maxOpenPositionsRule } from './rules/max-open-positions-rule.js';
import { onePositionPerSymbolRule } from './rules/one-position-per-symbol-rule.js';

/** The user-adjustable global risk limits of the reference bot. */
export interface RiskLimits {
  /** Max notional per trade in the quote currency (the user's static rule: 1000); also the size of each trade. */
  readonly maxNotionalPerTrade: number;
  /** Max leverage (the user's static rule: 10). */
  readonly maxLeverage: number;
  /** Leverage of new positions (1 = none). */
  readonly leverage: number;
  readonly maxOpenPositions: number;
  readonly cooldownMinutes: number;
  /** Realized loss per UTC day after which no new position opens. */
  readonly dailyLossLimit: number;
}

/**
 * The reference bot's risk engine: max notional, max leverage, one position per symbol, max open positions, a
 * per-symbol cooldown and a daily loss limit, with every trade sized to `maxNotionalPerTrade`. Backtest, paper
 * and live build it here, so they apply the same rules.
 *
 * @example
 * ```ts
 * const risk = standardRiskEngine(
 *   { maxNotionalPerTrade: 1000, maxLeverage: 10, leverage: 1, maxOpenPositions: 3, cooldownMinutes: 60, dailyLossLimit: 300 },
 *   instruments,
 * );
 * ```
 */
export function standardRiskEngine(limits: RiskLimits, instruments: readonly Instrument[]): RiskEngine {
  const bySymbol = new Map<SymbolId, Instrument>(instruments.map((i) => [i.symbol, i]));
  return new RiskEngine({
    rules: [
      maxNotionalRule(limits.maxNotionalPerTrade),
      maxLeverageRule(limits.maxLeverage),
      onePositionPerSymbolRule(),
      maxOpenPositionsRule(limits.maxOpenPositions),
      cooldownRule(limits.cooldownMinutes * 60_000),
      dailyLossLimitRule(limits.dailyLossLimit),
    ],
    sizer: fixedNotionalSizer(limits.maxNotionalPerTrade, limits.leverage),
    leverage: limits.leverage,
    instrument: (s) => {
      const i = bySymbol.get(s);
      if (i === undefined) {
        throw new QuantumTraderError('UNKNOWN_SYMBOL', `no instrument rules for ${s} (known: ${[...bySymbol.keys()].join(', ')})`);
      }
      return i;
    },
  });
}
