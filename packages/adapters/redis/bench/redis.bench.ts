// Redis event bus end-to-end messages/s (publish → consume → ack committed) against the same work done with raw
// ioredis XADD + XREADGROUP + XACK, in the same run on the same server. Prints one JSON object.
// Run: npx tsx packages/adapters/redis/bench/redis.bench.ts [messages=10000] [rounds=5]
// Server: REDIS_URL (default redis://127.0.0.1:6379). Keys live under a unique prefix and are deleted afterwards.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { PortfolioSnapshotTaken } from '@quantum-trader/core';
import { RedisEventBus } from '../src/index.js';

const messages = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 5);
/** The bus's default prefetch; the raw consumer reads as many per XREADGROUP. */
const batch = 256;
const target = 1.5;
const prefix = `qt-bench:${randomBytes(4).toString('hex')}`;

function event(n: number): PortfolioSnapshotTaken {
  return {
    id: `PortfolioSnapshotTaken:${1_617_235_200_000 + n}`,
    type: 'PortfolioSnapshotTaken',
    ts: 1_617_235_200_000 + n,
    equity: 10_000 + n / 7,
    balance: 10_000,
    unrealizedPnl: n / 7,
    realizedPnl: 12.5,
    openPositions: 2,
    drawdown: 0.013,
  };
}
const events = Array.from({ length: messages }, (_, i) => event(i));

const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

/**
 * The hand-written baseline: XADD every event (pipelined), one consumer reading `batch` at a time with
 * XREADGROUP BLOCK, decoding each entry, and acking each read with one XACK without waiting for it.
 */
async function raw(round: number, decode: boolean): Promise<number> {
  const key = `{${prefix}}:raw-${decode ? 'decode' : 'plain'}-${round}`;
  await client.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
  const reader = client.duplicate();
  const start = performance.now();
  const consumed = (async () => {
    const acks: Array<Promise<number>> = [];
    let got = 0;
    let sink = 0;
    while (got < messages) {
      const reply = await reader.xreadgroup('GROUP', 'g', 'c', 'COUNT', batch, 'BLOCK', 1_000, 'STREAMS', key, '>');
      const entries = (reply as Array<[string, Array<[string, string[]]>]> | null)?.[0]?.[1] ?? [];
      if (entries.length === 0) continue;
      const ids: string[] = [];
      for (const [id, fields] of entries) {
        if (decode) sink += (JSON.parse(fields[5]!) as PortfolioSnapshotTaken).ts;
        ids.push(id);
      }
      acks.push(client.xack(key, 'g', ...ids));
      got += entries.length;
    }
    await Promise.all(acks);
    return sink;
  })();
  await Promise.all(
    events.map((e) => client.xadd(key, 'MAXLEN', '~', 100_000, '*', 'id', e.id, 'type', e.type, 'data', JSON.stringify(e))),
  );
  await consumed;
  const seconds = (performance.now() - start) / 1_000;
  reader.disconnect();
  return messages / seconds;
}

/** The same through RedisEventBus: publish, subscribe, ack each delivery; done when the last ack is committed. */
async function bus(round: number): Promise<number> {
  const b = new RedisEventBus<PortfolioSnapshotTaken>({ client, prefix: `${prefix}:bus-${round}`, prefetch: batch });
  await b.ensureGroup('g');
  let acked = 0;
  let done!: () => void;
  let failed!: (err: unknown) => void;
  const allAcked = new Promise<void>((resolve, reject) => ((done = resolve), (failed = reject)));
  const start = performance.now();
  const sub = b.subscribe('g').subscribe({
    next: (d) => {
      (d.ack() as Promise<void>).then(() => {
        if (++acked === messages) done();
      }, failed);
    },
    error: failed,
  });
  await b.publish(events);
  await allAcked;
  const seconds = (performance.now() - start) / 1_000;
  sub.unsubscribe();
  return messages / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  // Warm-up: JIT, connections, script and key creation.
  await raw(-1, true);
  await bus(-1);
  const rawRates: number[] = [];
  const rawPlainRates: number[] = [];
  const busRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so that neither side always runs on a warmer server.
    if (r % 2 === 0) {
      rawRates.push(await raw(r, true));
      busRates.push(await bus(r));
    } else {
      busRates.push(await bus(r));
      rawRates.push(await raw(r, true));
    }
    rawPlainRates.push(await raw(r, false));
  }
  const info = await client.info('server');
  const rawRate = median(rawRates);
  const busRate = median(busRates);
  const rawPlainRate = median(rawPlainRates);
  const ratio = rawRate / busRate;
  console.log(
    JSON.stringify(
      {
        bench: 'redis-bus-end-to-end',
        messages,
        rounds,
        payloadBytes: JSON.stringify(events[0]).length,
        redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
        busMessagesPerSec: Math.round(busRate),
        rawMessagesPerSec: Math.round(rawRate),
        ratio: Number(ratio.toFixed(3)),
        target,
        pass: ratio <= target,
        rawWithoutDecodeMessagesPerSec: Math.round(rawPlainRate),
        ratioVsRawWithoutDecode: Number((rawPlainRate / busRate).toFixed(3)),
        note: 'ratio = raw / bus, medians of the rounds; raw = pipelined XADD, XREADGROUP COUNT 256 BLOCK, JSON.parse, one XACK per read',
      },
      null,
      2,
    ),
  );
} finally {
  const keys = await client.keys(`{${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
}
