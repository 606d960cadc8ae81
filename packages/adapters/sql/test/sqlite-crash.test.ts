import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { DomainEvent, OrderFilled } from '@quantum-trader/core';
import { SqliteJournal } from '../src/index.js';
import { signal } from '../../../core/test/contracts/journal-fixtures.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const writer = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

/** Starts the writer, waits until it has appended `progress` life cycles (plus a random moment), then SIGKILLs it. */
function killMidWrite(path: string, progress: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    // node --import tsx, not the tsx CLI: the CLI runs the script in a child process that SIGKILL would orphan.
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const counts = [...chunk.toString().matchAll(/appended (\d+)/g)].map((m) => Number(m[1]));
      if (!killing && counts.some((n) => n >= progress)) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 30);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, sig) => {
      if (sig === 'SIGKILL') resolve(sig);
      else reject(new Error(`crash writer exited with ${code ?? sig} before it was killed:\n${stderr}`));
    });
  });
}

describe('SqliteJournal after a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qt-crash-'));
  const path = join(dir, 'journal.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds every event either fully projected or not at all after SIGKILLs mid-write, and reopens fine', async () => {
    for (let run = 1; run <= 3; run++) expect(await killMidWrite(path, run * 60)).toBe('SIGKILL');

    const check = new Database(path, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    const journal = await SqliteJournal.open(path);
    const log = journal.events().map((e) => e.event);
    expect(journal.events().map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    const ofType = <T extends DomainEvent['type']>(t: T) => log.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === t);

    // Every journalled order, fill, position and snapshot has its row, and no row exists without its event.
    const submitted = ofType('OrderSubmitting').map((e) => e.order.clientOrderId);
    expect(journal.orders().map((o) => o.clientOrderId)).toEqual(submitted);
    expect(submitted.length).toBeGreaterThanOrEqual(180);
    const fillsByOrder = new Map<string, OrderFilled[]>();
    for (const f of ofType('OrderFilled')) fillsByOrder.set(f.clientOrderId, [...(fillsByOrder.get(f.clientOrderId) ?? []), f]);
    expect(journal.fills()).toHaveLength(ofType('OrderFilled').length);
    for (const order of journal.orders()) {
      const fills = fillsByOrder.get(order.clientOrderId) ?? [];
      expect(order.filledQty).toBeCloseTo(fills.reduce((s, f) => s + f.qty, 0), 9);
      expect(order.status).toBe(fills.length === 0 ? 'submitting' : fills.at(-1)!.remainingQty > 0 ? 'partially_filled' : 'filled');
    }
    expect(journal.positions().map((p) => p.positionId)).toEqual(ofType('PositionOpened').map((e) => e.positionId));
    expect(journal.snapshots().map((s) => s.ts)).toEqual(ofType('PortfolioSnapshotTaken').map((e) => e.ts));

    // Batches are all or nothing: every 100-event batch is present with all its 97 signals.
    const perBatch = new Map<string, number>();
    for (const s of ofType('SignalGenerated')) {
      const batch = s.id.split(':')[1]!;
      perBatch.set(batch, (perBatch.get(batch) ?? 0) + 1);
    }
    expect(perBatch.size).toBeGreaterThan(0);
    for (const n of perBatch.values()) expect(n).toBe(97);

    // The journal keeps going where the log ends.
    expect(journal.append([signal(1)])).toEqual({ appended: 1, duplicates: 0 });
    expect(journal.events({ afterSeq: log.length }).map((e) => e.seq)).toEqual([log.length + 1]);
    journal.close();
  });
});
