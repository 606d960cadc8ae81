import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KernelStatus } from '@quantum-trader/core';

/** One check of the integration self-test behind `GET /health`. */
export interface HealthCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What the status server reads; every function is called per request. */
export interface StatusSource {
  /** The kernel's status (positions, exit plans, queue depth, last sync …). */
  status(): KernelStatus;
  /** Status of learning components (CLM next run, model version …), if any. */
  learning?(): Record<string, unknown>;
  /** The integration self-test. */
  health(): Promise<readonly HealthCheck[]> | readonly HealthCheck[];
  /** Triggers a CLM retrain (`force` from the JSON body); absent when no CLM is configured. */
  retrain?(options: { readonly force: boolean }): Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** A running status server. */
export interface StatusServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the bot's HTTP API on loopback: `GET /health` (integration self-test; 200 when every check passes,
 * 503 otherwise), `GET /status` (kernel status and learning components) and `POST /api/ai/retrain` (202 with the
 * CLM's answer, or 404 when no CLM is configured). It binds to 127.0.0.1 only and never echoes configuration,
 * so no secret can leak through it.
 *
 * @example
 * ```ts
 * const server = await startStatusServer({ status: () => kernel.status(), health: () => [] }, 8080);
 * console.log(server.url); // http://127.0.0.1:8080
 * await server.close();
 * ```
 */
export async function startStatusServer(source: StatusSource, port = 0, host = '127.0.0.1'): Promise<StatusServer> {
  const server: Server = createServer((req, res) => {
    void handle(source, req, res).catch((err: unknown) => {
      send(res, 500, { error: err instanceof Error ? err.message : String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(source: StatusSource, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/health') {
    const checks = await source.health();
    const ok = checks.every((c) => c.ok);
    send(res, ok ? 200 : 503, { ok, checks });
    return;
  }
  if (req.method === 'GET' && path === '/status') {
    const s = source.status();
    send(res, 200, { ...s, winRate: Number.isNaN(s.winRate) ? null : s.winRate, learning: source.learning?.() ?? {} });
    return;
  }
  if (path === '/api/ai/retrain') {
    if (req.method !== 'POST') {
      send(res, 405, { error: 'use POST /api/ai/retrain' });
      return;
    }
    if (source.retrain === undefined) {
      send(res, 404, { error: 'no continuous-learning module is configured for this bot' });
      return;
    }
    const body = await readJsonBody(req);
    send(res, 202, await source.retrain({ force: body?.['force'] === true }));
    return;
  }
  send(res, 404, { error: `no route ${req.method} ${path}; try GET /health, GET /status, POST /api/ai/retrain` });
}

/** The request's JSON object body, or undefined when it is empty or not a JSON object (at most 64 KiB read). */
async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 65_536) return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
