import { describe, expect, it } from 'vitest';
import { runCustomStrategy } from './custom-strategy/run-custom-strategy.js';
import { embedInYourBot } from './embed/embed-in-your-bot.js';

describe('examples', () => {
  it('the custom RSI strategy plugin trades through the kernel on real data', async () => {
    const s = await runCustomStrategy('2021-03-01', '2021-03-08');
    expect(s.closedTrades).toBeGreaterThan(0);
    expect(Number.isFinite(s.equity)).toBe(true);
  });

  it('the embed example composes strategy → riskCheck → exchange in a plain RxJS pipeline', () => {
    const { log, stats } = embedInYourBot('2021-02-01', '2021-02-08');
    expect(log).toContain('submit accepted');
    expect(log.some((l) => l.startsWith('PositionOpened'))).toBe(true);
    expect(stats.openPositions).toBe(1); // no exits in this hand-built pipeline: one position per symbol holds
  });
});
