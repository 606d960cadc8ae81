// The engine of backtest_vs_handloop with parts of its work taken away, shared by where-the-time-goes.ts and
// count-instructions.ts. None of these variants trades as the benchmarked engine does; they exist to measure.
import { MemoryJournal, type AppendResult, type DomainEvent } from '@quantum-trader/core';
import { BENCH_CONFIG, BENCH_INSTRUMENT, type BenchConfig } from './engine-run.js';
import type { HandLoopConfig } from './hand-loop.js';

/** A journal that keeps nothing: the kernel's path without the journal's cost. */
export class DiscardingJournal extends MemoryJournal {
  count = 0;
  override append(events: readonly DomainEvent[]): AppendResult {
    this.count += events.length;
    return { appended: events.length, duplicates: 0 };
  }
}

/** A journal that keeps every event and checks nothing: the cost of keeping events alive, without the checks. */
export class KeepingJournal extends DiscardingJournal {
  readonly kept: DomainEvent[] = [];
  override append(events: readonly DomainEvent[]): AppendResult {
    for (const e of events) this.kept.push(e);
    return super.append(events);
  }
}

/**
 * A journal that keeps only each event's id (a string made for the event, which nothing else keeps): what keeping the
 * ids alone costs the garbage collector.
 */
export class IdKeepingJournal extends DiscardingJournal {
  readonly ids: string[] = [];
  override append(events: readonly DomainEvent[]): AppendResult {
    for (const e of events) this.ids.push(e.id);
    return super.append(events);
  }
}

/**
 * Which journal a variant runs with: the engine's MemoryJournal, one that keeps nothing, one that only keeps the events,
 * or one that only keeps their ids.
 */
export type VariantJournal = 'memory' | 'discard' | 'keep' | 'ids';

/** A new journal of the kind a variant names (undefined: the engine's own MemoryJournal). */
export function variantJournal(kind: VariantJournal): DiscardingJournal | undefined {
  switch (kind) {
    case 'discard':
      return new DiscardingJournal();
    case 'keep':
      return new KeepingJournal();
    case 'ids':
      return new IdKeepingJournal();
    default:
      return undefined;
  }
}

export interface EngineVariant {
  readonly name: string;
  readonly label: string;
  readonly cfg: BenchConfig;
  /** The journal the run uses. */
  readonly journal: VariantJournal;
}

const NO_SIGNALS: BenchConfig = { ...BENCH_CONFIG, longThreshold: 10, shortThreshold: -10 };
const NO_SNAPSHOTS: BenchConfig = { ...BENCH_CONFIG, portfolioSyncMs: 365 * 86_400_000 };

/** Every variant, the benchmarked engine first. */
export const ENGINE_VARIANTS: readonly EngineVariant[] = [
  { name: 'engine', label: 'the engine as benchmarked', cfg: BENCH_CONFIG, journal: 'memory' },
  { name: 'no-snapshots', label: 'no portfolio snapshots (yearly sync)', cfg: NO_SNAPSHOTS, journal: 'memory' },
  { name: 'keep-only', label: 'a journal that only keeps the events', cfg: BENCH_CONFIG, journal: 'keep' },
  { name: 'ids-only', label: "a journal that only keeps the events' ids", cfg: BENCH_CONFIG, journal: 'ids' },
  { name: 'no-journal', label: 'a journal that keeps nothing', cfg: BENCH_CONFIG, journal: 'discard' },
  { name: 'neither', label: 'neither', cfg: NO_SNAPSHOTS, journal: 'discard' },
  { name: 'candles', label: 'no signals at all (the candles alone)', cfg: NO_SIGNALS, journal: 'memory' },
];

/** The variant named `name`; throws, listing the names, for an unknown one. */
export function engineVariant(name: string): EngineVariant {
  const v = ENGINE_VARIANTS.find((x) => x.name === name);
  if (v === undefined) throw new Error(`unknown engine variant "${name}": expected one of ${ENGINE_VARIANTS.map((x) => x.name).join(', ')}`);
  return v;
}

/** The hand loop's configuration: the bench configuration and the instrument's rules. */
export const BENCH_HAND_CONFIG: HandLoopConfig = {
  notional: BENCH_CONFIG.notional,
  cooldownMs: BENCH_CONFIG.cooldownMs,
  stopLossPct: BENCH_CONFIG.stopLossPct,
  initialBalance: BENCH_CONFIG.initialBalance,
  tickSize: BENCH_INSTRUMENT.tickSize,
  lotStep: BENCH_INSTRUMENT.lotStep,
  minQty: BENCH_INSTRUMENT.minQty,
  minNotional: BENCH_INSTRUMENT.minNotional,
  makerFee: BENCH_INSTRUMENT.makerFee,
  takerFee: BENCH_INSTRUMENT.takerFee,
};
