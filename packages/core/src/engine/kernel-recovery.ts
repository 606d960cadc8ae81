import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import type { DomainEvent } from '../model/events.js';
import { eventIdOf, type SymbolId, type UnixMillis } from '../model/ids.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { Broker } from '../ports/broker.js';
import type { MaybePromise } from '../ports/maybe-promise.js';

/**
 * After a restart: compares the venue's positions with the journal's (as restored in the portfolio). Every
 * difference is journalled as `ReconciliationPerformed`, and then the kernel refuses to start
 * (`RECONCILIATION_FAILED`, naming each symbol): it will not trade on a book it does not know.
 *
 * @internal
 */
export async function reconcilePositions(
  broker: Broker,
  portfolio: Portfolio,
  record: (events: readonly DomainEvent[]) => MaybePromise<void>,
  now: UnixMillis,
): Promise<void> {
  const venue = await broker.positions();
  const problems: string[] = [];
  const seen = new Set<SymbolId>();
  for (const v of venue) {
    seen.add(v.symbol);
    const p = portfolio.position(v.symbol);
    const journal = p === undefined ? 'flat' : `${p.side} ${p.qty}`;
    const actual = `${v.side} ${v.qty}`;
    if (p === undefined || p.side !== v.side || Math.abs(p.qty - v.qty) > 1e-9 * Math.max(1, v.qty)) {
      problems.push(`${v.symbol}: journal ${journal}, venue ${actual}`);
      await record([
        { id: eventIdOf('ReconciliationPerformed', v.symbol, now), type: 'ReconciliationPerformed', ts: now, subject: `position ${v.symbol}`, journal, venue: actual, action: 'refused to trade' },
      ]);
    }
  }
  for (const p of portfolio.openPositions()) {
    if (!seen.has(p.symbol)) problems.push(`${p.symbol}: journal ${p.side} ${p.qty}, venue flat`);
  }
  if (problems.length > 0) {
    throw new QuantumTraderError(
      'RECONCILIATION_FAILED',
      `positions at the venue differ from the journal, so the bot will not trade until they agree: ${problems.join('; ')}`,
    );
  }
}

