import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { QuantumTraderError, type QuantumTraderErrorCode } from '@quantum-trader/core';
import type { BacktestOptions } from '../backtest/backtest-options.js';
import { shareSeries } from './shared-series.js';
import { runSweepJob, type SweepJob, type SweepJobOutcome } from './sweep-job.js';

/** How jobs are spread over threads. @internal */
export interface PoolOptions {
  /** Worker threads (default: every core); 0 runs the jobs one after another in this thread. */
  readonly threads?: number;
  /** A module each worker imports first (e.g. one that registers custom strategies). */
  readonly setup?: string | URL;
  readonly onJobDone?: (outcome: SweepJobOutcome, done: number, total: number) => void;
}

type WorkerReply =
  | { readonly ok: true; readonly outcome: SweepJobOutcome }
  | { readonly ok: false; readonly index: number; readonly code: QuantumTraderErrorCode | undefined; readonly message: string };

/**
 * Runs backtest jobs on worker threads (or in-process with `threads: 0`) and returns the outcomes in job order,
 * whatever order they finished in. The candles are shared with the workers through shared memory, not copied.
 * The first failing job rejects the whole run (after stopping every worker).
 *
 * @internal
 */
export async function runJobs(base: BacktestOptions, jobs: readonly SweepJob[], options: PoolOptions = {}): Promise<SweepJobOutcome[]> {
  const threads = Math.min(jobs.length, options.threads ?? availableParallelism());
  if (!(Number.isInteger(threads) && threads >= 0)) {
    throw new QuantumTraderError('PARAMETER_OUT_OF_RANGE', `sweep: threads must be a whole number >= 0, got ${String(options.threads)}`);
  }
  const out: SweepJobOutcome[] = new Array<SweepJobOutcome>(jobs.length);
  const position = new Map(jobs.map((j, i) => [j.index, i]));
  let done = 0;
  const finish = (o: SweepJobOutcome): void => {
    out[position.get(o.index)!] = o;
    options.onJobDone?.(o, ++done, jobs.length);
  };
  if (threads === 0) {
    if (options.setup !== undefined) await import(String(options.setup));
    for (const job of jobs) finish(await runSweepJob(base, job));
    return out;
  }

  const { data, refine, onProgress: _p, ...rest } = base;
  const init = {
    options: rest,
    data: shareSeries(data),
    refine: refine === undefined ? undefined : shareSeries(refine),
    setup: options.setup === undefined ? undefined : String(options.setup),
  };
  const workers: Worker[] = [];
  try {
    for (let t = 0; t < threads; t++) {
      try {
        workers.push(await startWorker(init));
      } catch (err) {
        throw new QuantumTraderError(
          'CONFIG_INVALID',
          `sweep: could not start a worker thread: ${(err as Error).message}; options must be plain data (no functions or class instances)`,
          { cause: err },
        );
      }
    }
    return await new Promise<SweepJobOutcome[]>((resolve, reject) => {
      let next = 0;
      let failed = false;
      const fail = (err: unknown): void => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      const feed = (w: Worker): void => {
        if (failed) return;
        const job = jobs[next++];
        if (job !== undefined) w.postMessage(job);
        else if (done === jobs.length) resolve(out);
      };
      for (const w of workers) {
        w.on('message', (reply: WorkerReply) => {
          if (!reply.ok) {
            const label = `sweep job ${reply.index}: `;
            fail(reply.code !== undefined ? new QuantumTraderError(reply.code, label + reply.message) : new Error(label + reply.message));
            return;
          }
          finish(reply.outcome);
          feed(w);
        });
        w.on('error', fail);
        w.on('exit', (code) => {
          if (code !== 0 && done < jobs.length) fail(new Error(`sweep: a worker thread exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function startWorker(workerData: unknown): Promise<Worker> {
  const self = moduleUrl();
  if (!self.endsWith('.ts')) {
    const ext = self.endsWith('.cjs') ? '.cjs' : '.js';
    return new Worker(new URL(`./sweep-worker${ext}`, self), { workerData });
  }
  return new Worker(await sourceWorkerFile(self), { workerData });
}

let bundled: Promise<URL> | undefined;

/**
 * Running from TypeScript sources (tests, tsx): bundle the worker entry once per process with esbuild (a dev
 * dependency), so a worker starts as fast as from the built package instead of compiling every file again.
 */
function sourceWorkerFile(self: string): Promise<URL> {
  bundled ??= (async () => {
    const entry = fileURLToPath(new URL('./sweep-worker.ts', self));
    const esbuild = await import('esbuild');
    const tsconfig = nearestTsconfig(entry);
    const out = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      ...(tsconfig !== undefined ? { tsconfig } : {}),
      // Bundled ESM has no `require`; give CommonJS dependencies one.
      banner: { js: "import { createRequire as __qtCreateRequire } from 'node:module'; const require = __qtCreateRequire(import.meta.url);" },
    });
    const code = out.outputFiles[0]!.text;
    const file = join(tmpdir(), `quantum-trader-sweep-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(file)) {
      // Written under a private name and renamed: another process may be reading or writing the same bundle.
      const partial = `${file}.${process.pid}.${Date.now()}.tmp`;
      writeFileSync(partial, code);
      renameSync(partial, file);
    }
    return pathToFileURL(file);
  })();
  return bundled;
}

function moduleUrl(): string {
  return import.meta.url;
}

function nearestTsconfig(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
