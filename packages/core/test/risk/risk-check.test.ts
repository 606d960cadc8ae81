import { describe, expect, it } from 'vitest';
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { SignalGenerated } from '../../src/model/events.js';
import { strategyId, symbolId, type SymbolId } from '../../src/model/ids.js';
import type { Instrument } from '../../src/model/instrument.js';
import { fixedNotionalSizer } from '../../src/risk/position-sizer.js';
import { riskCheck } from '../../src/risk/risk-check.js';
import { RiskEngine } from '../../src/risk/risk-engine.js';
import type { RiskContext, RiskRule } from '../../src/risk/risk-rule.js';
import { cooldownRule } from '../../src/risk/rules/cooldown-rule.js';
import { dailyLossLimitRule } from '../../src/risk/rules/daily-loss-limit-rule.js';
import { maxLeverageRule } from '../../src/risk/rules/max-leverage-rule.js';
import { maxNotionalRule } from '../../src/risk/rules/max-notional-rule.js';
import { maxOpenPositionsRule } from '../../src/risk/rules/max-open-positions-rule.js';
import { onePositionPerSymbolRule } from '../../src/risk/rules/one-position-per-symbol-rule.js';

const BTC = symbolId('BTC/USDT:USDT');
const ETH = symbolId('ETH/USDT:USDT');
const inst = (symbol: SymbolId, contractType: 'spot' | 'linear' = 'linear'): Instrument => ({
  symbol,
  base: symbol.split('/')[0]!,
  quote: 'USDT',
  contractType,
  tickSize: 0.01,
  lotStep: 0.001,
  minQty: 0.001,
  minNotional: 5,
  maxLeverage: 125,
  makerFee: 0.0002,
  takerFee: 0.0004,
});

function signal(ts: number, symbol: SymbolId = BTC, direction: 'long' | 'short' = 'long', price = 50_000): SignalGenerated {
  return {
    id: `sig-${ts}`,
    type: 'SignalGenerated',
    ts,
    strategyId: strategyId('momentum-24h'),
    symbol,
    direction,
    candleTs: ts,
    price,
    strength: 0.02,
    reason: 'test',
  };
}

interface Ctx {
  now: number;
  equity?: number;
  open?: SymbolId[];
  lastClosed?: Partial<Record<string, number>>;
  pnlToday?: number;
}
function ctx(c: Ctx): RiskContext {
  return {
    now: c.now,
    equity: c.equity ?? 10_000,
    openPositions: c.open?.length ?? 0,
    hasExposure: (s) => (c.open ?? []).includes(s),
    lastClosedAt: (s) => c.lastClosed?.[s],
    realizedPnlSince: () => c.pnlToday ?? 0,
  };
}

function engine(rules: RiskRule[], leverage = 1, contractType: 'spot' | 'linear' = 'linear'): RiskEngine {
  return new RiskEngine({ rules, sizer: fixedNotionalSizer(1000, leverage), leverage, instrument: (s) => inst(s, contractType) });
}

const userRules = (): RiskRule[] => [
  maxNotionalRule(1000),
  maxLeverageRule(10),
  onePositionPerSymbolRule(),
  maxOpenPositionsRule(2),
  cooldownRule(90_000),
  dailyLossLimitRule(300),
];

