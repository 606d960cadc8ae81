import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isQuantumTraderError } from '@quantum-trader/core';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig, isoDateToMillis, loadConfig, type RunnerConfigInput } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'qt-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: unknown, name = `config-${++n}.json`): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

function configError(path: string | undefined, overrides?: RunnerConfigInput): string {
  try {
    loadConfig(path, overrides, { overridesLabel: 'command line' });
  } catch (err) {
    if (isQuantumTraderError(err, 'CONFIG_INVALID')) return err.message;
    throw err;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('defaultConfig', () => {
  it('holds the documented defaults', () => {
    expect(defaultConfig).toEqual({
      mode: 'paper',
      symbols: ['BTC/USDT', 'ETH/USDT', 'BNB/USDT'],
      marketType: 'linear',
      timeframe: '5m',
      data: {},
      initialBalance: 10_000,
      strategy: { name: 'momentum-24h', params: { lookbackHours: 24, longThreshold: 0.01, shortThreshold: -0.01 } },
      cycleSeconds: 60,
      portfolioSyncSeconds: 30,
      risk: {
        maxNotionalPerTrade: 1000,
        maxLeverage: 10,
        leverage: 1,
        maxOpenPositions: 3,
        cooldownMinutes: 60,
        dailyLossLimit: 300,
      },
      exits: { profile: 'STANDARD_LADDER', stopLossPct: 0.02 },
      exchange: { slippageBps: 2, intrabar: 'conservative' },
      clm: {
        enabled: false,
        trainer: 'gbdt',
        gbdt: {},
        logistic: {},
        schedule: { firstRunDelayHours: 1, intervalHours: 168, minSamples: 100 },
        gate: { metric: 'auc' },
        serving: { mode: 'champion', k: 3 },
        registry: { keep: 10 },
      },
      db: '.quantum-trader/paper.sqlite',
      logDir: '.quantum-trader/logs',
      logLevel: 'info',
    });
  });

  it('is what loadConfig returns with no file and no overrides', () => {
    expect(loadConfig()).toEqual(defaultConfig);
  });

  it('is frozen, so nothing downstream can change the validated config', () => {
    expect(Object.isFrozen(defaultConfig)).toBe(true);
    expect(Object.isFrozen(defaultConfig.risk)).toBe(true);
  });
});

describe('loadConfig with a valid file', () => {
  it('fills every field the file leaves out with its default', () => {
    const config = loadConfig(
      file({
        symbols: ['ETH/USDT'],
        marketType: 'spot',
        from: '2021-03-01',
        to: '2021-03-08T12:00:00Z',
        risk: { maxNotionalPerTrade: 500, leverage: 3 },
        strategy: { params: { longThreshold: 0.02 } },
      }),
    );
    expect(config.symbols).toEqual(['ETH/USDT']);
    expect(config.marketType).toBe('spot');
    expect(config.risk).toEqual({ ...defaultConfig.risk, maxNotionalPerTrade: 500, leverage: 3 });
    expect(config.strategy.params).toEqual({ lookbackHours: 24, longThreshold: 0.02, shortThreshold: -0.01 });
    expect(config.exits).toEqual(defaultConfig.exits);
    expect(config.from).toBe('2021-03-01');
  });

  it('resolves relative paths in the file against the file’s folder', () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const config = loadConfig(file({ db: 'out/run.sqlite', logDir: 'logs', data: { files: ['btc.csv'] } }, 'sub/paths.json'));
    expect(config.db).toBe(join(dir, 'sub', 'out', 'run.sqlite'));
    expect(config.logDir).toBe(join(dir, 'sub', 'logs'));
    expect(config.data.files).toEqual([join(dir, 'sub', 'btc.csv')]);
  });

  it('reads the live section, resolving its SQLite path and keys file against the file’s folder', () => {
    const config = loadConfig(file({ live: { mode: 'demo', db: 'live.sqlite', keysFile: 'keys.json', redis: 'redis://127.0.0.1:6379/2' } }, 'sub/live.json'));
    expect(config.live).toMatchObject({ mode: 'demo', db: join(dir, 'sub', 'live.sqlite'), keysFile: join(dir, 'sub', 'keys.json'), redis: 'redis://127.0.0.1:6379/2' });
    const pg = loadConfig(file({ live: { db: 'postgres://bot@db/trading?schema=eth_bot' } }));
    expect(pg.live?.db).toBe('postgres://bot@db/trading?schema=eth_bot');
  });

  it('lets overrides win over the file, merging objects key by key and ignoring undefined', () => {
    const config = loadConfig(file({ symbols: ['ETH/USDT'], risk: { leverage: 2 } }), {
      symbols: ['BTC/USDT', 'BNB/USDT'],
      risk: { maxOpenPositions: 1 },
      from: undefined,
      db: 'x.sqlite',
    });
    expect(config.symbols).toEqual(['BTC/USDT', 'BNB/USDT']);
    expect(config.risk.leverage).toBe(2);
    expect(config.risk.maxOpenPositions).toBe(1);
    expect(config.db).toBe('x.sqlite');
  });

  it('accepts an explicit perpetual symbol on linear markets', () => {
    expect(loadConfig(undefined, { symbols: ['BTC/USDT:USDT'] }).symbols).toEqual(['BTC/USDT:USDT']);
  });
});

describe('loadConfig refuses bad input with CONFIG_INVALID naming the file and the field', () => {
  it.each<[string, unknown, string]>([
    ['a risk limit ≤ 0', { risk: { maxNotionalPerTrade: -5 } }, 'risk.maxNotionalPerTrade: expected a number > 0, received -5'],
    ['a zero daily loss limit', { risk: { dailyLossLimit: 0 } }, 'risk.dailyLossLimit: expected a number > 0, received 0'],
    ['a zero cooldown', { risk: { cooldownMinutes: 0 } }, 'risk.cooldownMinutes: expected a number > 0, received 0'],
    ['a fractional position count', { risk: { maxOpenPositions: 1.5 } }, 'risk.maxOpenPositions: expected an integer, received 1.5'],
    ['a wrong type', { risk: { maxLeverage: '10' } }, 'risk.maxLeverage: expected a number, received "10"'],
    ['leverage above max leverage', { risk: { leverage: 20 } }, 'risk.leverage: expected a leverage ≤ risk.maxLeverage (10), received 20'],
    ['max leverage above 125', { risk: { maxLeverage: 200 } }, 'risk.maxLeverage: expected a number ≤ 125, received 200'],
    ['a positive short threshold', { strategy: { params: { shortThreshold: 0.01 } } }, 'strategy.params.shortThreshold: expected a number < 0, received 0.01'],
    ['a negative long threshold', { strategy: { params: { longThreshold: -0.01 } } }, 'strategy.params.longThreshold: expected a number > 0, received -0.01'],
    ['an unknown strategy', { strategy: { name: 'rsi' } }, 'strategy.name: expected "momentum-24h", received "rsi"'],
    ['a lower-case symbol', { symbols: ['btc/usdt'] }, 'symbols[0]: expected a ccxt unified symbol such as "BTC/USDT", received "btc/usdt"'],
    ['a symbol without quote', { symbols: ['BTC/USDT', 'ETHUSDT'] }, 'symbols[1]: expected a ccxt unified symbol such as "BTC/USDT", received "ETHUSDT"'],
    ['no symbols', { symbols: [] }, 'symbols: expected at least 1 item, received an array (0 items)'],
    ['a duplicate symbol', { symbols: ['BTC/USDT', 'BTC/USDT:USDT'] }, 'symbols[1]: expected each symbol once (symbols[0] is the same market), received "BTC/USDT:USDT"'],
    ['a perpetual on spot', { marketType: 'spot', symbols: ['BTC/USDT:USDT'] }, 'symbols[0]: expected a spot symbol without ":SETTLE"'],
    ['an unknown market type', { marketType: 'inverse' }, 'marketType: expected one of "linear", "spot", received "inverse"'],
    ['an unknown timeframe', { timeframe: '2m' }, 'timeframe: expected one of "1m", "5m", "15m", "1h", "4h", "1d", received "2m"'],
    ['live mode', { mode: 'live' }, 'mode: expected "paper", received "live"'],
    ['an impossible date', { from: '2021-02-30' }, 'from: expected an ISO date such as "2021-03-01" or "2021-03-01T12:00:00Z", received "2021-02-30"'],
    ['a range that ends before it starts', { from: '2021-03-01', to: '2021-02-01' }, 'to: expected a date after from (2021-03-01), received "2021-02-01"'],
    ['a negative balance', { initialBalance: -1 }, 'initialBalance: expected a number > 0, received -1'],
    ['a stop loss of 100 %', { exits: { stopLossPct: 1 } }, 'exits.stopLossPct: expected a number < 1, received 1'],
    ['an unknown exit profile', { exits: { profile: 'YOLO' } }, 'exits.profile: expected "STANDARD_LADDER", received "YOLO"'],
    ['negative slippage', { exchange: { slippageBps: -1 } }, 'exchange.slippageBps: expected a number ≥ 0, received -1'],
    ['an empty data file list', { data: { files: [] } }, 'data.files: expected at least 1 item, received an array (0 items)'],
    ['a bad log level', { logLevel: 'loud' }, 'logLevel: expected one of "fatal", "error", "warn", "info", "debug", "trace", "silent", received "loud"'],
    ['a null section', { risk: null }, 'risk: expected an object, received null'],
    ['an unknown top-level key', { symbol: ['BTC/USDT'] }, 'symbol: unknown key (did you mean "symbols"?); allowed here: mode, symbols,'],
    ['an unknown nested key', { risk: { maxLeverge: 3 } }, 'risk.maxLeverge: unknown key (did you mean "maxLeverage"?); allowed here: maxNotionalPerTrade,'],
    ['an unrelated unknown key', { exits: { colour: 'red' } }, 'exits.colour: unknown key (check its spelling, or remove it); allowed here: profile, stopLossPct'],
    ['funding on spot', { marketType: 'spot', exchange: { fundingRate: 0.0001 } }, 'exchange.fundingRate: expected no funding rate on spot (marketType is "spot"; funding is paid on perpetuals), received 0.0001'],
    ['a funding rate of 10 %', { exchange: { fundingRate: 0.1 } }, 'exchange.fundingRate: expected a number < 0.1, received 0.1'],
    ['an unknown venue mode', { live: { mode: 'prod' } }, 'live.mode: expected one of "testnet", "demo", "mainnet", received "prod"'],
    ['a PostgreSQL schema that is not an identifier (the password not shown)', { live: { db: 'postgres://bot:s3cret@db/trading?schema=my-bot' } }, 'live.db: expected a plain identifier after ?schema= (letters, digits and _, not starting with a digit, at most 63 characters), not "my-bot", received "postgres://***@db/trading?schema=my-bot"'],
    ['the mainnet decision in the file', { live: { confirmMainnet: true } }, 'live.confirmMainnet: unknown key'],
  ])('%s', (_name, content, expected) => {
    const path = file(content);
    const message = configError(path);
    expect(message).toContain(`${path}: ${expected}`);
  });

  it('lists every bad field, one line each', () => {
    const path = file({ risk: { maxNotionalPerTrade: 0, maxLeverage: -1 }, cycleSeconds: 'often' });
    expect(configError(path).split('\n')).toEqual([
      `${path}: cycleSeconds: expected a number, received "often"`,
      `${path}: risk.maxNotionalPerTrade: expected a number > 0, received 0`,
      `${path}: risk.maxLeverage: expected a number > 0, received -1`,
    ]);
  });

  it('reports broken fields without tripping the cross-field checks', () => {
    const path = file({ symbols: 'BTC/USDT', from: 7, to: '2021-01-01', risk: { leverage: 'x', maxLeverage: 5 } });
    expect(configError(path).split('\n')).toEqual([
      `${path}: symbols: expected an array, received "BTC/USDT"`,
      `${path}: from: expected a string, received 7`,
      `${path}: risk.leverage: expected a number, received "x"`,
    ]);
  });

  it('names a missing file', () => {
    const path = join(dir, 'missing.json');
    expect(configError(path)).toBe(`${path}: no such config file (check the --config path)`);
  });

  it('names the line and column of malformed JSON', () => {
    const path = file('{\n  "risk": {\n    "leverage": 2,\n  }\n}\n');
    expect(configError(path)).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON \\(line 4, column 3: `));
  });

  it('refuses a file that is not a JSON object', () => {
    const path = file('[1, 2]');
    expect(configError(path)).toBe(`${path}: expected a JSON object at the top level, received an array`);
  });

  it('refuses YAML with a hint to use JSON', () => {
    const path = file('risk:\n  leverage: 2\n', 'config.yaml');
    expect(configError(path)).toContain(`${path}: YAML config files are not supported yet`);
  });

  it('names the overrides when only they are wrong', () => {
    const path = file({ from: '2021-03-01' });
    expect(configError(path, { to: '2021-01-01' })).toBe('command line: to: expected a date after from (2021-03-01), received "2021-01-01"');
    expect(configError(undefined, { symbols: ['nope'] })).toBe(
      'command line: symbols[0]: expected a ccxt unified symbol such as "BTC/USDT", received "nope"',
    );
  });
});

describe('isoDateToMillis', () => {
  it.each([
    ['2021-01-01', Date.UTC(2021, 0, 1)],
    ['2021-01-01T12:30', Date.UTC(2021, 0, 1, 12, 30)],
    ['2021-01-01T12:30:15.5Z', Date.UTC(2021, 0, 1, 12, 30, 15, 500)],
    ['2021-01-01T14:30:00+02:00', Date.UTC(2021, 0, 1, 12, 30)],
    ['2021-01-01T10:30:00-02:00', Date.UTC(2021, 0, 1, 12, 30)],
  ])('reads %s as UTC unless a zone is given', (text, expected) => {
    expect(isoDateToMillis(text)).toBe(expected);
  });

  it.each(['2021-02-30', '2021-13-01', '2021-1-1', '01/02/2021', '2021-01-01T24:00', 'yesterday', ''])('refuses %j', (text) => {
    expect(isoDateToMillis(text)).toBeUndefined();
  });
});
