import type {
  Balance,
  FillRow,
  OrderRow,
  PositionRow,
  ReconciliationPerformed,
  UnixMillis,
  VenueOrder,
  VenuePosition,
} from '@quantum-trader/core';

/**
 * What the journal believes, handed to `CcxtBroker.reconcile` at start-up.
 *
 * @example
 * ```ts
 * const input: ReconcileInput = {
 *   orders: await journal.orders(), fills: await journal.fills(), positions: await journal.positions({ status: 'open' }),
 *   ts: Date.now(),
 * };
 * ```
 */
export interface ReconcileInput {
  /** The journal's orders (working ones are compared; the rest are ignored). */
  readonly orders: readonly OrderRow[];
  /** The journal's fills, so that fill numbering continues where the journal stopped. */
  readonly fills?: readonly FillRow[];
  /** The journal's positions (open ones are compared). */
  readonly positions: readonly PositionRow[];
  /** Balances the journal expects (e.g. from the last snapshot), compared if given. */
  readonly balances?: readonly Balance[];
  /** Event time stamped on the `ReconciliationPerformed` events. */
  readonly ts: UnixMillis;
  /** A balance difference up to this much (per currency) is ignored (default 0.01). */
  readonly balanceTolerance?: number;
}

/**
 * The outcome of a start-up reconciliation: the venue's state, every difference found as a
 * `ReconciliationPerformed` event to journal, and whether it is safe to trade.
 *
 * @example
 * ```ts
 * const report = await broker.reconcile(input);
 * await journal.append(report.events);
 * if (!report.ok) throw new QuantumTraderError('RECONCILIATION_FAILED', report.problems.join('; '));
 * ```
 */
export interface ReconciliationReport {
  /** False when a difference needs a person before the bot may trade (see `problems`). */
  readonly ok: boolean;
  /** One sentence per blocking difference. */
  readonly problems: readonly string[];
  /** Every difference found, ready to journal (deterministic ids: re-running does not duplicate them). */
  readonly events: readonly ReconciliationPerformed[];
  readonly venue: {
    readonly positions: readonly VenuePosition[];
    readonly openOrders: readonly VenueOrder[];
    readonly balances: readonly Balance[];
  };
  /** Journal orders still working, with what the venue says about each (`undefined`: unknown at the venue). */
  readonly orders: ReadonlyArray<{ readonly journal: OrderRow; readonly venue: VenueOrder | undefined }>;
}
