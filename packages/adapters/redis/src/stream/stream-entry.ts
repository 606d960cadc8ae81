/** One message as this package stores it in a stream: the message's own `id` and its JSON `data`. */
export interface StreamEntry {
  /** The entry's stream id (`1700000000000-0`). */
  readonly streamId: string;
  /** The message's id (intent id, event id). */
  readonly id: string;
  readonly data: string;
}

/** Entries of a reply, and the ids of pending entries whose message was deleted (trimmed) meanwhile. */
export interface ParsedEntries {
  readonly entries: StreamEntry[];
  readonly deleted: string[];
  /** The last stream id of the reply, deleted or not. */
  last: string | undefined;
}

// Replies are RESP2 arrays as ioredis returns them: entry = [streamId, [field, value, …] | null].
function parseEntryList(raw: unknown, into: ParsedEntries): void {
  if (!Array.isArray(raw)) return;
  for (const item of raw as unknown[]) {
    if (!Array.isArray(item)) continue;
    const streamId = String(item[0]);
    into.last = streamId;
    const fields = item[1];
    if (!Array.isArray(fields)) {
      into.deleted.push(streamId);
      continue;
    }
    let id = '';
    let data = '';
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const f = fields[i];
      if (f === 'id') id = String(fields[i + 1]);
      else if (f === 'data') data = String(fields[i + 1]);
    }
    into.entries.push({ streamId, id, data });
  }
}

/** Parses `XREADGROUP … STREAMS key id` for one stream (null when `BLOCK` timed out). */
export function parseReadGroupReply(raw: unknown): ParsedEntries {
  const out: ParsedEntries = { entries: [], deleted: [], last: undefined };
  if (!Array.isArray(raw)) return out;
  for (const stream of raw as unknown[]) if (Array.isArray(stream)) parseEntryList(stream[1], out);
  return out;
}

/** Parses `XAUTOCLAIM`: `[nextCursor, entries, deletedIds]`. */
export function parseAutoClaimReply(raw: unknown): ParsedEntries & { readonly cursor: string } {
  const reply = Array.isArray(raw) ? (raw as unknown[]) : [];
  const out: ParsedEntries = { entries: [], deleted: [], last: undefined };
  parseEntryList(reply[1], out);
  if (Array.isArray(reply[2])) for (const id of reply[2] as unknown[]) out.deleted.push(String(id));
  return { ...out, cursor: reply[0] === undefined ? '0-0' : String(reply[0]) };
}

/** Parses the extended `XPENDING key group start end count [consumer]` into delivery counts by stream id. */
export function parsePendingCounts(raw: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  if (!Array.isArray(raw)) return counts;
  for (const row of raw as unknown[]) if (Array.isArray(row)) counts.set(String(row[0]), Number(row[3]));
  return counts;
}

/** Parses `XRANGE` entries into field maps. */
export function parseRangeReply(raw: unknown): Array<{ streamId: string; fields: Map<string, string> }> {
  const out: Array<{ streamId: string; fields: Map<string, string> }> = [];
  if (!Array.isArray(raw)) return out;
  for (const item of raw as unknown[]) {
    if (!Array.isArray(item) || !Array.isArray(item[1])) continue;
    const list = item[1] as unknown[];
    const fields = new Map<string, string>();
    for (let i = 0; i + 1 < list.length; i += 2) fields.set(String(list[i]), String(list[i + 1]));
    out.push({ streamId: String(item[0]), fields });
  }
  return out;
}
