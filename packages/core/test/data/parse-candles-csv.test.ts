import { describe, expect, it } from 'vitest';
import { CANDLE_CSV_HEADER, parseCandlesCsv } from '../../src/data/index.js';
import { isQuantumTraderError } from '../../src/errors/quantum-trader-error.js';

const HEADER = 'ts,open,high,low,close,volume';
const T0 = 1_609_459_200_000; // 2021-01-01T00:00:00Z
const row = (i: number, o = 10, h = 12, l = 9, c = 11, v = 5): string => `${T0 + i * 300_000},${o},${h},${l},${c},${v}`;
const csv = (...lines: string[]): string => [HEADER, ...lines].join('\n') + '\n';

function errorOf(text: string, source = 'fixture.csv'): { code: string; message: string } {
  try {
    parseCandlesCsv(text, source);
  } catch (err) {
    if (isQuantumTraderError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected parseCandlesCsv to throw');
}

describe('parseCandlesCsv', () => {
  it('parses valid rows into candles in file order', () => {
    const candles = parseCandlesCsv(csv(row(0), row(1, 11, 11.5, 10.5, 11.2, 0)), 'ok.csv');
    expect(candles).toEqual([
      { ts: T0, open: 10, high: 12, low: 9, close: 11, volume: 5 },
      { ts: T0 + 300_000, open: 11, high: 11.5, low: 10.5, close: 11.2, volume: 0 },
    ]);
  });

  it('accepts CRLF line endings, a byte-order mark, exponent notation and trailing blank lines', () => {
    const text = `\uFEFF${HEADER}\r\n${T0},1e1,12,9,11,5\r\n\r\n\r\n`;
    expect(parseCandlesCsv(text, 'crlf.csv')).toEqual([{ ts: T0, open: 10, high: 12, low: 9, close: 11, volume: 5 }]);
  });

  it('exports the header it expects', () => {
    expect(CANDLE_CSV_HEADER).toBe(HEADER);
  });

  it.each([
    ['an empty text', '', 'fixture.csv: the file is empty'],
    ['only whitespace', '  \n\n', 'fixture.csv: the file is empty'],
    ['a header without rows', `${HEADER}\n`, 'fixture.csv line 1: the file has a header but no candles'],
    ['a missing header', `${row(0)}\n${row(1)}\n`, `fixture.csv line 1: header: got "${row(0)}", expected "${HEADER}"`],
    ['a wrong header', 'time,o,h,l,c,v\n' + row(0), 'fixture.csv line 1: header: got "time,o,h,l,c,v"'],
    ['too few columns', csv(row(0), `${T0 + 300_000},10,12,9,11`), 'fixture.csv line 3: got 5 columns, expected 6 columns'],
    ['too many columns', csv(`${row(0)},7`), 'fixture.csv line 2: got 7 columns, expected 6 columns'],
    ['a blank line between rows', csv(row(0), '', row(2)), 'fixture.csv line 3: got an empty line, expected 6 columns'],
    ['a NaN close', csv(row(0), `${T0 + 300_000},10,12,9,NaN,5`), 'fixture.csv line 3: close: got "NaN", expected a finite number'],
    ['an empty cell', csv(`${T0},10,,9,11,5`), 'fixture.csv line 2: high: got "", expected a finite number'],
    ['Infinity', csv(`${T0},10,Infinity,9,11,5`), 'fixture.csv line 2: high: got "Infinity", expected a finite number'],
    ['a hex number', csv(`${T0},0x10,20,9,11,5`), 'fixture.csv line 2: open: got "0x10", expected a finite number'],
    ['a fractional ts', csv(`${T0}.5,10,12,9,11,5`), `fixture.csv line 2: ts: got ${T0}.5, expected a whole number`],
    ['a negative ts', csv(`-300000,10,12,9,11,5`), 'fixture.csv line 2: ts: got -300000, expected a whole number'],
    ['a duplicate ts', csv(row(0), row(0)), `fixture.csv line 3: ts: got ${T0}, expected a time after the previous row's ${T0}`],
    ['a ts going back', csv(row(1), row(0)), `fixture.csv line 3: ts: got ${T0}, expected a time after the previous row's ${T0 + 300_000}`],
    ['high below open', csv(row(0, 13, 12, 9, 11)), 'fixture.csv line 2: high: got 12, expected a value ≥ max(open, close) = 13'],
    ['high below close', csv(row(0, 10, 12, 9, 12.5)), 'fixture.csv line 2: high: got 12, expected a value ≥ max(open, close) = 12.5'],
    ['low above close', csv(row(0, 10.4, 12, 10.5, 10.2)), 'fixture.csv line 2: low: got 10.5, expected a value ≤ min(open, close) = 10.2'],
    ['a zero low', csv(row(0, 10, 12, 0, 11)), 'fixture.csv line 2: low: got 0, expected a price > 0'],
    ['a negative volume', csv(row(0, 10, 12, 9, 11, -1)), 'fixture.csv line 2: volume: got -1, expected a value ≥ 0'],
  ])('rejects %s with DATA_INVALID naming the file, line, field and value', (_name, text, expected) => {
    const err = errorOf(text);
    expect(err.code).toBe('DATA_INVALID');
    expect(err.message).toContain(expected);
  });

  it('reports the first problem only, with the source it was given', () => {
    const err = errorOf(csv(row(0), row(1, 10, 9, 9, 11), row(0)), 'data/eth.csv');
    expect(err.message).toMatch(/^data\/eth\.csv line 3: high: got 9/);
  });
});
