import type { Journal } from '@quantum-trader/core';

/**
 * Where the Exit Brain persists what must survive a restart (the learner, excursions of open plans): the
 * journal's key-value state, typed only by the two methods it calls, so any `Journal` (memory, SQLite,
 * PostgreSQL) fits.
 *
 * @example
 * ```ts
 * const store: StateStore = journal; // a MemoryJournal or SqliteJournal
 * const learner = await ExitLearner.load(store);
 * ```
 */
export type StateStore = Pick<Journal, 'getState' | 'setState'>;
