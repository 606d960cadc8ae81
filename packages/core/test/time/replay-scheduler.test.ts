import { describe, expect, it } from 'vitest';
import { interval, take, timer } from 'rxjs';
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
