import { describe, expect, it } from 'vitest';
import { SerialRunner } from '../../src/engine/serial-runner.js';

// SerialRunner replaces concatMap(fromMaybe(work(x))) on the kernel's per-candle and per-tick paths.
describe('SerialRunner', () => {
  it('runs synchronous work at once, in push order', () => {
    const seen: number[] = [];
    const r = new SerialRunner<number>((x) => void seen.push(x), () => {});
    r.push(1);
    r.push(2);
    expect(seen).toEqual([1, 2]);
  });

  it('runs an item pushed from inside work right after the current one, not nested in it', () => {
    const log: string[] = [];
    const r: SerialRunner<number> = new SerialRunner<number>((x) => {
      log.push(`start ${x}`);
      if (x === 1) {
        r.push(2);
        r.push(3);
      }
      log.push(`end ${x}`);
    }, () => {});
    r.push(1);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('waits for a promise before the next item, like concatMap', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = new SerialRunner<number>((x) => {
      log.push(`run ${x}`);
      return x === 1 ? gate.then(() => void log.push('resolved 1')) : undefined;
    }, () => {});
    r.push(1);
    r.push(2);
    r.push(3);
    expect(log).toEqual(['run 1']);
    release();
    await gate;
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['run 1', 'resolved 1', 'run 2', 'run 3']);
  });

  it('reports the first error once and drops what comes after, like an errored Observable', async () => {
    const errors: unknown[] = [];
    const seen: number[] = [];
    const r = new SerialRunner<number>((x) => {
      seen.push(x);
      if (x === 2) throw new Error('boom');
      if (x === 4) return Promise.reject(new Error('late'));
      return undefined;
    }, (e) => errors.push(e));
    r.push(1);
    r.push(2);
    r.push(3);
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('boom');

    const rejected: unknown[] = [];
    const r2 = new SerialRunner<number>(() => Promise.reject(new Error('async boom')), (e) => rejected.push(e));
    r2.push(1);
    r2.push(2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(rejected.map((e) => (e as Error).message)).toEqual(['async boom']);
  });

  it('stop() drops queued items and ignores a promise that settles afterwards', async () => {
    const seen: number[] = [];
    const errors: unknown[] = [];
    let fail!: (e: Error) => void;
    const pending = new Promise<void>((_, reject) => (fail = reject));
    const r = new SerialRunner<number>((x) => {
      seen.push(x);
      return x === 1 ? pending : undefined;
    }, (e) => errors.push(e));
    r.push(1);
    r.push(2);
    r.stop();
    fail(new Error('after stop'));
    await pending.catch(() => undefined);
    await Promise.resolve();
    r.push(3);
    expect(seen).toEqual([1]);
    expect(errors).toEqual([]);
  });
});
