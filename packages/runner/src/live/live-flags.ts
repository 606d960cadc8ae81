import { z } from 'zod';

/**
 * The live-only settings of `quantum-trader run --live` (the strategy, risk and exit values come from the runner
 * config, read with the same schema as paper trading).
 *
 * @example
 * ```ts
 * const live = liveFlagsSchema.parse({ exchange: 'binanceusdm', mode: 'testnet' });
 * ```
 */
export const liveFlagsSchema = z.strictObject({
  /** A ccxt exchange id: `binanceusdm` (USDⓈ-M perpetuals), `binance` (spot) … */
  exchange: z.string().min(1).default('binanceusdm'),
  mode: z.enum(['testnet', 'demo', 'mainnet']).default('testnet'),
  /** Base URL override (a proxy, a local stand-in). */
  exchangeUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. http://127.0.0.1:8080' }).optional(),
  /** The one-time decision to trade real funds (persisted in the journal). */
  confirmMainnet: z.boolean().default(false),
  /** SQLite file, or a postgres:// URL. */
  db: z.string().min(1).default('.quantum-trader/live.sqlite'),
  /** Durable intent queue on Redis (`redis://…`); in memory by default. */
  redis: z.string().regex(/^rediss?:\/\//, { error: 'expected a redis:// or rediss:// URL' }).optional(),
  /** Secrets file (mode 0600): JSON { apiKey, secret } or API_KEY= / API_SECRET= lines. */
  keysFile: z.string().min(1).optional(),
  marginMode: z.enum(['isolated', 'cross']).optional(),
  orderUpdates: z.enum(['websocket', 'poll']).optional(),
  /** Stop by itself after this many seconds (smoke tests, scheduled sessions). */
  maxRuntimeSeconds: z.number().positive().optional(),
  /** HTTP status API port on 127.0.0.1. */
  httpPort: z.number().int().min(0).max(65_535).optional(),
});

/** Validated live settings. */
export type LiveFlags = z.output<typeof liveFlagsSchema>;
/** Live settings as given. */
export type LiveFlagsInput = z.input<typeof liveFlagsSchema>;

/** Journal state key holding the ISO time mainnet trading was confirmed. */
export const MAINNET_CONFIRMED_KEY = 'mainnet-confirmed';

/** Whether `db` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}
