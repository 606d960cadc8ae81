import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCandlesCsv, symbolId, type Candle, type KernelLogger, type SymbolId } from '@quantum-trader/core';

const DATA = fileURLToPath(new URL('../../runner/data/binance/', import.meta.url));
const FILES: Record<string, string> = {
  BTC: 'binance_BTCUSDT_5m_2020-12-01_2021-07-17.csv',
  ETH: 'binance_ETHUSDT_5m_2020-12-01_2021-07-17.csv',
  BNB: 'binance_BNBUSDT_5m_2021-01-01_2021-05-13.csv',
};
const cache = new Map<string, Candle[]>();

/** Real Binance 5 m candles of `coin` (BTC, ETH, BNB) between two ISO dates. */
export function realCandles(coin: 'BTC' | 'ETH' | 'BNB', from: string, to: string): Candle[] {
  let all = cache.get(coin);
  if (all === undefined) cache.set(coin, (all = loadCandlesCsv(join(DATA, FILES[coin]!))));
  const a = Date.parse(from);
  const b = Date.parse(to);
  return all.filter((c) => c.ts >= a && c.ts < b);
}

export const BTC: SymbolId = symbolId('BTC/USDT');
export const ETH: SymbolId = symbolId('ETH/USDT');

/** A fresh temporary folder and its cleanup. */
export function tempDir(): { readonly dir: string; readonly cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'qt-clm-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One captured log line. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps every line. */
export function captureLogger(): { readonly logger: KernelLogger; readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (fields: object, message: string) =>
    void lines.push({ level, message, fields: fields as Record<string, unknown> });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

/** Hand-written candle: `[open, high, low, close]` at 5 m step `i`. */
export function candle(i: number, ohlc: readonly [number, number, number, number], volume = 1): Candle {
  return { ts: Date.UTC(2021, 0, 1) + i * 300_000, open: ohlc[0], high: ohlc[1], low: ohlc[2], close: ohlc[3], volume };
}

import {
  CandleReplay,
  MemoryIntentQueue,
  MemoryJournal,
  ReplayScheduler,
  RiskEngine,
  SimulatedExchange,
  TradingKernel,
  binanceInstrument,
  fixedNotionalSizer,
  momentumStrategy,
  type SignalScorer,
  type UnixMillis,
} from '@quantum-trader/core';

/**
 * A kernel replaying real candles with the momentum strategy and a risk rule that refuses everything: every signal
 * is scored by `scorer` (before risk) and then denied, so no position ever blocks the next signal.
 */
export function scoringReplay(
  series: readonly { symbol: SymbolId; candles: Candle[] }[],
  from: UnixMillis,
  scorer: SignalScorer,
): { readonly scheduler: ReplayScheduler; readonly kernel: TradingKernel; readonly market: CandleReplay } {
  const scheduler = new ReplayScheduler(from);
  const market = new CandleReplay({ series, timeframe: '5m', from }, scheduler);
  const instruments = series.map((s) => binanceInstrument(s.symbol));
  const exchange = new SimulatedExchange({ instruments, balances: { USDT: 10_000 }, scheduler });
  market.candles$.subscribe((e) => exchange.onCandle(e.symbol, e.candle));
  const risk = new RiskEngine({
    rules: [{ name: 'deny-all', check: () => 'test: every signal is only scored' }],
    sizer: fixedNotionalSizer(1000, 1),
    leverage: 1,
    instrument: (s) => instruments.find((i) => i.symbol === s)!,
  });
  const kernel = new TradingKernel({
    scheduler,
    market,
    broker: exchange,
    journal: new MemoryJournal(),
    queue: new MemoryIntentQueue(),
    strategies: [momentumStrategy()],
    risk,
    instruments,
    scorer,
    initialBalance: 10_000,
    resume: 'fresh',
  });
  return { scheduler, kernel, market };
}

import type { DomainEvent, PositionClosed, PositionId, PositionSide } from '@quantum-trader/core';

/** The journal events of one closed trade (opened then closed), with an intent id naming its signal candle. */
export function closedTrade(o: {
  readonly n: number;
  readonly symbol: SymbolId;
  readonly side: PositionSide;
  readonly candleTs: UnixMillis;
  readonly closedAt: UnixMillis;
  readonly ret: number;
}): [DomainEvent, PositionClosed] {
  const positionId = `pos-test-${o.n}` as PositionId;
  const openedAt = o.candleTs + 600_000;
  const entry = 100;
  return [
    {
      id: `PositionOpened:${positionId}`,
      type: 'PositionOpened',
      ts: openedAt,
      positionId,
      symbol: o.symbol,
      side: o.side,
      qty: 10,
      entryPrice: entry,
      leverage: 1,
      intentId: `momentum-24h|${o.symbol}|${o.candleTs}|${o.side === 'long' ? 'buy' : 'sell'}` as never,
    },
    {
      id: `PositionClosed:${positionId}`,
      type: 'PositionClosed',
      ts: o.closedAt,
      positionId,
      symbol: o.symbol,
      side: o.side,
      entryPrice: entry,
      exitPrice: entry * (1 + (o.side === 'long' ? o.ret : -o.ret)),
      qty: 10,
      openedAt,
      realizedPnl: o.ret * entry * 10,
      fees: 0,
      exitReason: o.ret > 0 ? 'tp3' : 'sl',
    },
  ];
}
