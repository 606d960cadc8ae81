import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import type { IntentCreated, OrderDenied, SignalGenerated } from '../model/events.js';
import { eventIdOf, intentIdOf, type IntentId, type SymbolId, type UnixMillis } from '../model/ids.js';
import type { Instrument } from '../model/instrument.js';
import type { TradeIntent } from '../model/orders.js';
import type { PositionSizer } from './position-sizer.js';
import type { RiskContext, RiskRule } from './risk-rule.js';

/** Options of {@link RiskEngine}. */
export interface RiskEngineOptions {
  readonly rules: readonly RiskRule[];
  readonly sizer: PositionSizer;
  /** Leverage of new positions (1 for spot). */
  readonly leverage: number;
  readonly instrument: (symbol: SymbolId) => Instrument;
}

/**
 * The risk engine: turns a signal into a sized {@link TradeIntent} and runs it through the rule chain. The first
 * rule that refuses wins; its refusal becomes an `OrderDenied` event. Spot instruments cannot be shorted.
 *
 * @example
 * ```ts
 * const risk = new RiskEngine({ rules: [maxNotionalRule(1000), maxLeverageRule(10)], sizer: fixedNotionalSizer(1000),
 *   leverage: 1, instrument: (s) => instruments.get(s)! });
 * const decision = risk.assess(signal, ctx); // IntentCreated | OrderDenied
 * ```
 */
export class RiskEngine {
  constructor(private readonly options: RiskEngineOptions) {
    if (!(options.leverage >= 1)) {
      throw new QuantumTraderError(
        'PARAMETER_OUT_OF_RANGE',
        `risk: leverage must be a number >= 1, got ${String(options.leverage)}`,
      );
    }
  }

  /** The rules, in the order they are checked. */
  get rules(): readonly RiskRule[] {
    return this.options.rules;
  }

  /** Assesses one signal at `ctx.now`. */
  assess(signal: SignalGenerated, ctx: RiskContext): IntentCreated | OrderDenied {
    const side = signal.direction === 'long' ? 'buy' : 'sell';
    const id = intentIdOf(signal.strategyId, signal.symbol, signal.candleTs, side);
    const instrument = this.options.instrument(signal.symbol);
    const leverage = instrument.contractType === 'spot' ? 1 : this.options.leverage;
    if (instrument.contractType === 'spot' && signal.direction === 'short') {
      return denied(signal, id, side, ctx.now, 'spot-no-short', `${signal.symbol} is a spot market: a SHORT signal cannot be traded`);
    }
    const qty = this.options.sizer(signal, instrument, ctx);
    const { strategyId, symbol, price: refPrice, candleTs: signalTs, volatility } = signal;
    const ts = ctx.now;
    // two literals rather than a conditional spread (same keys, same order)
    const intent: TradeIntent =
      volatility === undefined
        ? { id, strategyId, symbol, side, qty, leverage, refPrice, ts, signalTs }
        : { id, strategyId, symbol, side, qty, leverage, refPrice, ts, signalTs, volatility };
    if (!(qty >= instrument.minQty) || qty * signal.price < instrument.minNotional) {
      return denied(
        signal,
        id,
        side,
        ctx.now,
        'position-size',
        `size ${qty} ${instrument.base} at ${signal.price} is below the market minimum (qty ${instrument.minQty}, notional ${instrument.minNotional})`,
      );
    }
    for (const rule of this.options.rules) {
      const reason = rule.check(intent, ctx);
      if (reason !== undefined) return denied(signal, id, side, ctx.now, rule.name, reason);
    }
    return { id: eventIdOf('IntentCreated', id), type: 'IntentCreated', ts: ctx.now, intent };
  }
}

/** The `OrderDenied` of a signal's intent (a function, not a closure made for every signal assessed). */
function denied(signal: SignalGenerated, id: IntentId, side: 'buy' | 'sell', ts: UnixMillis, rule: string, reason: string): OrderDenied {
  return {
    id: eventIdOf('OrderDenied', id),
    type: 'OrderDenied',
    ts,
    intentId: id,
    strategyId: signal.strategyId,
    symbol: signal.symbol,
    side,
    rule,
    reason,
  };
}
