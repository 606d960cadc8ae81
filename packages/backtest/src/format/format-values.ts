/** Formatting of metric values for tables and reports (NaN reads as "–"). @internal */
export function pct(x: number, digits = 2, signed = false): string {
  if (!Number.isFinite(x)) return '–';
  const s = (x * 100).toFixed(digits);
  return `${signed && x > 0 ? '+' : ''}${s} %`;
}

/** A money amount with thousands separators and 2 decimals. @internal */
export function money(x: number, signed = false): string {
  if (!Number.isFinite(x)) return '–';
  const s = Math.abs(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${x < 0 ? '−' : signed && x > 0 ? '+' : ''}${s}`;
}

/** A plain number, or "∞" / "–". @internal */
export function num(x: number, digits = 2): string {
  if (x === Number.POSITIVE_INFINITY) return '∞';
  if (!Number.isFinite(x)) return '–';
  return x.toFixed(digits);
}

/** A duration such as "3d 4h", "5h 20m" or "12m". @internal */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const m = Math.round(ms / 60_000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${min}m`;
  return `${min}m`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** An hour of day as "14:00 UTC". @internal */
export function hour(h: number | undefined): string {
  return h === undefined ? '–' : `${String(h).padStart(2, '0')}:00`;
}

/** A weekday number (0 = Sunday) as its short name. @internal */
export function weekday(d: number | undefined): string {
  return d === undefined ? '–' : (WEEKDAYS[d] ?? '–');
}

/** A time as "YYYY-MM-DD HH:mm". @internal */
export function time(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts).toISOString().slice(0, 16).replace('T', ' ') : '–';
}
