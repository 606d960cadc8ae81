import { QuantumTraderError, type Journal } from '@quantum-trader/core';
import { MAINNET_CONFIRMED_KEY } from './live-flags.js';

/**
 * Mainnet is an explicit one-time decision: the first mainnet run needs `--confirm-mainnet`, which is stored in the
 * journal's state (`mainnet-confirmed` = ISO time); later runs on the same journal need no flag.
 *
 * @returns when mainnet was confirmed (ISO), and whether it was confirmed just now.
 * @throws QuantumTraderError `CONFIG_INVALID` when it was never confirmed and `confirm` is false.
 * @example
 * ```ts
 * await ensureMainnetConfirmed(journal, flags.confirmMainnet, () => new Date());
 * ```
 */
export async function ensureMainnetConfirmed(
  journal: Journal,
  confirm: boolean,
  now: () => Date = () => new Date(),
): Promise<{ readonly confirmedAt: string; readonly justNow: boolean }> {
  const previous = await journal.getState(MAINNET_CONFIRMED_KEY);
  if (previous !== undefined) return { confirmedAt: previous, justNow: false };
  if (!confirm) {
    throw new QuantumTraderError(
      'CONFIG_INVALID',
      'mainnet trades real funds and has not been confirmed for this journal: run once with --confirm-mainnet ' +
        '(the decision is stored in the journal), or use --mode testnet / --mode demo',
    );
  }
  const confirmedAt = now().toISOString();
  await journal.setState(MAINNET_CONFIRMED_KEY, confirmedAt);
  return { confirmedAt, justNow: true };
}
