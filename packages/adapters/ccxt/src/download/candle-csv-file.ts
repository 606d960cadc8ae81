import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CANDLE_CSV_HEADER, parseCandlesCsv, type Candle } from '@quantum-trader/core';

/**
 * A candle CSV file (`ts,open,high,low,close,volume`, the format `loadCandlesCsv` reads) written page by page, so
 * that a download interrupted at any point leaves a valid file to resume from.
 *
 * @example
 * ```ts
 * const file = CandleCsvFile.open('data/binance_BTCUSDT_1m.csv');
 * file.append(candles);
 * ```
 */
export class CandleCsvFile {
  private constructor(
    readonly path: string,
    /** Open times of the candles in the file, ascending. */
    readonly times: number[],
  ) {}

  /**
   * Opens (or creates) the file. An unfinished last line — a crash in the middle of a write — is cut off; anything
   * else that does not parse is an error naming the line.
   *
   * @throws QuantumTraderError `DATA_INVALID` when the existing file is not a candle CSV.
   */
  static open(path: string): CandleCsvFile {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${CANDLE_CSV_HEADER}\n`);
      return new CandleCsvFile(path, []);
    }
    let text = readFileSync(path, 'utf8');
    if (!text.endsWith('\n')) {
      const cut = text.lastIndexOf('\n') + 1;
      truncateSync(path, Buffer.byteLength(text.slice(0, cut)));
      text = text.slice(0, cut);
    }
    if (text.trim() === '') {
      writeFileSync(path, `${CANDLE_CSV_HEADER}\n`);
      return new CandleCsvFile(path, []);
    }
    if (text.trim() === CANDLE_CSV_HEADER) return new CandleCsvFile(path, []);
    const candles = parseCandlesCsv(text, path);
    return new CandleCsvFile(path, candles.map((c) => c.ts));
  }

  /** Open time of the last candle (undefined when the file has none). */
  get lastTs(): number | undefined {
    return this.times[this.times.length - 1];
  }

  /** Appends candles newer than the last one (older ones are skipped); returns how many were written. */
  append(candles: readonly Candle[]): number {
    let last = this.lastTs ?? Number.NEGATIVE_INFINITY;
    let out = '';
    let n = 0;
    for (const c of candles) {
      if (c.ts <= last) continue;
      out += `${c.ts},${c.open},${c.high},${c.low},${c.close},${c.volume}\n`;
      this.times.push(c.ts);
      last = c.ts;
      n++;
    }
    if (out !== '') appendFileSync(this.path, out);
    return n;
  }
}
