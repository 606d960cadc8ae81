import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { symbolId } from '@quantum-trader/core';
import { afterAll, describe, expect, it } from 'vitest';
import { main, parsePort, parseSpeed, type CliDeps } from '../../src/cli/main.js';
import { redactSecrets } from '../../src/cli/redact-secrets.js';
import type { PaperRunSummary } from '../../src/paper/paper-types.js';
import type { RunPaperOptions } from '../../src/paper/run-paper.js';

const dir = mkdtempSync(join(tmpdir(), 'qt-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Harness {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: RunPaperOptions[];
}

let n = 0;
async function cli(
  args: string[],
  runPaper?: (o: RunPaperOptions) => Promise<PaperRunSummary>,
  env: NodeJS.ProcessEnv = {},
): Promise<Harness> {
  let stdout = '';
  let stderr = '';
  const calls: RunPaperOptions[] = [];
  const work = join(dir, `run-${++n}`);
  const deps: CliDeps = {
    runPaper: async (o) => {
      calls.push(o);
      return (runPaper ?? fakeRun)(o);
    },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
  };
  // keep logs and journals of every run inside the temp folder
  const config = join(work + '.json');
  writeFileSync(config, JSON.stringify({ logDir: `run-${n}/logs`, db: `run-${n}/paper.sqlite` }));
  const withConfig = args.includes('--config') || args[0] !== 'run' ? args : [...args, '--config', config];
  const code = await main(withConfig, deps);
  return { code, stdout, stderr, calls };
}

async function fakeRun(o: RunPaperOptions): Promise<PaperRunSummary> {
  const from = o.data[0]!.candles[0]!.ts;
  const to = o.data[0]!.candles.at(-1)!.ts;
  for (let i = 0; i <= 4; i++) {
    o.onProgress?.({ now: from + ((to - from) * i) / 4, from, to, fraction: i / 4, closedTrades: i, equity: 10_000 + i });
  }
  o.logger.child({ service: 'risk' }).warn({ symbol: 'BTC/USDT:USDT' }, 'order denied: max notional');
  o.logger.child({ service: 'signals' }).info('signal');
  return {
    from,
    to,
    trades: 2,
    wins: 1,
    losses: 1,
    winRate: 0.5,
    realizedPnl: 12.5,
    unrealizedPnl: 0,
    funding: 0,
    initialBalance: o.config.initialBalance,
    finalEquity: 10_012.5,
    maxDrawdown: 0.01,
    openPositions: 0,
    ordersDenied: 1,
    events: 42,
    dbPath: o.dbPath,
    perSymbol: o.data.map((d) => ({ symbol: d.symbol, trades: 1, winRate: 0.5, realizedPnl: 6.25 })),
  };
}

describe('quantum-trader run --paper', () => {
  it('loads config and data, calls runPaper, and prints the summary and the journal path', async () => {
    const r = await cli(['run', '--paper', '--symbols', 'BTC/USDT,ETH/USDT', '--from', '2021-03-01', '--to', '2021-03-03', '--speed', '3600']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.calls).toHaveLength(1);
    const call = r.calls[0]!;
    expect(call.config.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(call.data.map((d) => [d.symbol, d.candles.length])).toEqual([
      ['BTC/USDT:USDT', 576],
      ['ETH/USDT:USDT', 576],
    ]);
    expect(call.speed).toBe(3600);
    expect(call.dbPath).toBe(join(dir, `run-${n}`, 'paper.sqlite'));
    expect(r.stdout).toContain('│ Trades (closed)       │');
    expect(r.stdout).toContain('│ BTC/USDT:USDT │');
    expect(r.stdout).toContain(`SQLite journal: ${call.dbPath}`);
  });

  it('prints plain progress lines when stderr is not a terminal, and warnings as readable lines', async () => {
    const r = await cli(['run', '--paper', '--symbols', 'BTC/USDT', '--from', '2021-03-01', '--to', '2021-03-02']);
    const progress = r.stderr.split('\n').filter((l) => l.startsWith('progress'));
    expect(progress).toEqual([
      'progress   0% | 2021-03-01 00:00 | trades 0 | equity 10,000.00',
      'progress  25% | 2021-03-01 05:58 | trades 1 | equity 10,001.00',
      'progress  50% | 2021-03-01 11:57 | trades 2 | equity 10,002.00',
      'progress  75% | 2021-03-01 17:56 | trades 3 | equity 10,003.00',
      'progress 100% | 2021-03-01 23:55 | trades 4 | equity 10,004.00',
    ]);
    expect(r.stderr).toContain('warn [risk] order denied: max notional\n');
  });

  it('writes JSON-line logs per service to <logDir>/quantum-trader.log', async () => {
    const r = await cli(['run', '--paper', '--symbols', 'BNB/USDT', '--from', '2021-03-01', '--to', '2021-03-02']);
    expect(r.code).toBe(0);
    const file = join(dir, `run-${n}`, 'logs', 'quantum-trader.log');
    await new Promise((done) => setTimeout(done, 50));
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l['service'] === 'risk')).toMatchObject({ level: 40, msg: 'order denied: max notional' });
    expect(lines.find((l) => l['service'] === 'signals')).toMatchObject({ level: 30, msg: 'signal' });
    expect(lines.some((l) => l['msg'] === 'paper run summary')).toBe(true);
    expect(r.stdout).toContain(`Log file:       ${file}`);
  });

  it('infers the symbols from --data file names when --symbols is not given', async () => {
    const file = join(dir, 'SOLUSDT-5m.csv');
    writeFileSync(file, 'ts,open,high,low,close,volume\n1614556800000,10,11,9,10.5,1\n1614557100000,10.5,11,10,10.8,2\n');
    const r = await cli(['run', '--paper', '--data', file]);
    expect(r.stderr).not.toContain('error');
    expect(r.calls[0]!.data.map((d) => [d.symbol, d.source])).toEqual([[symbolId('SOL/USDT:USDT'), file]]);
  });
});

