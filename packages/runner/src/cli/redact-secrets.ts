// Names of environment variables whose values must never be printed.
const SECRET_NAME = /KEY|SECRET|PASSWORD|PASSPHRASE|TOKEN/i;
// Values this short would blank out ordinary words and numbers; real secrets are longer.
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every value of an environment variable whose name contains KEY, SECRET, PASSWORD, PASSPHRASE or TOKEN
 * with `***`, so an error message can be printed or logged without leaking credentials.
 *
 * @example
 * ```ts
 * import { redactSecrets } from '@quantum-trader/runner';
 *
 * redactSecrets('auth failed for key abc123xyz', { BINANCE_API_KEY: 'abc123xyz' }); // 'auth failed for key ***'
 * ```
 */
export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const secrets = Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= MIN_SECRET_LENGTH)
    .map(([, value]) => value!)
    // longest first, so a secret that contains another is replaced whole
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}
