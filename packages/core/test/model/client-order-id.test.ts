import { describe, expect, it } from 'vitest';
import { clientOrderIdOf, stableHash, type IntentId, type PlanId } from '../../src/model/ids.js';

describe('clientOrderIdOf', () => {
  it('is qt- + stableHash(`${intent}#${leg}`) + x, 20 characters, whatever the pieces', () => {
    const cases: [string, string][] = [
      ['momentum-24h|BTC/USDT:USDT|1620845940000|sell', 'entry'],
      ['plan-pos-qt-0123456789abcdefx', 'tp1'],
      ['plan-pos-qt-0123456789abcdefx', 'tp3#2'],
      ['', ''],
      ['ü-unicode-€', 'sl'],
    ];
    for (const [intent, leg] of cases) {
      const coid = clientOrderIdOf(intent as IntentId, leg);
      expect(coid).toBe(`qt-${stableHash(`${intent}#${leg}`)}x`);
      expect(coid).toHaveLength(20);
    }
    // a golden value: ids are journalled and sent to venues, so they must never change
    expect(clientOrderIdOf('plan-pos-qt-23b5b41d619ecb16x' as PlanId, 'tp1')).toBe('qt-f30b43d16e3665d8x');
  });
});
