import { QuantumTraderError } from '@quantum-trader/core';
import type { Exchange } from 'ccxt';

/**
 * Points every API family of a ccxt exchange at another server (a local stand-in, a proxy), keeping each
 * endpoint's path. REST: `https://fapi.binance.com/fapi/v1` → `http://127.0.0.1:PORT/fapi/v1`. WebSocket URLs get
 * the first label of the original host as a path prefix so that families sharing a path stay apart:
 * `wss://stream.binance.com:9443/ws` → `ws://127.0.0.1:PORT/stream/ws`, `wss://fstream.binance.com/ws` →
 * `ws://127.0.0.1:PORT/fstream/ws`, `wss://ws-api.binance.com:443/ws-api/v3` → `ws://127.0.0.1:PORT/ws-api/ws-api/v3`.
 *
 * @param wsBaseUrl - WebSocket origin; default: `baseUrl` with `http` replaced by `ws`.
 * @throws QuantumTraderError `CONFIG_INVALID` when a URL is not http(s) / ws(s).
 * @example
 * ```ts
 * pointExchangeAt(exchange, 'http://127.0.0.1:8080');
 * exchange.urls.api.fapiPrivate; // 'http://127.0.0.1:8080/fapi/v1'
 * ```
 */
export function pointExchangeAt(exchange: Exchange, baseUrl: string, wsBaseUrl?: string): void {
  const rest = originOf(baseUrl, ['http:', 'https:'], 'baseUrl');
  const ws = originOf(wsBaseUrl ?? baseUrl.replace(/^http/, 'ws'), ['ws:', 'wss:'], 'wsBaseUrl');
  const api = (exchange.urls as { api?: unknown }).api;
  if (api === undefined || api === null || typeof api !== 'object') return;
  rewrite(api as Record<string, unknown>, false, rest, ws);
}

function rewrite(node: Record<string, unknown>, inWs: boolean, rest: string, ws: string): void {
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') {
      if (!/^(https?|wss?):\/\//.test(value)) continue;
      const u = new URL(value);
      const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
      const isWs = inWs || u.protocol === 'ws:' || u.protocol === 'wss:';
      node[key] = isWs ? `${ws}/${u.hostname.split('.')[0]}${path}${u.search}` : `${rest}${path}${u.search}`;
    } else if (value !== null && typeof value === 'object') {
      rewrite(value as Record<string, unknown>, inWs || key === 'ws', rest, ws);
    }
  }
}

function originOf(url: string, protocols: readonly string[], what: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QuantumTraderError('CONFIG_INVALID', `${what} "${url}" is not a URL; expected e.g. http://127.0.0.1:8080`);
  }
  if (!protocols.includes(u.protocol)) {
    throw new QuantumTraderError('CONFIG_INVALID', `${what} "${url}" must start with ${protocols.map((p) => p + '//').join(' or ')}`);
  }
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  return `${u.protocol}//${u.host}${path}`;
}
