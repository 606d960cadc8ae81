import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allocCandleColumns, parseCandlesCsv, type CandleColumns } from '@quantum-trader/core';

/** The repo's real one-minute Binance files (copied from the shared data set; see SOURCES.md next to them). */
export const MINUTE_FILES = [
  'binance_BTCUSDT_1m_2021-04-02_2021-05-14.csv',
  'binance_ETHUSDT_1m_2021-04-02_2021-05-14.csv',
  'binance_BNBUSDT_1m_2021-04-02_2021-05-14.csv',
] as const;

// QT_REPO_ROOT is set by bench/run.ts, whose children run bundled copies of these files from elsewhere.
const ROOT = process.env.QT_REPO_ROOT ?? fileURLToPath(new URL('../../', import.meta.url));
const DATA_DIR = `${ROOT.replace(/\/?$/, '/')}packages/runner/data/binance/`;

/** How the bench's long one-minute series is made, in one sentence for the table and the JSON. */
export const MINUTE_SERIES_SOURCE =
  'the three real Binance 1m series (BTC, ETH, BNB vs USDT, 2021-04-02..05-14, 61k candles each) chained end to end, ' +
  'every other pass inverted (1/price, i.e. USDT priced in the coin) so the level stays bounded, each segment scaled ' +
  'to open at the previous close, prices rounded to 0.01, timestamps re-laid on a gap-free 1-minute grid';

/**
 * Builds `count` one-minute candles from the real 1m files: segment k is file `k mod 3`, inverted when `⌊k/3⌋` is
 * odd, scaled so its first open equals the previous segment's last close. Every candle keeps its real shape
 * (returns, range, volume); only the price level and the time stamps are synthetic.
 */
export function minuteCandles(count: number, start = Date.UTC(2021, 3, 2)): CandleColumns {
  const sources = MINUTE_FILES.map((f) => parseCandlesCsv(readFileSync(DATA_DIR + f, 'utf8'), f));
  const out = allocCandleColumns(count);
  let level = sources[0]![0]!.open;
  let i = 0;
  for (let seg = 0; i < count; seg++) {
    const src = sources[seg % 3]!;
    const invert = Math.floor(seg / 3) % 2 === 1;
    const first = src[0]!.open;
    // price(p) = level × p / first, or level × first / p inverted (high and low swap places).
    const k = invert ? level * first : level / first;
    for (let j = 0; j < src.length && i < count; j++, i++) {
      const c = src[j]!;
      const o = invert ? k / c.open : k * c.open;
      const h = invert ? k / c.low : k * c.high;
      const l = invert ? k / c.high : k * c.low;
      const cl = invert ? k / c.close : k * c.close;
      out.ts[i] = start + i * 60_000;
      out.open[i] = round2(o);
      out.high[i] = round2(h);
      out.low[i] = round2(l);
      out.close[i] = round2(cl);
      out.volume[i] = c.volume;
    }
    level = out.close[i - 1]!;
  }
  return out;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
