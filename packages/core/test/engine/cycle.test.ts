import { describe, expect, it } from 'vitest';
import { take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { cycle } from '../../src/engine/cycle.js';

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('cycle (the autonomous 60 s cycle)', () => {
  it('ticks every 60 s of virtual time, first tick one period after start', () => {
    testScheduler().run(({ expectObservable }) => {
      expectObservable(cycle(60_000).pipe(take(3))).toBe('60s a 59999ms b 59999ms (c|)', {
        a: 60_000,
        b: 120_000,
        c: 180_000,
      });
    });
  });

  it('runs the 30 s portfolio sync twice per trading cycle', () => {
    testScheduler().run(({ expectObservable }) => {
      expectObservable(cycle(30_000).pipe(take(4))).toBe('30s a 29999ms b 29999ms c 29999ms (d|)', {
        a: 30_000,
        b: 60_000,
        c: 90_000,
        d: 120_000,
      });
    });
  });
});
