import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Candle, FundingRate, Instrument, SymbolId, Timeframe, UnixMillis } from '@quantum-trader/core';
import { futuresSymbolInfo, RATE_LIMITS, spotSymbolInfo, type MarketKind } from './binance-json.js';
import { FaultInjector, type Fault, type FaultRule } from './stand-in-faults.js';
import { fail, ok, type Answer } from './stand-in-answers.js';
import { StandInVenue, type StandInMarkets } from './stand-in-venue.js';
import { StandInWebSockets, type ConnKind } from './stand-in-websockets.js';

/**
 * Options of {@link BinanceStandIn}.
 *
 * @example
 * ```ts
 * const standIn = await BinanceStandIn.start({
 *   apiKey: 'k', secret: 's', startTime: Date.UTC(2021, 0, 1),
 *   futures: { instruments: [binanceInstrument(symbolId('BTC/USDT:USDT'))], balances: { USDT: 10_000 } },
 * });
 * ```
 */
export interface BinanceStandInOptions {
  /** The one API key the stand-in accepts. */
  readonly apiKey: string;
  /** Its HMAC-SHA256 secret. */
  readonly secret: string;
  readonly spot?: StandInMarkets;
  readonly futures?: StandInMarkets;
  /** Market time at start (the clock the SimulatedExchange runs on). Default: the start of the current minute. */
  readonly startTime?: UnixMillis;
  readonly slippageBps?: number;
  /** Partial fills: at most this fraction of a candle's volume fills per candle. */
  readonly maxVolumeParticipation?: number;
  /** How far the stand-in's server time is ahead of the wall clock (to provoke -1021). Default 0. */
  readonly serverTimeOffsetMs?: number;
  /** Echo the request's API key in every error message, like a careless proxy (to test redaction). */
  readonly leakApiKeyInErrors?: boolean;
  /**
   * Funding-rate series of futures symbols (unified symbol → `{ ts, rate }` sorted by time): an open position pays
   * or receives `qty × open × rate` at the first candle opening at or after each time, listed by
   * `GET /fapi/v1/income` (`FUNDING_FEE`) and `GET /fapi/v1/fundingRate`.
   */
  readonly fundingRates?: Readonly<Record<string, readonly FundingRate[]>>;
}

/** One request the stand-in served. */
export interface StandInRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Wall-clock time the request arrived. */
  readonly at: number;
  readonly fault: Fault['kind'] | undefined;
}

const PUBLIC_PATHS = new Set(['ping', 'time', 'exchangeInfo', 'ticker/24hr', 'klines', 'fundingRate']);

/**
 * A local Binance-compatible server for tests: spot (`/api/v3`) and USDⓈ-M futures (`/fapi/v1..v3`) REST, market
 * streams, the futures listenKey user-data stream and the spot WebSocket-API user-data subscription, with HMAC
 * signatures checked and orders matched by a SimulatedExchange. Listens on 127.0.0.1 on a random port.
 *
 * URL layout (what `createCcxtExchange({ baseUrl })` points ccxt at): REST paths as on Binance; WebSocket paths are
 * Binance's prefixed with the first label of Binance's host name (`/stream/ws`, `/fstream/market/ws`,
 * `/fstream/private/ws?listenKey=…`, `/ws-api/ws-api/v3`).
 *
 * @example
 * ```ts
 * const standIn = await BinanceStandIn.start({ apiKey, secret, futures: { instruments, balances: { USDT: 10_000 } } });
 * standIn.inject({ method: 'POST', path: '/fapi/v1/order', fault: { kind: 'status', status: 429, retryAfterSec: 1 } });
 * standIn.pushCandle(symbolId('BTC/USDT:USDT'), '1m', candle);
 * await standIn.close();
 * ```
 */
export class BinanceStandIn {
  readonly venue: StandInVenue;
  readonly faults = new FaultInjector();
  readonly requests: StandInRequest[] = [];
  private readonly server: Server;
  private readonly ws: StandInWebSockets;
  private readonly sockets = new Set<Socket>();
  private readonly listenKeys = new Map<string, MarketKind>();
  private readonly held = new Set<ServerResponse>();
  private port = 0;

