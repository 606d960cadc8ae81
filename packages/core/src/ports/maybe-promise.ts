import { from, of, type Observable } from 'rxjs';

/**
 * A value or a promise of it. Ports return this so that in-process implementations (the simulated exchange,
 * the in-memory and SQLite journals) stay synchronous — which is what lets a backtest run in virtual time —
 * while network implementations (ccxt, PostgreSQL, Redis) return promises.
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Lifts a {@link MaybePromise} into an Observable without adding an asynchronous hop when the value is
 * synchronous.
 *
 * @example
 * ```ts
 * fromMaybe(journal.append(events)).pipe(concatMap(() => fromMaybe(broker.submit(order))));
 * ```
 */
export function fromMaybe<T>(value: MaybePromise<T>): Observable<T> {
  return value instanceof Promise ? from(value) : of(value);
}

/**
 * Runs `next` after `value` resolves, synchronously when `value` is synchronous.
 *
 * @example
 * ```ts
 * const done = thenMaybe(journal.append(events), () => broker.submit(order));
 * ```
 */
export function thenMaybe<T, R>(value: MaybePromise<T>, next: (v: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
