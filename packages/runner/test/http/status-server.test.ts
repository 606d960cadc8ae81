import { afterEach, describe, expect, it } from 'vitest';
import type { KernelStatus } from '@quantum-trader/core';
import { startStatusServer, type StatusServer } from '../../src/http/status-server.js';

const status: KernelStatus = {
  now: 1_617_235_200_000,
  running: true,
  openPositions: 2,
  pendingEntries: 0,
  activeExitPlans: 2,
  queueDepth: 0,
  lastPortfolioSync: 1_617_235_170_000,
  lastCycle: 1_617_235_200_000,
  equity: 10_123.45,
  closedTrades: 0,
  winRate: Number.NaN,
  maxDrawdown: 0.01,
  eventsJournalled: 42,
  eventsRecorded: 42,
  ordersDenied: 3,
};

let server: StatusServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('status server (loopback HTTP API)', () => {
  it('serves the kernel status with the learning components', async () => {
    server = await startStatusServer({ status: () => status, learning: () => ({ clmNextRun: '2021-04-08T00:00:00Z' }), health: () => [] });
    const body = await (await fetch(`${server.url}/status`)).json();
    expect(body).toMatchObject({ openPositions: 2, activeExitPlans: 2, queueDepth: 0, winRate: null, learning: { clmNextRun: '2021-04-08T00:00:00Z' } });
  });

  it('answers /health with 503 and the failing check when the self-test fails', async () => {
    server = await startStatusServer({
      status: () => status,
      health: () => [
        { name: 'journal', ok: true, detail: 'readable' },
        { name: 'venue', ok: false, detail: 'positions could not be fetched' },
      ],
    });
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, checks: [{ ok: true }, { name: 'venue', ok: false }] });
  });

  it('triggers a retrain with POST /api/ai/retrain, and says so when no CLM is configured', async () => {
    let calls = 0;
    server = await startStatusServer({ status: () => status, health: () => [], retrain: () => ({ started: true, call: ++calls }) });
    const res = await fetch(`${server.url}/api/ai/retrain`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ started: true, call: 1 });
    expect((await fetch(`${server.url}/api/ai/retrain`)).status).toBe(405);
    await server.close();
    server = await startStatusServer({ status: () => status, health: () => [] });
    const none = await fetch(`${server.url}/api/ai/retrain`, { method: 'POST' });
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: string }).error).toMatch(/no continuous-learning module/);
  });

  it('binds to 127.0.0.1 only', async () => {
    server = await startStatusServer({ status: () => status, health: () => [] });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