  private constructor(private readonly options: BinanceStandInOptions) {
    this.venue = new StandInVenue({
      ...(options.spot !== undefined ? { spot: options.spot } : {}),
      ...(options.futures !== undefined ? { futures: options.futures } : {}),
      startTime: options.startTime ?? Math.floor(Date.now() / 60_000) * 60_000,
      ...(options.slippageBps !== undefined ? { slippageBps: options.slippageBps } : {}),
      ...(options.maxVolumeParticipation !== undefined ? { maxVolumeParticipation: options.maxVolumeParticipation } : {}),
      ...(options.fundingRates !== undefined ? { fundingRates: options.fundingRates } : {}),
    });
    this.venue.listen({
      user: (kind, payload) => this.ws.broadcastUser(kind, payload),
      market: (kind, stream, payload) => this.ws.broadcastMarket(kind, stream, payload),
    });
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.ws = new StandInWebSockets({
      apiKey: options.apiKey,
      secret: options.secret,
      listenKeyKind: (key) => this.listenKeys.get(key),
      checkTimestamp: (ts, recvWindow) => this.checkTimestamp(ts, recvWindow),
      safeEqual,
    });
    this.server.on('upgrade', (req, socket, head) => this.ws.upgrade(req, socket as Socket, head));
  }

  /** Starts a stand-in on 127.0.0.1 on a free port. */
  static async start(options: BinanceStandInOptions): Promise<BinanceStandIn> {
    const s = new BinanceStandIn(options);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.port = (s.server.address() as AddressInfo).port;
    return s;
  }

  /** `http://127.0.0.1:PORT`: the base URL to give the adapter. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Market time (the SimulatedExchange's clock). */
  now(): UnixMillis {
    return this.venue.clock.t;
  }

  /** Server time as the REST API reports it (wall clock + configured offset). */
  serverTime(): number {
    return Date.now() + (this.options.serverTimeOffsetMs ?? 0);
  }

  /** Adds a fault rule (see {@link FaultRule}). */
  inject(rule: FaultRule): void {
    this.faults.inject(rule);
  }

  /** Stores history candles (no matching, no streaming). */
  seedCandles(symbol: SymbolId, timeframe: Timeframe, candles: readonly Candle[]): void {
    this.venue.seedCandles(symbol, timeframe, candles);
  }

  /** A candle closes: orders are matched, klines/tickers and order updates are streamed. */
  pushCandle(symbol: SymbolId, timeframe: Timeframe, candle: Candle): void {
    this.venue.pushCandle(symbol, timeframe, candle);
  }

  /** Open WebSocket connections, optionally of one kind. */
  connections(kind?: ConnKind): number {
    return this.ws.connections(kind);
  }

  /** Kills WebSocket connections (all, or of one kind) without a close handshake. */
  dropWebSockets(kind?: ConnKind): number {
    return this.ws.dropWebSockets(kind);
  }

  /** Stops the server and drops every connection. */
  async close(): Promise<void> {
    this.ws.close();
    for (const r of this.held) r.destroy();
    this.held.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : '';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const params: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(rawQuery)) params[k] = v;
    for (const [k, v] of new URLSearchParams(rawBody)) params[k] = v;
    const path = url.pathname;
    const apiKey = headerOf(req, 'x-mbx-apikey');

