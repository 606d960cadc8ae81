import {
  eventIdOf,
  type Balance,
  type Instrument,
  type OrderRow,
  type ReconciliationPerformed,
  type SymbolId,
  type VenueOrder,
  type VenuePosition,
} from '@quantum-trader/core';
import type { ReconcileInput } from './reconciliation-report.js';

/** The venue's side of a reconciliation. */
export interface VenueState {
  readonly positions: readonly VenuePosition[];
  readonly openOrders: readonly VenueOrder[];
  readonly balances: readonly Balance[];
}

/** Differences between journal and venue. */
export interface Comparison {
  readonly events: ReconciliationPerformed[];
  readonly problems: string[];
}

const WORKING = new Set(['submitting', 'open', 'partially_filled']);

/**
 * Compares the journal's positions, working orders and balances with the venue's. Position differences and orders
 * of this bot (client order id `qt-…`) that the journal does not know block trading; orders of others and balance
 * differences are reported only. Journal orders the venue sees differently are left to the execution engine's
 * recovery, which journals what it does about each.
 *
 * @example
 * ```ts
 * const { events, problems } = compareWithJournal(input, venue, (s) => instruments.get(s));
 * ```
 */
export function compareWithJournal(
  input: ReconcileInput,
  venue: VenueState,
  instrumentOf: (symbol: SymbolId) => Instrument | undefined,
  spot: boolean,
): Comparison {
  const events: ReconciliationPerformed[] = [];
  const problems: string[] = [];
  const ts = input.ts;
  const add = (subject: string, journal: string, venueSays: string, action: string): void => {
    events.push({ id: eventIdOf('ReconciliationPerformed', subject, journal, venueSays), type: 'ReconciliationPerformed', ts, subject, journal, venue: venueSays, action });
  };

  // orders at the venue the journal does not know
  const journalOrders = new Map<string, OrderRow>(input.orders.map((o) => [o.clientOrderId, o]));
  for (const o of venue.openOrders) {
    const j = journalOrders.get(o.clientOrderId);
    if (j !== undefined && WORKING.has(j.status)) continue;
    const described = `${o.status} ${o.side} ${o.qty} ${o.symbol}`;
    if (o.clientOrderId.startsWith('qt-')) {
      add(`order ${o.clientOrderId}`, j === undefined ? 'unknown' : j.status, described, 'refuse to trade: an order of this bot is working at the venue but not in the journal');
      problems.push(`order ${o.clientOrderId} (${described}) is working at the venue but the journal ${j === undefined ? 'does not know it' : `says ${j.status}`}; cancel it at the venue or restore the journal`);
    } else {
      add(`order ${o.clientOrderId}`, 'unknown', described, 'left alone: not placed by this bot');
    }
  }

  // positions: signed net quantity per symbol
  const journalNet = new Map<SymbolId, number>();
  for (const p of input.positions) {
    if (p.status !== 'open') continue;
    journalNet.set(p.symbol, (journalNet.get(p.symbol) ?? 0) + (p.side === 'long' ? p.qty : -p.qty));
  }
  const venueNet = new Map<SymbolId, number>();
  for (const p of venue.positions) venueNet.set(p.symbol, (venueNet.get(p.symbol) ?? 0) + (p.side === 'long' ? p.qty : -p.qty));
  const symbols = new Set<SymbolId>([...journalNet.keys(), ...(spot ? [] : venueNet.keys())]);
  for (const s of symbols) {
    const j = journalNet.get(s) ?? 0;
    const v = venueNet.get(s) ?? 0;
    const tol = (instrumentOf(s)?.lotStep ?? 1e-8) / 2;
    // spot: the account may hold more of the asset than the bot bought; only less is a problem
    const differs = spot ? v < j - tol : Math.abs(v - j) > tol;
    if (!differs) continue;
    const describe = (q: number): string => (Math.abs(q) <= tol ? 'flat' : `${q > 0 ? 'long' : 'short'} ${Math.abs(q)}`);
    add(`position ${s}`, describe(j), describe(v), 'refuse to trade until the difference is resolved');
    problems.push(`position ${s}: the journal says ${describe(j)}, the venue says ${describe(v)}; close or adopt the position at the venue, or repair the journal`);
  }

  // balances (informational: funding, fees and transfers move them)
  if (input.balances !== undefined) {
    const tol = input.balanceTolerance ?? 0.01;
    const byCurrency = new Map(venue.balances.map((b) => [b.currency, b]));
    for (const b of input.balances) {
      const v = byCurrency.get(b.currency)?.total ?? 0;
      if (Math.abs(v - b.total) > tol) add(`balance ${b.currency}`, String(b.total), String(v), 'use the venue balance');
    }
  }
  return { events, problems };
}

