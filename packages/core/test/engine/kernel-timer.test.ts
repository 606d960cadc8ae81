import { describe, expect, it } from 'vitest';
import { KernelTimer, passTimers } from '../../src/engine/kernel-timer.js';
import { ReplayScheduler } from '../../src/time/replay-scheduler.js';

/** Two timers passed until `until` (with a third that never moves when `withIdle`), then run on: the tick order. */
function ticksAfterPassing(periods: readonly [number, number], until: number, withIdle: boolean): string[] {
  const scheduler = new ReplayScheduler(0);
  const ticks: string[] = [];
  const timers = periods.map((p, i) => new KernelTimer(scheduler, p, () => ticks.push(`${'ab'[i]}@${scheduler.now()}`)));
  const idle = new KernelTimer(scheduler, 1_000_000, () => ticks.push(`idle@${scheduler.now()}`));
  passTimers(withIdle ? [...timers, idle] : timers, until);
  scheduler.runAll(until + 4 * Math.max(...periods));
  return ticks.filter((t) => !t.startsWith('idle'));
}

describe('passTimers', () => {
  it('moves two timers on in the same order as the general path, whatever their periods and the pass time', () => {
    const periods: [number, number][] = [[60, 3600], [3600, 60], [60, 60], [120, 180], [180, 120], [30, 7]];
    for (const p of periods) {
      for (const until of [0, 59, 60, 61, 3599, 3600, 3601, 7200, 10_799]) {
        expect(ticksAfterPassing(p, until, false), `${p} until ${until}`).toEqual(ticksAfterPassing(p, until, true));
      }
    }
  });

  it('runs a timer\'s next tick after the pass at its first tick past the pass time', () => {
    expect(ticksAfterPassing([60, 3600], 3600, false).slice(0, 3)).toEqual(['a@3660', 'a@3720', 'a@3780']);
  });
});
