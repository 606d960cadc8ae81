import { QuantumTraderError } from '../errors/quantum-trader-error.js';
import type { Candle } from '../model/candle.js';

/** The header every candle CSV must start with. */
export const CANDLE_CSV_HEADER = 'ts,open,high,low,close,volume';

const COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;
// A plain decimal number: no hex, no empty string, no "Infinity" (Number() accepts all three).
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses and validates a candle CSV (`ts,open,high,low,close,volume`, `ts` = open time in Unix milliseconds).
 *
 * Every row is checked: 6 columns, finite decimal numbers, `ts` an integer strictly greater than the previous row's,
 * `high ≥ max(open, close)`, `low ≤ min(open, close)`, `low > 0`, `volume ≥ 0`. The first problem throws
 * `QuantumTraderError('DATA_INVALID')` whose message names `source`, the line number, the field, the bad value and
 * what was expected. Windows line endings, a UTF-8 byte-order mark and trailing blank lines are accepted.
 *
 * @param text - the whole file's text.
 * @param source - where the text came from (a file path), used only in error messages.
 *
 * @example
 * ```ts
 * import { parseCandlesCsv } from '@quantum-trader/core';
 *
 * const candles = parseCandlesCsv('ts,open,high,low,close,volume\n1609459200000,10,12,9,11,5\n', 'inline.csv');
 * candles[0]?.close; // 11
 * ```
 */
export function parseCandlesCsv(text: string, source: string): Candle[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const invalid = (line: number, what: string): QuantumTraderError =>
    new QuantumTraderError('DATA_INVALID', `${source} line ${line}: ${what}`);

  if (body.trim() === '') {
    throw new QuantumTraderError(
      'DATA_INVALID',
      `${source}: the file is empty; expected the header "${CANDLE_CSV_HEADER}" followed by one candle per line`,
    );
  }

  // Trailing blank lines are tolerated; a blank line in the middle is an error (it usually means a broken file).
  let end = body.length;
  while (end > 0 && (body[end - 1] === '\n' || body[end - 1] === '\r' || body[end - 1] === ' ')) end--;

  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string => {
    let nl = body.indexOf('\n', pos);
    if (nl === -1 || nl > end) nl = end;
    let line = body.slice(pos, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    pos = nl + 1;
    lineNo++;
    return line;
  };

  const header = nextLine();
  const headerCols = header.split(',').map((h) => h.trim().toLowerCase());
  if (headerCols.join(',') !== CANDLE_CSV_HEADER) {
    throw invalid(lineNo, `header: got "${header}", expected "${CANDLE_CSV_HEADER}"`);
  }

  const candles: Candle[] = [];
  const values = new Float64Array(COLUMNS.length);
  let prevTs = Number.NEGATIVE_INFINITY;
  while (pos <= end) {
    const line = nextLine();
    const cells = line.split(',');
    if (cells.length !== COLUMNS.length) {
      const got = line.trim() === '' ? 'an empty line' : `${cells.length} column${cells.length === 1 ? '' : 's'}`;
      throw invalid(lineNo, `got ${got}, expected ${COLUMNS.length} columns (${CANDLE_CSV_HEADER})`);
    }
    for (let c = 0; c < COLUMNS.length; c++) {
      const cell = cells[c]!.trim();
      const v = Number(cell);
      if (!DECIMAL.test(cell) || !Number.isFinite(v)) {
        throw invalid(lineNo, `${COLUMNS[c]}: got "${cells[c]}", expected a finite number`);
      }
      values[c] = v;
    }
    const ts = values[0]!;
    const open = values[1]!;
    const high = values[2]!;
    const low = values[3]!;
    const close = values[4]!;
    const volume = values[5]!;

    if (!Number.isSafeInteger(ts) || ts < 0) {
      throw invalid(lineNo, `ts: got ${cells[0]!.trim()}, expected a whole number of milliseconds since 1970 (≥ 0)`);
    }
    if (ts <= prevTs) {
      throw invalid(
        lineNo,
        `ts: got ${ts}, expected a time after the previous row's ${prevTs} (rows must be sorted by time, without duplicates)`,
      );
    }
    const bodyTop = open > close ? open : close;
    const bodyBottom = open < close ? open : close;
    if (high < bodyTop) {
      throw invalid(lineNo, `high: got ${high}, expected a value ≥ max(open, close) = ${bodyTop}`);
    }
    if (low > bodyBottom) {
      throw invalid(lineNo, `low: got ${low}, expected a value ≤ min(open, close) = ${bodyBottom}`);
    }
    if (low <= 0) {
      throw invalid(lineNo, `low: got ${low}, expected a price > 0`);
    }
    if (volume < 0) {
      throw invalid(lineNo, `volume: got ${volume}, expected a value ≥ 0`);
    }
    candles.push({ ts, open, high, low, close, volume });
    prevTs = ts;
  }

  if (candles.length === 0) {
    throw invalid(lineNo, `the file has a header but no candles; expected at least one row after the header`);
  }
  return candles;
}
