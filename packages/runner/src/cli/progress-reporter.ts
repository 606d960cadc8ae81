import cliProgress from 'cli-progress';
import type { PaperProgress } from '../paper/paper-types.js';
import { formatMoney } from '../report/summary-table.js';

/** Where progress goes: a terminal gets a live bar, anything else (CI, a pipe) plain lines. */
export interface ProgressTarget {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Shows the progress of a run and lets other output interleave without breaking the bar. */
export interface ProgressReporter {
  update(p: PaperProgress): void;
  /** Prints a line (e.g. a warning) above the bar. */
  log(line: string): void;
  stop(): void;
}

/**
 * A live cli-progress bar (virtual date, % done, closed trades, equity) when `target` is a TTY; otherwise one plain
 * line at every 10 % of the run, so CI logs stay short.
 *
 * @example
 * ```ts
 * import { createProgressReporter } from '@quantum-trader/runner';
 *
 * const progress = createProgressReporter(process.stderr);
 * await runPaper({ ...options, onProgress: (p) => progress.update(p) });
 * progress.stop();
 * ```
 */
export function createProgressReporter(target: ProgressTarget): ProgressReporter {
  return target.isTTY === true ? barReporter(target) : lineReporter(target);
}

function payloadOf(p: PaperProgress): { date: string; trades: number; equity: string } {
  return { date: formatVirtualTime(p.now), trades: p.closedTrades, equity: formatMoney(p.equity) };
}

/**
 * A virtual time as `YYYY-MM-DD HH:mm` UTC.
 *
 * @example
 * ```ts
 * formatVirtualTime(Date.UTC(2021, 0, 2, 3, 4)); // '2021-01-02 03:04'
 * ```
 */
export function formatVirtualTime(ts: number): string {
  return new Date(ts).toISOString().slice(0, 16).replace('T', ' ');
}

function barReporter(target: ProgressTarget): ProgressReporter {
  const multi = new cliProgress.MultiBar(
    {
      stream: target as NodeJS.WritableStream,
      format: ' {bar} {percentage}% | {date} | trades {trades} | equity {equity}',
      barsize: Math.max(10, Math.min(40, (target.columns ?? 80) - 70)),
      hideCursor: false,
      clearOnComplete: false,
      stopOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(p) {
      const value = Math.round(p.fraction * 1000) / 10;
      if (bar === undefined) bar = multi.create(100, value, payloadOf(p));
      else bar.update(value, payloadOf(p));
    },
    log(line) {
      multi.log(`${line}\n`);
    },
    stop() {
      multi.stop();
    },
  };
}

function lineReporter(target: ProgressTarget): ProgressReporter {
  let nextStep = 0;
  let last: PaperProgress | undefined;
  const print = (p: PaperProgress): void => {
    const { date, trades, equity } = payloadOf(p);
    const pct = String(Math.floor(p.fraction * 100)).padStart(3);
    target.write(`progress ${pct}% | ${date} | trades ${trades} | equity ${equity}\n`);
  };
  return {
    update(p) {
      last = p;
      if (p.fraction * 10 >= nextStep) {
        print(p);
        nextStep = Math.floor(p.fraction * 10) + 1;
      }
    },
    log(line) {
      target.write(`${line}\n`);
    },
    stop() {
      // always end on the final state, even if the run ended between two steps
      if (last !== undefined && nextStep <= 10) print(last);
    },
  };
}