describe('risk engine', () => {
  it('approves a signal as an intent sized to the $1000 notional, with a deterministic id', () => {
    const d = engine(userRules()).assess(signal(1_000), ctx({ now: 1_000 }));
    expect(d.type).toBe('IntentCreated');
    if (d.type !== 'IntentCreated') return;
    expect(d.intent.id).toBe('momentum-24h|BTC/USDT:USDT|1000|buy');
    expect(d.intent.qty).toBe(0.02);
    expect(d.intent.qty * d.intent.refPrice).toBeLessThanOrEqual(1000);
  });

  it.each([
    ['max-leverage', engine(userRules(), 20), ctx({ now: 0 }), /leverage 20x exceeds the maximum of 10x/],
    ['one-position-per-symbol', engine(userRules()), ctx({ now: 0, open: [BTC] }), /already has an open position/],
    ['max-open-positions', engine(userRules()), ctx({ now: 0, open: [ETH, symbolId('BNB/USDT:USDT')] }), /2 positions open, the maximum is 2/],
    ['cooldown', engine(userRules()), ctx({ now: 60_000, lastClosed: { [BTC]: 0 } }), /cooling down for 1 more minute/],
    ['daily-loss-limit', engine(userRules()), ctx({ now: 0, pnlToday: -300 }), /daily limit of 300/],
    ['spot-no-short', engine(userRules(), 1, 'spot'), ctx({ now: 0 }), /spot market/],
  ])('refuses with an OrderDenied naming the %s rule', (rule, e, c, reason) => {
    const s = rule === 'spot-no-short' ? signal(0, BTC, 'short') : signal(0);
    const d = e.assess(s, c);
    expect(d.type).toBe('OrderDenied');
    if (d.type !== 'OrderDenied') return;
    expect(d.rule).toBe(rule);
    expect(d.reason).toMatch(reason);
  });

  it('refuses a notional above the limit when a custom sizer oversizes', () => {
    const e = new RiskEngine({ rules: [maxNotionalRule(1000)], sizer: () => 0.05, leverage: 1, instrument: (s) => inst(s) });
    const d = e.assess(signal(0), ctx({ now: 0 }));
    expect(d.type === 'OrderDenied' && d.rule).toBe('max-notional');
  });

  it('refuses a position below the market minimum instead of sending it', () => {
    const d = engine(userRules()).assess(signal(0), ctx({ now: 0, equity: 0.01 }));
    expect(d.type === 'OrderDenied' && d.rule).toBe('position-size');
  });

  it.each([
    ['maxNotionalRule', () => maxNotionalRule(0)],
    ['maxLeverageRule', () => maxLeverageRule(-1)],
    ['maxOpenPositionsRule', () => maxOpenPositionsRule(Number.NaN)],
    ['cooldownRule', () => cooldownRule(0)],
    ['dailyLossLimitRule', () => dailyLossLimitRule(-5)],
  ])('%s refuses a limit ≤ 0 with a clear error', (_name, make) => {
    expect(make).toThrow(/must be a number > 0/);
  });
});

describe('riskCheck operator (marble tests in virtual time)', () => {
  const ts = () => new TestScheduler((a, b) => expect(a).toEqual(b));

  it('denies re-entries during the cooldown and approves once it has passed', () => {
    ts().run(({ cold, expectObservable }) => {
      let now = 0;
      const signals = cold('a 59999ms b 59999ms c', { a: 0, b: 60_000, c: 120_000 }).pipe(
        map((t) => {
          now = t;
          return signal(t);
        }),
      );
      const out = signals.pipe(
        riskCheck(engine(userRules()), () => ctx({ now, lastClosed: { [BTC]: 0 } })),
        map((e) => (e.type === 'OrderDenied' ? `denied:${e.rule}` : 'approved')),
      );
      expectObservable(out).toBe('a 59999ms b 59999ms c', {
        a: 'denied:cooldown',
        b: 'denied:cooldown',
        c: 'approved',
      });
    });
  });

  it('stops approving for the rest of the day once the daily loss limit is hit', () => {
    ts().run(({ cold, expectObservable }) => {
      const losses = [0, -350, -350];
      let i = 0;
      const out = cold('a 59m 59999ms b 59m 59999ms c', { a: 0, b: 1, c: 2 }).pipe(
        map((k) => {
          i = k;
          return signal(k * 3_600_000);
        }),
        riskCheck(engine(userRules()), () => ctx({ now: i * 3_600_000, pnlToday: losses[i] })),
        map((e) => (e.type === 'OrderDenied' ? e.rule : 'approved')),
      );
      expectObservable(out).toBe('a 59m 59999ms b 59m 59999ms c', { a: 'approved', b: 'daily-loss-limit', c: 'daily-loss-limit' });
    });
  });
});
