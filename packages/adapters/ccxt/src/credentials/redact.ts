/**
 * Replaces every occurrence of each secret in `text` with `***`. Secrets shorter than 4 characters are ignored
 * (they would blank out ordinary words).
 *
 * @example
 * ```ts
 * redact('bad key abc123xyz', ['abc123xyz']); // 'bad key ***'
 * ```
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  const sorted = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of sorted) out = out.split(s).join('***');
  return out;
}
