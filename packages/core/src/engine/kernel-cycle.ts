import type { SchedulerLike } from 'rxjs';
import type { Candle } from '../model/candle.js';
import type { DomainEvent, SignalGenerated } from '../model/events.js';
import { eventIdOf, intentIdOf, type SymbolId, type UnixMillis } from '../model/ids.js';
import type { TradeIntent } from '../model/orders.js';
import type { ExecutionEngine } from '../execution/execution-engine.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { IntentQueue, QueueDelivery } from '../ports/intent-queue.js';
import { thenMaybe, type MaybePromise } from '../ports/maybe-promise.js';
import type { SignalScorer } from '../ports/signal-scorer.js';
import type { RiskEngine } from '../risk/risk-engine.js';
import type { Strategy } from '../strategy/strategy.js';
import type { KernelLogger, ServiceName } from './kernel-logger.js';

/**
 * What the autonomous cycle reads and calls in the kernel that runs it: the strategies and the per-symbol state the
 * candles keep (indexed like `symbols`), the risk engine, the intent queue, the scorer, the execution engine, and
 * the kernel's journal-first `record`.
 *
 * @internal
 */
export interface CycleHost {
  readonly scheduler: SchedulerLike;
  readonly strategies: readonly Strategy[];
  readonly symbols: readonly SymbolId[];
  /** The last closed candle of each symbol. */
  readonly lastCandles: readonly (Candle | undefined)[];
  /** Per strategy × symbol (`strategy * symbols.length + symbol`): the candle time last evaluated. */
  readonly lastEvaluated: Float64Array;
  readonly risk: RiskEngine;
  readonly queue: IntentQueue;
  readonly scorer: SignalScorer | undefined;
  readonly portfolio: Portfolio;
  /** Symbols with an entry in flight (the cycle adds to it; the kernel clears it as entries end). */
  readonly pending: Set<SymbolId>;
  readonly execution: ExecutionEngine;
  readonly log: Readonly<Record<ServiceName, KernelLogger>>;
  hasExposure(symbol: SymbolId): boolean;
  volatility(symbol: SymbolId): number;
  record(events: readonly DomainEvent[]): MaybePromise<void>;
  /** Counts an `OrderDenied` (risk rule or model filter). */
  denied(): void;
}

/**
 * The autonomous cycle of the kernel (internal): strategies → `SignalGenerated` → model filter (if any) → risk →
 * `IntentCreated` on the intent queue, or `OrderDenied` with the reason; and, on the consuming side, an approved
 * intent's entry order through the execution engine. Every step is journalled through the host's `record` before
 * the next one runs.
 *
 * @internal
 */
export class KernelCycle {
  constructor(private readonly host: CycleHost) {}

  /** Evaluates every strategy on every symbol's last closed candle not evaluated yet, at `now`; acts on each signal. */
  run(now: UnixMillis): MaybePromise<void> {
    const host = this.host;
    let signals: SignalGenerated[] | undefined;
    const strategies = host.strategies;
    const symbols = host.symbols;
    const nSym = symbols.length;
    for (let si = 0; si < strategies.length; si++) {
      const strategy = strategies[si]!;
      for (let k = 0; k < nSym; k++) {
        const candle = host.lastCandles[k];
        if (candle === undefined) continue;
        const slot = si * nSym + k;
        if (host.lastEvaluated[slot] === candle.ts) continue;
        host.lastEvaluated[slot] = candle.ts;
        const symbol = symbols[k]!;
        // Entries only: a symbol with a position or an entry in flight belongs to the exit manager.
        if (host.hasExposure(symbol)) continue;
        const d = strategy.evaluate(symbol, now);
        if (d === undefined) continue;
        const vol = host.volatility(symbol);
        const id = eventIdOf('SignalGenerated', strategy.id, symbol, candle.ts);
        // two literals rather than a conditional spread: the same keys in the same order, without a copy
        (signals ??= []).push(
          Number.isNaN(vol)
            ? { id, type: 'SignalGenerated', ts: now, strategyId: strategy.id, symbol, direction: d.direction, candleTs: candle.ts, price: candle.close, strength: d.strength, reason: d.reason }
            : { id, type: 'SignalGenerated', ts: now, strategyId: strategy.id, symbol, direction: d.direction, candleTs: candle.ts, price: candle.close, strength: d.strength, volatility: vol, reason: d.reason },
        );
      }
    }
    return signals === undefined ? undefined : sequence(signals, (signal) => this.onSignal(signal));
  }

  private onSignal(signal: SignalGenerated): MaybePromise<void> {
    this.host.log.signals.debug({ ts: signal.ts, symbol: signal.symbol, direction: signal.direction }, signal.reason);
    const scorer = this.host.scorer;
    return thenMaybe(this.host.record([signal]), () => {
      if (scorer === undefined) return this.assess(signal);
      return thenMaybe(scorer.score(signal), (score) => {
        if (score.accept) return this.assess(signal);
        const side = signal.direction === 'long' ? 'buy' : 'sell';
        const intentId = intentIdOf(signal.strategyId, signal.symbol, signal.candleTs, side);
        this.host.denied();
        return this.host.record([
          {
            id: eventIdOf('OrderDenied', intentId),
            type: 'OrderDenied',
            ts: this.host.scheduler.now(),
            intentId,
            strategyId: signal.strategyId,
            symbol: signal.symbol,
            side,
            rule: 'model-filter',
            reason: `model ${score.model} gives this signal a ${(score.probability * 100).toFixed(1)} % chance of profit, below its threshold`,
          },
        ]);
      });
    });
  }

  private assess(signal: SignalGenerated): MaybePromise<void> {
    const now = this.host.scheduler.now();
    const decision = this.host.risk.assess(signal, this.host.portfolio.riskContext(now, this.host.pending));
    if (decision.type === 'OrderDenied') {
      this.host.denied();
      this.host.log.risk.info({ ts: now, symbol: decision.symbol, rule: decision.rule }, `denied: ${decision.reason}`);
      return this.host.record([decision]);
    }
    this.host.pending.add(decision.intent.symbol);
    return thenMaybe(this.host.record([decision]), () => this.host.queue.publish(decision.intent));
  }

  /** Executes an approved intent from the queue: its entry order goes out through the execution engine. */
  onIntent(d: QueueDelivery<TradeIntent>): MaybePromise<void> {
    const intent = d.value;
    this.host.pending.add(intent.symbol);
    const now = this.host.scheduler.now();
    return thenMaybe(this.host.execution.execute(intent, now), (result) => {
      if (result.status === 'rejected') {
        this.host.log.execution.warn({ ts: now, intent: intent.id, code: result.code }, `entry rejected: ${result.reason}`);
      } else {
        this.host.log.execution.info({ ts: now, intent: intent.id, qty: intent.qty, side: intent.side }, `entry sent for ${intent.symbol}`);
      }
    });
  }
}

function sequence<T>(items: readonly T[], fn: (item: T) => MaybePromise<void>): MaybePromise<void> {
  let i = 0;
  const next = (): MaybePromise<void> => {
    while (i < items.length) {
      const r = fn(items[i++]!);
      if (r instanceof Promise) return r.then(next);
    }
  };
  return next();
}
