/**
 * What the stand-in does instead of (or after) answering a request.
 *
 * - `status`: answers with this HTTP status and a Binance error body (`429`/`418` carry `Retry-After`).
 * - `error`: answers with a Binance error code, e.g. `-2010`, `-2019`, `-1021`, `-4116` (HTTP 400 unless given).
 * - `timeout`: holds the answer for `delayMs` (default: never answers); with `afterProcessing` the request is
 *   carried out first, so the order exists although the client never hears about it.
 * - `drop-connection`: destroys the TCP connection without an answer (after processing, if asked).
 * - `body`: answers 200 with this JSON body instead of the real one (after processing, if asked): a venue whose
 *   answer lacks fields the client needs.
 */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly code?: number; readonly msg?: string; readonly retryAfterSec?: number; readonly text?: string }
  | { readonly kind: 'error'; readonly code: number; readonly msg: string; readonly status?: number }
  | { readonly kind: 'timeout'; readonly delayMs?: number; readonly afterProcessing?: boolean }
  | { readonly kind: 'drop-connection'; readonly afterProcessing?: boolean }
  | { readonly kind: 'body'; readonly body: unknown; readonly afterProcessing?: boolean };

/** A fault and the requests it applies to. */
export interface FaultRule {
  /** HTTP method to match (any if omitted). */
  readonly method?: string;
  /** Path to match: exact string (e.g. `/fapi/v1/order`) or a pattern. Any if omitted. */
  readonly path?: string | RegExp;
  readonly fault: Fault;
  /** How many matching requests it applies to (default 1; `Infinity` for all). */
  readonly times?: number;
}

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

/** The queue of injected faults; the first matching rule with uses left wins. */
export class FaultInjector {
  private readonly rules: ActiveRule[] = [];

  /** Adds a fault rule. */
  inject(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? 1 });
  }

  /** Removes every rule. */
  clear(): void {
    this.rules.length = 0;
  }

  /** Number of rules that still have uses left. */
  pending(): number {
    return this.rules.filter((r) => r.remaining > 0).length;
  }

  /** Takes the fault for a request, if a rule matches (consuming one use). */
  take(method: string, path: string): Fault | undefined {
    for (const r of this.rules) {
      if (r.remaining <= 0) continue;
      const { rule } = r;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path !== undefined) {
        const ok = typeof rule.path === 'string' ? rule.path === path : rule.path.test(path);
        if (!ok) continue;
      }
      r.remaining--;
      return rule.fault;
    }
    return undefined;
  }
}
