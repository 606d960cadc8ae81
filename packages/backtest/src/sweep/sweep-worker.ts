// Entry of a sweep worker thread: rebuilds the shared candles once, then runs the jobs it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { isQuantumTraderError } from '@quantum-trader/core';
import type { BacktestOptions } from '../backtest/backtest-options.js';
import { unshareSeries, type SharedSeries } from './shared-series.js';
import { runSweepJob, type SweepJob } from './sweep-job.js';

interface WorkerInit {
  readonly options: Omit<BacktestOptions, 'data' | 'refine' | 'onProgress'>;
  readonly data: readonly SharedSeries[];
  readonly refine: readonly SharedSeries[] | undefined;
  readonly setup: string | undefined;
}

const init = workerData as WorkerInit;
const port = parentPort!;
const base: BacktestOptions = {
  ...init.options,
  data: unshareSeries(init.data),
  ...(init.refine !== undefined ? { refine: unshareSeries(init.refine) } : {}),
};
const ready = init.setup === undefined ? Promise.resolve() : import(init.setup).then(() => undefined);

port.on('message', (job: SweepJob) => {
  ready
    .then(() => runSweepJob(base, job))
    .then(
      (outcome) => port.postMessage({ ok: true, outcome }),
      (err: unknown) =>
        port.postMessage({
          ok: false,
          index: job.index,
          code: isQuantumTraderError(err) ? err.code : undefined,
          message: err instanceof Error ? err.message : String(err),
        }),
    );
});
