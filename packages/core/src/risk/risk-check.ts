import { map, type OperatorFunction } from 'rxjs';
import type { IntentCreated, OrderDenied, SignalGenerated } from '../model/events.js';
import type { RiskEngine } from './risk-engine.js';
import type { RiskContext } from './risk-rule.js';

/**
 * RxJS operator: assesses each signal with the risk engine against the context at that moment.
 *
 * @example
 * ```ts
 * signals$.pipe(riskCheck(risk, () => portfolio.riskContext(scheduler.now())))
 *   .subscribe((e) => (e.type === 'IntentCreated' ? queue.publish(e.intent) : log(e.reason)));
 * ```
 */
export function riskCheck(
  engine: RiskEngine,
  context: () => RiskContext,
): OperatorFunction<SignalGenerated, IntentCreated | OrderDenied> {
  return map((signal) => engine.assess(signal, context()));
}