    const fault = this.faults.take(method, path);
    const log = (status: number): void => {
      this.requests.push({ method, path, status, at, fault: fault?.kind });
    };
    if (fault !== undefined && !('afterProcessing' in fault && fault.afterProcessing === true)) {
      this.applyFault(fault, res, log);
      return;
    }
    let answer: Answer;
    try {
      answer = this.route(method, path, params, rawQuery, rawBody, apiKey);
    } catch (err) {
      answer = { status: 500, body: { code: -1000, msg: `stand-in failure: ${(err as Error).message}` } };
    }
    if (fault !== undefined) {
      this.applyFault(fault, res, log);
      return;
    }
    if ('error' in answer) {
      const leak = this.options.leakApiKeyInErrors === true && apiKey !== undefined ? ` (api key ${apiKey})` : '';
      log(answer.error.status);
      send(res, answer.error.status, { code: answer.error.code, msg: answer.error.msg + leak });
      return;
    }
    log(answer.status);
    send(res, answer.status, answer.body);
  }

  private applyFault(fault: Fault, res: ServerResponse, log: (status: number) => void): void {
    switch (fault.kind) {
      case 'status': {
        log(fault.status);
        const headers: Record<string, string> = {};
        if (fault.retryAfterSec !== undefined) headers['Retry-After'] = String(fault.retryAfterSec);
        if (fault.text !== undefined) {
          res.writeHead(fault.status, { 'Content-Type': 'text/html', ...headers });
          res.end(fault.text);
          return;
        }
        const code = fault.code ?? (fault.status === 429 || fault.status === 418 ? -1003 : -1001);
        const msg =
          fault.msg ??
          (fault.status === 418
            ? 'Way too much request weight used; IP banned until later. Please use WebSocket Streams for live updates to avoid bans.'
            : fault.status === 429
              ? 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.'
              : 'Internal error; unable to process your request. Please try again.');
        send(res, fault.status, { code, msg }, headers);
        return;
      }
      case 'error':
        log(fault.status ?? 400);
        send(res, fault.status ?? 400, { code: fault.code, msg: fault.msg });
        return;
      case 'timeout':
        log(0);
        this.held.add(res);
        res.on('close', () => this.held.delete(res));
        if (fault.delayMs !== undefined) {
          setTimeout(() => {
            if (!res.writableEnded && !res.destroyed) send(res, 503, { code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' });
          }, fault.delayMs);
        }
        return;
      case 'body':
        log(200);
        send(res, 200, fault.body);
        return;
      case 'drop-connection':
        log(0);
        res.socket?.destroy();
        return;
    }
  }

  private route(method: string, path: string, p: Record<string, string>, rawQuery: string, rawBody: string, apiKey: string | undefined): Answer {
    const m = /^\/(api\/v3|fapi\/v[123])\/(.+)$/.exec(path);
    if (m === null) return { status: 404, body: { code: -1, msg: `unknown path ${path}` } };
    const kind: MarketKind = m[1] === 'api/v3' ? 'spot' : 'futures';
    const version = m[1]!.slice(-2);
    const endpoint = m[2]!;
    if (PUBLIC_PATHS.has(endpoint)) return this.publicRoute(kind, endpoint, p);
    // user-data stream endpoints carry only the API key
    if (endpoint === 'userDataStream' || endpoint === 'listenKey') {
      const auth = this.checkApiKey(apiKey);
      if (auth !== undefined) return auth;
      return this.listenKeyRoute(kind, method, p);
    }
    const auth = this.checkSigned(apiKey, p, rawQuery, rawBody);
    if (auth !== undefined) return auth;
    const v = this.venue;
    const route = `${method} ${kind === 'spot' ? '' : version + ' '}${endpoint}`;
    switch (route) {
      case 'GET account':
        return v.spotAccount();
      case 'POST order':
        return v.placeOrder('spot', p);
      case 'GET order':
        return v.queryOrder('spot', p);
      case 'DELETE order':
        return v.cancelOrder('spot', p);
      case 'GET openOrders':
        return v.openOrders('spot', p.symbol);
      case 'GET v2 account':
      case 'GET v3 account':
        return v.futuresAccount();
      case 'GET v2 positionRisk':
      case 'GET v3 positionRisk':
        return v.positionRisk(p.symbol);
      case 'GET v1 leverageBracket':
        return v.leverageBrackets(p.symbol);
      case 'POST v1 leverage':
        return v.setLeverage(p.symbol, Number(p.leverage));
      case 'POST v1 marginType':
        return v.setMarginType(p.symbol, p.marginType);
      case 'POST v1 order':
        return v.placeOrder('futures', p);
      case 'GET v1 order':
        return v.queryOrder('futures', p);
      case 'DELETE v1 order':
        return v.cancelOrder('futures', p);
      case 'GET v1 openOrders':
        return v.openOrders('futures', p.symbol);
      case 'POST v1 algoOrder':
        return v.placeOrder('futures', p, true);
      case 'GET v1 algoOrder':
        return v.queryOrder('futures', p, true);
      case 'DELETE v1 algoOrder':
        return v.cancelOrder('futures', p, true);
      case 'GET v1 income':
        return v.funding.incomeAnswer(p);
      case 'GET v1 openAlgoOrders': {
        const a = v.openOrders('futures', p.symbol, true);
        return 'error' in a ? a : ok((a.body as { orders: unknown[] }).orders);
      }
      default:
        return { status: 404, body: { code: -1, msg: `the stand-in does not serve ${method} ${path}` } };
    }
  }

  private publicRoute(kind: MarketKind, endpoint: string, p: Record<string, string>): Answer {
    const v = this.venue;
    switch (endpoint) {
      case 'ping':
        return ok({});
      case 'time':
        return ok({ serverTime: this.serverTime() });
      case 'exchangeInfo': {
        const symbols = v.instruments(kind).map((i: Instrument) => (kind === 'spot' ? spotSymbolInfo(i) : futuresSymbolInfo(i)));
        return ok({ timezone: 'UTC', serverTime: this.serverTime(), rateLimits: RATE_LIMITS, exchangeFilters: [], ...(kind === 'futures' ? { assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }] } : {}), symbols });
      }
      case 'ticker/24hr': {
        if (p.symbol !== undefined) {
          if (v.instrument(kind, p.symbol) === undefined) return fail(-1121, 'Invalid symbol.');
          return ok(v.tickerBody(kind, p.symbol));
        }
        return ok(v.instruments(kind).map((i) => v.tickerBody(kind, `${i.base}${i.quote}`)));
      }
      case 'fundingRate':
        if (kind !== 'futures') return { status: 404, body: {} };
        if (p.symbol !== undefined && v.instrument(kind, p.symbol) === undefined) return fail(-1121, 'Invalid symbol.');
        return v.funding.ratesAnswer(p);
      case 'klines': {
        if (v.instrument(kind, p.symbol) === undefined) return fail(-1121, 'Invalid symbol.');
        const max = kind === 'spot' ? 1000 : 1500;
        const limit = Math.min(Number(p.limit ?? 500), max);
        const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));
        return ok(v.klines(kind, p.symbol!, p.interval ?? '1m', num(p.startTime), num(p.endTime), limit));
      }
      default:
        return { status: 404, body: {} };
    }
  }

  private listenKeyRoute(kind: MarketKind, method: string, p: Record<string, string>): Answer {
    if (method === 'POST') {
      // Binance hands out the same key while it is valid
      for (const [key, k] of this.listenKeys) if (k === kind) return ok({ listenKey: key });
      const key = randomBytes(32).toString('base64url').slice(0, 60);
      this.listenKeys.set(key, kind);
      return ok({ listenKey: key });
    }
    if (method === 'PUT') {
      const key = p.listenKey ?? [...this.listenKeys].find(([, k]) => k === kind)?.[0];
      if (key === undefined || !this.listenKeys.has(key)) return fail(-1125, 'This listenKey does not exist.');
      return ok(kind === 'futures' ? { listenKey: key } : {});
    }
    if (method === 'DELETE') {
      for (const [key, k] of this.listenKeys) if (k === kind) this.listenKeys.delete(key);
      return ok({});
    }
    return fail(-1102, 'unsupported');
  }

  private checkApiKey(apiKey: string | undefined): Answer | undefined {
    if (apiKey === undefined || apiKey === '') return fail(-2014, 'API-key format invalid.', 401);
    if (!safeEqual(apiKey, this.options.apiKey)) return fail(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
    return undefined;
  }

  private checkSigned(apiKey: string | undefined, p: Record<string, string>, rawQuery: string, rawBody: string): Answer | undefined {
    const bad = this.checkApiKey(apiKey);
    if (bad !== undefined) return bad;
    const signature = p.signature;
    if (signature === undefined) return fail(-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const payload = (rawQuery + rawBody).replace(/&?signature=[^&]*/, '');
    const expected = createHmac('sha256', this.options.secret).update(payload).digest('hex');
    if (!safeEqual(signature, expected)) return fail(-1022, 'Signature for this request is not valid.');
    return this.checkTimestamp(p.timestamp, p.recvWindow);
  }

  private checkTimestamp(timestamp: string | undefined, recvWindow: string | undefined): Answer | undefined {
    const ts = Number(timestamp);
    if (!Number.isFinite(ts)) return fail(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
    const server = this.serverTime();
    const window = recvWindow !== undefined ? Number(recvWindow) : 5000;
    if (ts > server + 1000 || server - ts > window) {
      return fail(-1021, "Timestamp for this request is outside of the recvWindow.");
    }
    return undefined;
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
