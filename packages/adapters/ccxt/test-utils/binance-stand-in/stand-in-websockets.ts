import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MarketKind } from './binance-json.js';
import type { Answer } from './stand-in-answers.js';

/** What the stand-in's WebSocket face needs from the rest of the server. */
export interface WebSocketHooks {
  readonly apiKey: string;
  readonly secret: string;
  /** The market kind a listenKey was issued for (undefined: unknown key). */
  readonly listenKeyKind: (key: string) => MarketKind | undefined;
  readonly checkTimestamp: (timestamp: string | undefined, recvWindow: string | undefined) => Answer | undefined;
  readonly safeEqual: (a: string, b: string) => boolean;
}

/** Kinds of connection: market streams, a user-data stream, the spot WebSocket API. */
export type ConnKind = 'market' | 'user' | 'ws-api';

interface Conn {
  readonly ws: WebSocket;
  readonly kind: ConnKind;
  readonly market: MarketKind;
  readonly streams: Set<string>;
  subscriptionId: number | undefined;
}

/**
 * The stand-in's WebSockets: market streams (`SUBSCRIBE`), the USDⓈ-M listenKey user-data stream, the spot
 * WebSocket-API user-data subscription (`userDataStream.subscribe.signature`, signature checked).
 */
export class StandInWebSockets {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  private nextSubscriptionId = 0;

  constructor(private readonly hooks: WebSocketHooks) {}

  /** Open WebSocket connections, optionally of one kind. */
  connections(kind?: ConnKind): number {
    let n = 0;
    for (const c of this.conns) if (kind === undefined || c.kind === kind) n++;
    return n;
  }

  /** Kills WebSocket connections (all, or of one kind) without a close handshake. */
  dropWebSockets(kind?: ConnKind): number {
    let n = 0;
    for (const c of [...this.conns]) {
      if (kind !== undefined && c.kind !== kind) continue;
      c.ws.terminate();
      this.conns.delete(c);
      n++;
    }
    return n;
  }

  /** Terminates every connection. */
  close(): void {
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    this.wss.close();
  }

  /** Accepts or refuses a WebSocket upgrade by path. */
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    let kind: ConnKind | undefined;
    let market: MarketKind = 'spot';
    let m: RegExpExecArray | null;
    if (path === '/ws-api/ws-api/v3') {
      kind = 'ws-api';
    } else if ((m = /^\/stream\/ws(?:\/([^/]+))?$/.exec(path)) !== null) {
      const tail = m[1];
      kind = tail !== undefined && !/^\d+$/.test(tail) ? (this.hooks.listenKeyKind(tail) === 'spot' ? 'user' : undefined) : 'market';
    } else if (path === '/fstream/private/ws') {
      market = 'futures';
      const key = url.searchParams.get('listenKey') ?? '';
      kind = this.hooks.listenKeyKind(key) === 'futures' ? 'user' : undefined;
    } else if ((m = /^\/fstream(?:\/(market|public))?\/ws(?:\/([^/]+))?$/.exec(path)) !== null) {
      market = 'futures';
      const tail = m[2];
      kind = tail !== undefined && !/^\d+$/.test(tail) ? (this.hooks.listenKeyKind(tail) === 'futures' ? 'user' : undefined) : 'market';
    }
    if (kind === undefined) {
      socket.write('HTTP/1.1 400 Bad Request\r\n\r\n');
      socket.destroy();
      return;
    }
    const connKind = kind;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = { ws, kind: connKind, market, streams: new Set(), subscriptionId: undefined };
      this.conns.add(conn);
      ws.on('close', () => this.conns.delete(conn));
      ws.on('error', () => this.conns.delete(conn));
      ws.on('message', (data) => this.onWsMessage(conn, String(data)));
    });
  }

  private onWsMessage(conn: Conn, text: string): void {
    let msg: { id?: unknown; method?: unknown; params?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (conn.kind === 'market') {
      const streams = Array.isArray(msg.params) ? (msg.params as string[]) : [];
      if (msg.method === 'SUBSCRIBE') for (const s of streams) conn.streams.add(s);
      else if (msg.method === 'UNSUBSCRIBE') for (const s of streams) conn.streams.delete(s);
      else if (msg.method === 'LIST_SUBSCRIPTIONS') {
        conn.ws.send(JSON.stringify({ result: [...conn.streams], id: msg.id }));
        return;
      }
      conn.ws.send(JSON.stringify({ result: null, id: msg.id }));
      return;
    }
    if (conn.kind === 'ws-api') {
      if (msg.method === 'userDataStream.subscribe.signature') {
        const params = (msg.params ?? {}) as Record<string, string | number>;
        const error = this.checkWsSignature(params);
        if (error !== undefined) {
          conn.ws.send(JSON.stringify({ id: msg.id, status: error.status, error: { code: error.code, msg: error.msg } }));
          return;
        }
        conn.subscriptionId = this.nextSubscriptionId++;
        conn.ws.send(JSON.stringify({ id: msg.id, status: 200, result: { subscriptionId: conn.subscriptionId }, rateLimits: [] }));
        return;
      }
      if (msg.method === 'userDataStream.unsubscribe') {
        conn.subscriptionId = undefined;
        conn.ws.send(JSON.stringify({ id: msg.id, status: 200, result: {} }));
        return;
      }
      conn.ws.send(JSON.stringify({ id: msg.id, status: 400, error: { code: -1100, msg: `the stand-in does not serve ${String(msg.method)}` } }));
    }
  }

  private checkWsSignature(params: Record<string, string | number>): { status: number; code: number; msg: string } | undefined {
    const apiKey = params.apiKey === undefined ? undefined : String(params.apiKey);
    if (apiKey === undefined || !this.hooks.safeEqual(apiKey, this.hooks.apiKey)) return { status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' };
    const payload = Object.keys(params)
      .filter((k) => k !== 'signature')
      .sort()
      .map((k) => `${k}=${String(params[k])}`)
      .join('&');
    const expected = createHmac('sha256', this.hooks.secret).update(payload).digest('hex');
    if (!this.hooks.safeEqual(String(params.signature ?? ''), expected)) return { status: 400, code: -1022, msg: 'Signature for this request is not valid.' };
    const ts = this.hooks.checkTimestamp(String(params.timestamp), params.recvWindow === undefined ? undefined : String(params.recvWindow));
    if (ts !== undefined && 'error' in ts) return ts.error;
    return undefined;
  }

  /** Sends a user-data event to the account's user-data connections. */
  broadcastUser(kind: MarketKind, payload: Record<string, unknown>): void {
    for (const c of this.conns) {
      if (c.kind === 'user' && c.market === kind) c.ws.send(JSON.stringify(payload));
      else if (c.kind === 'ws-api' && kind === 'spot' && c.subscriptionId !== undefined) {
        c.ws.send(JSON.stringify({ subscriptionId: c.subscriptionId, event: payload }));
      }
    }
  }

  /** Sends a market event to the connections subscribed to its stream. */
  broadcastMarket(kind: MarketKind, stream: string, payload: Record<string, unknown>): void {
    const text = JSON.stringify(payload);
    for (const c of this.conns) if (c.kind === 'market' && c.market === kind && c.streams.has(stream)) c.ws.send(text);
  }
}
