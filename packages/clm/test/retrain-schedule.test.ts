import { Subject, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { MemoryJournal, ReplayScheduler, momentumStrategy, type DomainEvent } from '@quantum-trader/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ContinuousLearning, candleHistoryFromSeries, gbdtTrainer, retrainSchedule } from '../src/index.js';
import { BTC, captureLogger, closedTrade, realCandles, tempDir } from './fixtures.js';

const H = 3_600_000;
const testScheduler = () => new TestScheduler((a, b) => expect(a).toEqual(b));

describe('the retrain schedule (marbles)', () => {
  it('fires 1 h after the first trade, then every 168 h', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const firstTrade$ = cold('10m a', { a: 600_000 });
      expectObservable(retrainSchedule(firstTrade$).pipe(take(3))).toBe('70m a 604799999ms b 604799999ms (c|)', {
        a: 600_000 + H,
        b: 600_000 + H + 168 * H,
        c: 600_000 + H + 336 * H,
      });
    });
  });

  it('started late (after a restart) continues on the same grid', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      // Learnt at 200 h (12000 min) that the first trade was at 0: runs were due at 1 h and 169 h; the next is at 337 h.
      const firstTrade$ = cold('12000m a', { a: 0 });
      expectObservable(retrainSchedule(firstTrade$).pipe(take(1))).toBe('20220m (a|)', { a: 337 * H });
    });
  });
});

describe('the CLM schedule in virtual time', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  async function setup() {
    const t = tempDir();
    cleanup = t.cleanup;
    const start = Date.UTC(2021, 0, 15);
    const scheduler = new ReplayScheduler(start);
    const history = candleHistoryFromSeries([{ symbol: BTC, candles: realCandles('BTC', '2020-12-01', '2021-03-20') }], '5m');
    const journal = new MemoryJournal();
    const events$ = new Subject<DomainEvent>();
    const { logger, lines } = captureLogger();
    const clm = new ContinuousLearning({
      dataDir: t.dir,
      journal,
      history,
      strategy: () => momentumStrategy(),
      scheduler,
      logger,
      features: ['ret_1h', 'ret_24h', 'vol_24h', 'rangepos_24h', 'direction'],
      trainer: gbdtTrainer({ trees: 6, maxDepth: 2, minLeafRows: 50 }),
    });
    await clm.start(events$);
    let n = 0;
    const trades = (count: number) => {
      for (let i = 0; i < count; i++) {
        const [opened, closed] = closedTrade({ n: n++, symbol: BTC, side: 'long', candleTs: scheduler.now() - 3 * H, closedAt: scheduler.now(), ret: i % 3 === 0 ? 0.02 : -0.01 });
        journal.append([opened, closed]);
        events$.next(closed);
      }
    };
    const advance = async (until: number) => {
      for (let t = scheduler.now() + H; t <= until; t += H) {
        scheduler.runUntil(t);
        await clm.idle();
      }
    };
    const runs = () =>
      lines
        .filter((l) => l.message.startsWith('[CLM] retraining'))
        .map((l) => ({ at: ((l.fields.ts as number) - start) / H, message: l.message }));
    return { clm, scheduler, start, trades, advance, runs, lines };
  }

  it('runs 1 h after the first trades and then every 168 h: 8 weeks, 8 runs', async () => {
    const { clm, scheduler, start, trades, advance, runs } = await setup();
    expect(clm.status().nextRunAt).toBeUndefined();
    scheduler.runUntil(start + 10 * 60_000);
    trades(120);
    expect(clm.status()).toMatchObject({ samples: 120, nextRunAt: start + 10 * 60_000 + H });
    await advance(start + 8 * 168 * H);
    const r = runs();
    expect(r.map((x) => x.at)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((k) => 10 / 60 + 1 + 168 * k));
    for (const x of r) {
      expect(x.message).toMatch(/^\[CLM\] retraining completed: version=v\d+ accuracy=\d\.\d\d auc=\d\.\d\d promoted=(true|false) \(.+\)$/);
    }
    expect(r[0]!.message).toMatch(/^\[CLM\] retraining completed: version=v1 /);
    expect(clm.status().lastRun).toMatchObject({ status: 'completed', trigger: 'schedule', version: 'v8' });
    await clm.close();
  }, 120_000);

  it('does not train before 100 labelled samples: the due runs are skipped and say why', async () => {
    const { clm, scheduler, start, trades, advance, runs } = await setup();
    scheduler.runUntil(start + 10 * 60_000);
    trades(50);
    await advance(start + 100 * H);
    trades(49);
    await advance(start + 200 * H);
    trades(1);
    await advance(start + 340 * H);
    const at = 10 / 60 + 1;
    expect(runs()).toEqual([
      { at, message: '[CLM] retraining skipped: 50 labelled samples (closed trades), need 100' },
      { at: at + 168, message: '[CLM] retraining skipped: 99 labelled samples (closed trades), need 100' },
      { at: at + 336, message: expect.stringMatching(/^\[CLM\] retraining completed: version=v1 /) as string },
    ]);
    await clm.close();
  }, 120_000);

  it('retrains on demand with triggerRetrain(), refusing below 100 samples unless forced', async () => {
    const { clm } = await setup();
    expect(await clm.triggerRetrain()).toMatchObject({ status: 'skipped', trigger: 'manual', reason: '0 labelled samples (closed trades), need 100' });
    const forced = await clm.triggerRetrain({ force: true });
    expect(forced).toMatchObject({ status: 'completed', trigger: 'manual', version: 'v1' });
    expect(forced.metrics!.rows).toBeGreaterThan(1000);
    await clm.close();
  }, 60_000);
});
