import type * as z from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * Turns zod issues into one line each, `<source>: <field path>: expected …, received …`, for a person to act on.
 * Given the schema, an unknown key is answered with the keys allowed at that place and the closest one.
 *
 * @example
 * ```ts
 * import { formatConfigIssues, runnerConfigSchema } from '@quantum-trader/runner';
 *
 * const result = runnerConfigSchema.safeParse({ risk: { maxNotionalPerTrade: -5 } }, { reportInput: true });
 * if (!result.success) formatConfigIssues('config.json', result.error.issues, runnerConfigSchema);
 * // ['config.json: risk.maxNotionalPerTrade: expected a number > 0, received -5']
 * ```
 */
export function formatConfigIssues(source: string, issues: readonly Issue[], schema?: z.ZodType): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = schema === undefined ? [] : knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const hint = closest(key, known);
        const advice = hint === undefined ? 'check its spelling, or remove it' : `did you mean "${hint}"?`;
        const allowed = known.length > 0 ? `; allowed here: ${known.join(', ')}` : '';
        lines.push(`${source}: ${formatPath([...issue.path, key])}: unknown key (${advice})${allowed}`);
      }
      continue;
    }
    const where = issue.path.length === 0 ? '(top level)' : formatPath(issue.path);
    lines.push(`${source}: ${where}: ${expectedOf(issue)}, received ${describeValue(issue.input)}`);
  }
  return lines;
}

/**
 * Renders a zod path as a person writes it: `risk.maxLeverage`, `symbols[1]`.
 *
 * @example
 * ```ts
 * import { formatPath } from '@quantum-trader/runner';
 *
 * formatPath(['data', 'files', 0]); // 'data.files[0]'
 * ```
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function expectedOf(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${withArticle(issue.expected === 'int' ? 'integer' : issue.expected)}`;
    case 'too_small':
      return `expected ${boundText(issue.origin, issue.inclusive ? '≥' : '>', issue.minimum, 'at least')}`;
    case 'too_big':
      return `expected ${boundText(issue.origin, issue.inclusive ? '≤' : '<', issue.maximum, 'at most')}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    default:
      // custom refinements and formats carry their own "expected …" message
      return issue.message.startsWith('expected') ? issue.message : `expected ${issue.message}`;
  }
}

function boundText(origin: string, op: string, bound: number | bigint, words: string): string {
  switch (origin) {
    case 'array':
    case 'set':
      return `${words} ${String(bound)} item${bound === 1 ? '' : 's'}`;
    case 'string':
      return bound === 1 && op === '≥' ? 'a non-empty string' : `a string of ${words} ${String(bound)} characters`;
    default:
      return `a number ${op} ${String(bound)}`;
  }
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  // a URL's user:password (a PostgreSQL or Redis URL) never reaches an error message
  if (typeof value === 'string') return JSON.stringify(value.replace(/\/\/[^@/\s]*@/g, '//***@'));
  if (Array.isArray(value)) return `an array (${value.length} item${value.length === 1 ? '' : 's'})`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

interface DefLike {
  readonly type?: string;
  readonly innerType?: unknown;
  readonly in?: unknown;
  readonly shape?: Record<string, unknown>;
}

// Walks wrappers (default, optional, readonly, …) down `path` to the object schema there and lists its keys.
function knownKeysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  let i = 0;
  for (let guard = 0; guard < 64; guard++) {
    const def = (node as { _zod?: { def?: DefLike } } | undefined)?._zod?.def;
    if (def === undefined) return [];
    if (def.innerType !== undefined) node = def.innerType;
    else if (def.type === 'pipe') node = def.in;
    else if (def.type === 'object' && def.shape !== undefined) {
      if (i === path.length) return Object.keys(def.shape);
      node = def.shape[String(path[i++])];
    } else return [];
  }
  return [];
}

function closest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(key.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}
