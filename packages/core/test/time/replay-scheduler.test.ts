import { describe, expect, it } from 'vitest';
import { interval, take, timer, type SchedulerAction, type Subscription } from 'rxjs';
import { ReplayScheduler } from '../../src/time/replay-scheduler.js';

const T0 = Date.UTC(2021, 0, 1);

describe('ReplayScheduler', () => {
  it('starts at the absolute time it was given', () => {
    expect(new ReplayScheduler(T0).now()).toBe(T0);
  });

  it('runs a periodic timer in virtual time, reading the virtual clock', () => {
    const s = new ReplayScheduler(T0);
    const seen: number[] = [];
    timer(0, 60_000, s).pipe(take(4)).subscribe(() => seen.push(s.now() - T0));
    s.runAll();
    expect(seen).toEqual([0, 60_000, 120_000, 180_000]);
  });

  it('executes actions due at the same time in the order they were scheduled', () => {
    const s = new ReplayScheduler(T0);
    const order: string[] = [];
    s.schedule(() => order.push('b'), 10);
    s.schedule(() => order.push('a'), 5);
    s.schedule(() => order.push('c'), 10);
    s.runAll();
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('advances in chunks and stops before actions that are not yet due', () => {
    const s = new ReplayScheduler(T0);
    const seen: number[] = [];
    interval(1_000, s).pipe(take(10)).subscribe((n) => seen.push(n));
    s.runUntil(T0 + 3_500);
    expect(seen).toEqual([0, 1, 2]);
    expect(s.now()).toBe(T0 + 3_500);
    s.runUntil(T0 + 10_000);
    expect(seen).toHaveLength(10);
  });

  it('never runs an action that was unsubscribed', () => {
    const s = new ReplayScheduler(T0);
    let ran = false;
    const sub = s.schedule(() => {
      ran = true;
    }, 100);
    sub.unsubscribe();
    s.runAll();
    expect(ran).toBe(false);
  });

  it('handles a million timer ticks without growing its queue', () => {
    const s = new ReplayScheduler(T0);
    let n = 0;
    const sub = interval(60_000, s).subscribe(() => n++);
    s.runUntil(T0 + 60_000 * 1_000_000);
    sub.unsubscribe();
    expect(n).toBe(1_000_000);
    expect(s.pending).toBeLessThanOrEqual(1);
  });
});

describe('ReplayScheduler.scheduleFirst and quietHorizon', () => {
  it('runs a scheduleFirst action before plain actions due at the same instant, even when scheduled after them', () => {
    const s = new ReplayScheduler(T0);
    const order: string[] = [];
    s.schedule(() => order.push('plain-1'), 10);
    s.schedule(() => order.push('early'), 5);
    s.scheduleFirst(() => order.push('first'), 10);
    s.schedule(() => order.push('plain-2'), 10);
    s.scheduleFirst(() => order.push('first-2'), 10);
    s.runAll();
    // Ties: scheduleFirst actions first (in scheduling order), then plain actions in scheduling order.
    expect(order).toEqual(['early', 'first', 'first-2', 'plain-1', 'plain-2']);
  });

  it('keeps the priority of a scheduleFirst action across its periodic reschedules', () => {
    const s = new ReplayScheduler(T0);
    const log: string[] = [];
    // Plain periodic actions of periods 20 and 30 from +0: their entries for +20, +30, +40, +60 are enqueued
    // before the scheduleFirst action (period 10 from +10) re-enqueues itself for the same instants.
    s.schedule(function () {
      log.push(`plain@${s.now() - T0}`);
      if (s.now() - T0 < 60) this.schedule(undefined, 20);
    }, 0);
    timer(0, 30, s)
      .pipe(take(3))
      .subscribe(() => log.push(`rx@${s.now() - T0}`));
    s.scheduleFirst(function () {
      log.push(`first@${s.now() - T0}`);
      if (s.now() - T0 < 60) this.schedule(undefined, 10);
    }, 10);
    s.runAll();
    const at = (t: number) => log.filter((e) => e.endsWith(`@${t}`)).map((e) => e.split('@')[0]);
    expect(at(0).sort()).toEqual(['plain', 'rx']);
    expect(at(10)).toEqual(['first']);
    expect(at(20)).toEqual(['first', 'plain']);
    expect(at(30)).toEqual(['first', 'rx']);
    expect(at(40)).toEqual(['first', 'plain']);
    expect(at(50)).toEqual(['first']);
    expect(at(60)[0]).toBe('first');
    expect([...at(60)].sort()).toEqual(['first', 'plain', 'rx']);
    expect(log).toHaveLength(13);
  });

  it('quietHorizon is Infinity with nothing scheduled outside runUntil', () => {
    const s = new ReplayScheduler(T0);
    expect(s.quietHorizon(new Set())).toBe(Number.POSITIVE_INFINITY);
    s.schedule(() => undefined, 10);
    s.runAll();
    expect(s.quietHorizon(new Set())).toBe(Number.POSITIVE_INFINITY);
  });

  it('quietHorizon is the due time of the next live action not ignored', () => {
    const s = new ReplayScheduler(T0);
    const late = s.schedule(() => undefined, 300);
    const mid = s.schedule(() => undefined, 200);
    const soon = s.schedule(() => undefined, 100);
    const sooner = s.scheduleFirst(() => undefined, 50);
    expect(s.quietHorizon(new Set())).toBe(T0 + 50);
    expect(s.quietHorizon(new Set([sooner]))).toBe(T0 + 100);
    expect(s.quietHorizon(new Set([sooner, soon]))).toBe(T0 + 200);
    expect(s.quietHorizon(new Set([soon, mid]))).toBe(T0 + 50);
    expect(s.quietHorizon(new Set([sooner, soon, mid, late]))).toBe(Number.POSITIVE_INFINITY);
    // Nothing was consumed or changed: the actions all still run, in order.
    expect(s.runAll()).toBe(4);
  });

  it('quietHorizon skips unsubscribed, rescheduled (stale) and already executed actions', () => {
    const s = new ReplayScheduler(T0);
    const cancelled = s.schedule(() => undefined, 10);
    const moved = s.schedule(() => undefined, 20) as unknown as SchedulerAction<undefined>;
    s.schedule(() => undefined, 40);
    s.schedule(() => undefined, 500);
    cancelled.unsubscribe();
    expect(s.quietHorizon(new Set())).toBe(T0 + 20);
    // Rescheduled in place: its old entry (due at +20) is stale.
    moved.schedule(undefined, 300);
    expect(s.quietHorizon(new Set())).toBe(T0 + 40);
    s.runUntil(T0 + 100);
    expect(s.quietHorizon(new Set())).toBe(T0 + 300);
    // A closed action whose entry is below the top of the heap is skipped too.
    const next = s.schedule(() => undefined, 100);
    (moved as unknown as Subscription).unsubscribe();
    expect(s.quietHorizon(new Set())).toBe(T0 + 200);
    expect(s.quietHorizon(new Set([next]))).toBe(T0 + 500);
  });

  it('inside runUntil(t) quietHorizon is capped at t, and the cap is lifted afterwards', () => {
    const s = new ReplayScheduler(T0);
    const seen: number[] = [];
    s.schedule(() => seen.push(s.quietHorizon(new Set())), 10);
    const far = s.schedule(() => seen.push(s.quietHorizon(new Set())), 1_000);
    s.runUntil(T0 + 100);
    // The action at +1000 is beyond the chunk: the end of the chunk bounds the horizon.
    expect(seen).toEqual([T0 + 100]);
    expect(s.quietHorizon(new Set())).toBe(T0 + 1_000);
    expect(s.quietHorizon(new Set([far]))).toBe(Number.POSITIVE_INFINITY);

    // An action due before t bounds it first; inside runAll nothing else bounds it.
    s.schedule(() => seen.push(s.quietHorizon(new Set())), 100);
    s.schedule(() => undefined, 150);
    s.runUntil(T0 + 400);
    expect(seen).toEqual([T0 + 100, T0 + 250]);
    s.runAll();
    expect(seen).toEqual([T0 + 100, T0 + 250, Number.POSITIVE_INFINITY]);
  });
});
