import { readFileSync, statSync } from 'node:fs';
import { inspect } from 'node:util';
import { QuantumTraderError } from '@quantum-trader/core';
import { redact } from './redact.js';

/**
 * An API key and its secret, held so that they never leak by accident: `JSON.stringify`, `String()`,
 * `console.log` and `util.inspect` all print `***`. Only {@link ExchangeCredentials.reveal} hands the values out
 * (to ccxt, which signs requests with them).
 *
 * @example
 * ```ts
 * const creds = ExchangeCredentials.of(process.env.MY_KEY!, process.env.MY_SECRET!);
 * console.log(creds); // ExchangeCredentials { apiKey: '***', secret: '***' }
 * ```
 */
export class ExchangeCredentials {
  readonly #apiKey: string;
  readonly #secret: string;

  private constructor(apiKey: string, secret: string) {
    this.#apiKey = apiKey;
    this.#secret = secret;
  }

  /**
   * Wraps a key and secret; both must be non-empty.
   *
   * @example
   * ```ts
   * const creds = ExchangeCredentials.of('key', 'secret');
   * ```
   */
  static of(apiKey: string, secret: string): ExchangeCredentials {
    if (apiKey.trim() === '' || secret.trim() === '') {
      throw new QuantumTraderError('CONFIG_INVALID', 'exchange credentials: the API key and the secret must both be non-empty');
    }
    return new ExchangeCredentials(apiKey.trim(), secret.trim());
  }

  /**
   * The plain values, for handing to ccxt. Never log or store what this returns.
   *
   * @example
   * ```ts
   * const { apiKey, secret } = creds.reveal();
   * ```
   */
  reveal(): { readonly apiKey: string; readonly secret: string } {
    return { apiKey: this.#apiKey, secret: this.#secret };
  }

  /**
   * Replaces the key and the secret in `text` with `***`.
   *
   * @example
   * ```ts
   * creds.redact(`request failed for ${apiKey}`); // 'request failed for ***'
   * ```
   */
  redact(text: string): string {
    return redact(text, [this.#apiKey, this.#secret]);
  }

  toJSON(): { apiKey: string; secret: string } {
    return { apiKey: '***', secret: '***' };
  }

  toString(): string {
    return 'ExchangeCredentials(***)';
  }

  [inspect.custom](): string {
    return "ExchangeCredentials { apiKey: '***', secret: '***' }";
  }
}

/**
 * Where {@link loadCredentials} looks.
 *
 * @example
 * ```ts
 * const source: CredentialsSource = { env: process.env, envPrefix: 'QUANTUM_TRADER', file: '~/.config/qt/binance.json' };
 * ```
 */
export interface CredentialsSource {
  /** Environment to read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Variables `<prefix>_API_KEY`, `<prefix>_API_SECRET` and `<prefix>_SECRETS_FILE` (default `QUANTUM_TRADER`). */
  readonly envPrefix?: string;
  /** A secrets file (overrides `<prefix>_SECRETS_FILE`): JSON `{ "apiKey", "secret" }` or `API_KEY=` / `API_SECRET=` lines. */
  readonly file?: string;
}

/**
 * Loads exchange credentials from a secrets file (which must not be readable by group or others: mode 0600) or
 * from the environment (`QUANTUM_TRADER_API_KEY` and `QUANTUM_TRADER_API_SECRET`); the file wins when both exist.
 * Returns `undefined` when neither is set (public market data needs no keys). Errors name the file or variable,
 * never a value.
 *
 * @throws QuantumTraderError `CONFIG_INVALID` for a file with loose permissions, an unreadable or malformed file,
 * or only one of the two variables set.
 * @example
 * ```ts
 * const creds = loadCredentials({ file: '.secrets/binance-testnet.json' });
 * const exchange = createCcxtExchange({ exchangeId: 'binanceusdm', mode: 'testnet', credentials: creds });
 * ```
 */
export function loadCredentials(source: CredentialsSource = {}): ExchangeCredentials | undefined {
  const env = source.env ?? process.env;
  const prefix = source.envPrefix ?? 'QUANTUM_TRADER';
  const file = source.file ?? env[`${prefix}_SECRETS_FILE`];
  if (file !== undefined && file !== '') return readSecretsFile(file);
  const keyName = `${prefix}_API_KEY`;
  const secretName = `${prefix}_API_SECRET`;
  const apiKey = env[keyName];
  const secret = env[secretName];
  if ((apiKey ?? '') === '' && (secret ?? '') === '') return undefined;
  if ((apiKey ?? '') === '' || (secret ?? '') === '') {
    const missing = (apiKey ?? '') === '' ? keyName : secretName;
    throw new QuantumTraderError('CONFIG_INVALID', `exchange credentials: ${missing} is not set (set both ${keyName} and ${secretName}, or neither)`);
  }
  return ExchangeCredentials.of(apiKey!, secret!);
}

function readSecretsFile(path: string): ExchangeCredentials {
  let text: string;
  try {
    const st = statSync(path);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `secrets file ${path} is readable by other users (mode ${mode}); restrict it with: chmod 600 ${path}`,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof QuantumTraderError) throw err;
    const code = (err as { code?: unknown }).code;
    throw new QuantumTraderError('CONFIG_INVALID', `secrets file ${path} cannot be read (${String(code ?? 'error')})`);
  }
  let apiKey: string | undefined;
  let secret: string | undefined;
  if (text.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // the parser's message may quote the file's content: do not pass it on
      throw new QuantumTraderError('CONFIG_INVALID', `secrets file ${path} is not valid JSON; expected { "apiKey": "…", "secret": "…" }`);
    }
    const o = parsed as Record<string, unknown>;
    apiKey = typeof o.apiKey === 'string' ? o.apiKey : undefined;
    secret = typeof o.secret === 'string' ? o.secret : typeof o.apiSecret === 'string' ? o.apiSecret : undefined;
  } else {
    for (const line of text.split(/\r?\n/)) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
      if (m === null) continue;
      const name = m[1]!.toUpperCase();
      const value = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
      if (name.endsWith('API_KEY') || name === 'APIKEY') apiKey = value;
      else if (name.endsWith('API_SECRET') || name === 'SECRET' || name.endsWith('SECRET_KEY')) secret = value;
    }
  }
  if (apiKey === undefined || apiKey === '' || secret === undefined || secret === '') {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      `secrets file ${path} must define both the API key and the secret (JSON { "apiKey", "secret" } or API_KEY= and API_SECRET= lines)`,
    );
  }
  return ExchangeCredentials.of(apiKey, secret);
}
