import type { MaybePromise } from '@quantum-trader/core';

// Internal (not re-exported): sequencing of MaybePromise steps that stays synchronous when every step is.

/** Runs `fn` on each item in order, awaiting a step only when it returns a promise. Stops at the first error. */
export function eachInOrder<T>(items: readonly T[], fn: (item: T) => MaybePromise<void>, from = 0): MaybePromise<void> {
  for (let i = from; i < items.length; i++) {
    const r = fn(items[i]!);
    if (r instanceof Promise) return r.then(() => eachInOrder(items, fn, i + 1));
  }
  return undefined;
}

/**
 * Runs `fn` on each item in order like {@link eachInOrder}, but an item that throws does not stop the others
 * (one failed take-profit submission must not leave the position without its stop); the first error is rethrown
 * once every item has run.
 */
export function eachInOrderSettled<T>(items: readonly T[], fn: (item: T) => MaybePromise<void>): MaybePromise<void> {
  const errors: unknown[] = [];
  const step = (item: T): MaybePromise<void> => {
    let r: MaybePromise<void>;
    try {
      r = fn(item);
    } catch (err) {
      errors.push(err);
      return undefined;
    }
    return r instanceof Promise ? r.catch((err: unknown) => void errors.push(err)) : undefined;
  };
  const finish = (): void => {
    if (errors.length > 0) throw errors[0];
  };
  const done = eachInOrder(items, step);
  return done instanceof Promise ? done.then(finish) : finish();
}

