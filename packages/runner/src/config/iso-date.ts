import type { UnixMillis } from '@quantum-trader/core';

// YYYY-MM-DD, optionally followed by THH:mm[:ss[.sss]] and an optional zone (Z or ±HH:mm).
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Converts an ISO 8601 date or date-time to Unix milliseconds, or returns `undefined` when `text` is not one.
 *
 * Accepts `2021-03-01`, `2021-03-01T12:00`, `2021-03-01T12:00:00.000Z` and `2021-03-01T14:00+02:00`. A date or
 * date-time without a zone is read as **UTC** (not the machine's local time), so a run gives the same result
 * everywhere. Impossible dates such as `2021-02-30` are refused.
 *
 * @example
 * ```ts
 * import { isoDateToMillis } from '@quantum-trader/runner';
 *
 * isoDateToMillis('2021-01-01'); // 1609459200000
 * isoDateToMillis('2021-02-30'); // undefined
 * ```
 */
export function isoDateToMillis(text: string): UnixMillis | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const year = Number(y);
  const month = Number(mo) - 1;
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const ms = Number(frac.padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month, day, hour, minute, second, ms);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month || check.getUTCDate() !== day) return undefined;
  if (zone === undefined || zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
  return utc - sign * offsetMinutes * 60_000;
}
