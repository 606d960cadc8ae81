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
  /** SQLite file, or a postgres:// URL (`?schema=name` puts the journal in that schema; default `public`). */
  db: z
    .string()
    .min(1)
    .default('.quantum-trader/live.sqlite')
    .superRefine((db, ctx) => {
      if (!isPostgresUrl(db)) return;
      const target = parsePostgresTarget(db);
      if (typeof target === 'string') ctx.addIssue({ code: 'custom', message: target });
    }),
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

/**
 * The `live` section of the runner config file: the venue settings of `run --live` that a deployment keeps in its
 * config rather than on the command line (a flag given overrides its value). The decision to trade real funds
 * (`--confirm-mainnet`) and the keys stay off the file.
 *
 * @example
 * ```ts
 * liveConfigSchema.parse({ exchange: 'binanceusdm', mode: 'testnet', db: 'postgres://bot@db/trading?schema=eth' });
 * ```
 */
export const liveConfigSchema = liveFlagsSchema
  .pick({ exchange: true, mode: true, exchangeUrl: true, db: true, redis: true, keysFile: true, marginMode: true, orderUpdates: true, httpPort: true })
  .partial()
  .readonly();

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

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A PostgreSQL `--db` URL split into the connection URL and the journal's schema (`?schema=name`, taken out of the
 * URL; `undefined`: the journal's default, `public`), so that several bots can share one database.
 *
 * @throws Error when the URL does not parse or the schema is not a plain identifier (the message has no credentials).
 * @example
 * ```ts
 * postgresTarget('postgres://bot@db:5432/trading?schema=bot_eth'); // { url: 'postgres://bot@db:5432/trading', schema: 'bot_eth' }
 * ```
 */
export function postgresTarget(db: string): { readonly url: string; readonly schema: string | undefined } {
  const target = parsePostgresTarget(db);
  if (typeof target === 'string') throw new Error(target);
  return target;
}

/** The connection URL and schema of a PostgreSQL `--db`, or what is wrong with it. */
function parsePostgresTarget(db: string): { readonly url: string; readonly schema: string | undefined } | string {
  let url: URL;
  try {
    url = new URL(db);
  } catch {
    return 'expected a PostgreSQL URL such as postgres://user@host:5432/database';
  }
  const schema = url.searchParams.get('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    return `expected a plain identifier after ?schema= (letters, digits and _, not starting with a digit, at most 63 characters), not ${JSON.stringify(schema)}`;
  }
  url.searchParams.delete('schema');
  return { url: url.toString(), schema: schema ?? undefined };
}