describe('bad input exits 2 with one clear line and writes nothing', () => {
  it.each<[string, string[], string]>([
    ['a risk limit ≤ 0 in the config', ['run', '--paper', '--config', 'BAD'], 'risk.maxNotionalPerTrade: expected a number > 0, received -5'],
    ['a missing config file', ['run', '--paper', '--config', join(dir, 'nope.json')], `error: ${join(dir, 'nope.json')}: no such config file`],
    ['a bad symbol flag', ['run', '--paper', '--symbols', 'BTCUSDT'], 'error: command line: symbols[0]: expected a ccxt unified symbol such as "BTC/USDT", received "BTCUSDT"'],
    ['an unknown symbol', ['run', '--paper', '--symbols', 'DOGE/USDT'], 'error: no candle data for DOGE/USDT (5m): bundled 5m data covers'],
    ['a bad date', ['run', '--paper', '--from', 'yesterday'], 'error: command line: from: expected an ISO date'],
    ['a missing data file', ['run', '--paper', '--data', join(dir, 'BTCUSDT-none.csv')], `error: ${join(dir, 'BTCUSDT-none.csv')}: no such file`],
    ['a data file of no known symbol', ['run', '--paper', '--data', join(dir, 'prices.csv')], 'error: command line: cannot tell which symbol each --data file holds'],
    ['a bad speed', ['run', '--paper', '--speed', 'fast'], "error: option '--speed <factor|max>' argument 'fast' is invalid"],
    ['a bad --http port', ['run', '--paper', '--http', '70000'], "error: option '--http [port]' argument '70000' is invalid"],
    ['an unknown flag', ['run', '--paper', '--bogus'], "error: unknown option '--bogus'"],
    ['a bad log level', ['run', '--paper', '--log-level', 'loud'], "error: option '--log-level <level>' argument 'loud' is invalid"],
    ['no --paper', ['run'], 'error: only paper trading is available in this version'],
    ['an unknown command', ['trade'], "error: unknown command 'trade'"],
  ])('%s', async (_name, args, expected) => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ risk: { maxNotionalPerTrade: -5 } }));
    const r = await cli(args.map((a) => (a === 'BAD' ? bad : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.calls).toHaveLength(0);
    expect(existsSync(join(dir, `run-${n}`))).toBe(false);
  });
});

describe('failures and secrets', () => {
  it('exits 1 on an unexpected error, printing the message only and pointing at the log', async () => {
    const r = await cli(['run', '--paper', '--symbols', 'BTC/USDT', '--from', '2021-03-01', '--to', '2021-03-02'], async () => {
      throw new Error('disk on fire');
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: disk on fire\n(details in ');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('redacts the values of secret environment variables from every error it prints', async () => {
    const env = { BINANCE_API_KEY: 'k3y-abcdef', EXCHANGE_SECRET: 's3cr3t-xyz', HOME: '/root' };
    const r = await cli(
      ['run', '--paper', '--symbols', 'BTC/USDT', '--from', '2021-03-01', '--to', '2021-03-02'],
      async () => {
        throw new Error('auth failed: apiKey=k3y-abcdef secret=s3cr3t-xyz home=/root');
      },
      env,
    );
    expect(r.stderr).toContain('error: auth failed: apiKey=*** secret=*** home=/root');
    expect(r.stderr).not.toContain('k3y-abcdef');
  });

  it('redactSecrets only touches variables named like secrets', () => {
    const env = { DB_PASSWORD: 'hunter22', GITHUB_TOKEN: 'ghp_123456', PATH: '/usr/bin', SHORT_KEY: 'ab' };
    expect(redactSecrets('pw hunter22 tok ghp_123456 path /usr/bin ab', env)).toBe('pw *** tok *** path /usr/bin ab');
  });
});

describe('help and parsing', () => {
  it('prints help for --help and exits 0', async () => {
    const r = await cli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: quantum-trader run [options]');
    expect(r.stdout).toContain('--speed <factor|max>');
  });

  it('parses --speed', () => {
    expect(parseSpeed('max')).toBe('max');
    expect(parseSpeed('60')).toBe(60);
    expect(() => parseSpeed('0')).toThrow(/expected a number > 0/);
    expect(() => parseSpeed('-1')).toThrow(/expected a number > 0/);
  });

  it('parses --http [port] and --clm', async () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('9090')).toBe(9090);
    expect(() => parsePort('http')).toThrow(/expected a port number/);
    const r = await cli(['run', '--paper', '--clm', '--http']);
    expect(r.code).toBe(0);
    expect(r.calls[0]?.config.clm.enabled).toBe(true);
    expect(r.calls[0]?.http?.port).toBe(8080);
    const off = await cli(['run', '--paper']);
    expect(off.calls[0]?.config.clm.enabled).toBe(false);
    expect(off.calls[0]?.http).toBeUndefined();
  });
});
