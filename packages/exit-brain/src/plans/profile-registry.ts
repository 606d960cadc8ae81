import { QuantumTraderError, type SymbolId } from '@quantum-trader/core';
import { BUILT_IN_PROFILES } from './built-in-profiles.js';
import { defineExitProfile, type ExitProfile } from './exit-profile.js';
import { profileName } from './profile-name.js';
import { STANDARD_LADDER } from './standard-ladder.js';

/**
 * The exit-profile plugin registry: holds the profiles the Exit Brain can use, by name, and picks one for each new
 * position. A profile registered under the position's dynamic name ({@link profileName}, e.g.
 * `DYNAMIC_ETHUSDT_1.0x` for ETH at 1x) is used for it; otherwise the default profile. The built-in profiles are
 * registered from the start; user profiles are checked by {@link defineExitProfile} when registered.
 *
 * @example
 * ```ts
 * const profiles = new ExitProfileRegistry()
 *   .register({ ...BREAKEVEN_AFTER_TP1_PROFILE, name: 'DYNAMIC_ETHUSDT_1.0x' })
 *   .setDefault('TRAILING_AFTER_TP2');
 * profiles.resolve(symbolId('ETH/USDT:USDT'), 1).name; // 'DYNAMIC_ETHUSDT_1.0x'
 * profiles.resolve(symbolId('BTC/USDT:USDT'), 1).name; // 'TRAILING_AFTER_TP2'
 * const brain = new ExitBrain(ctx, { profiles });
 * ```
 */
export class ExitProfileRegistry {
  private readonly byName = new Map<string, ExitProfile>();
  private defaultName: string;

  /**
   * Creates a registry holding `profiles` (default: the built-in ones) with `defaultProfile` as the default
   * (default `STANDARD_LADDER`).
   *
   * @example
   * ```ts
   * const onlyMine = new ExitProfileRegistry([myProfile], myProfile.name);
   * ```
   */
  constructor(profiles: readonly ExitProfile[] = BUILT_IN_PROFILES, defaultProfile: string = STANDARD_LADDER) {
    for (const p of profiles) this.register(p);
    this.defaultName = defaultProfile;
    this.require(defaultProfile);
  }

  /**
   * Adds a profile (validated by {@link defineExitProfile}). Registering a name twice is an error unless
   * `replace` is true. Returns the registry, so calls chain.
   *
   * @example
   * ```ts
   * registry.register({ name: 'DYNAMIC_BTCUSDT_10.0x', fractions: [0.5, 0.5], takeProfitPcts: [0.01, 0.02] });
   * ```
   */
  register(profile: ExitProfile, options: { readonly replace?: boolean } = {}): this {
    const checked = defineExitProfile(profile);
    if (this.byName.has(checked.name) && options.replace !== true) {
      throw new QuantumTraderError(
        'CONFIG_INVALID',
        `exit profile '${checked.name}' is already registered; pick another name or pass { replace: true }`,
      );
    }
    this.byName.set(checked.name, checked);
    return this;
  }

  /**
   * Makes a registered profile the default for positions that have no dynamic profile of their own.
   *
   * @example
   * ```ts
   * registry.setDefault('BREAKEVEN_AFTER_TP1');
   * ```
   */
  setDefault(name: string): this {
    this.require(name);
    this.defaultName = name;
    return this;
  }

  /**
   * The default profile.
   *
   * @example
   * ```ts
   * registry.defaultProfile().name; // 'STANDARD_LADDER'
   * ```
   */
  defaultProfile(): ExitProfile {
    return this.require(this.defaultName);
  }

  /**
   * The profile of that name, or `undefined`.
   *
   * @example
   * ```ts
   * registry.get('TIME_STOP_24H')?.timeStopMs; // 86_400_000
   * ```
   */
  get(name: string): ExitProfile | undefined {
    return this.byName.get(name);
  }

  /**
   * The profile of that name; throws `CONFIG_INVALID` listing the registered names when there is none.
   *
   * @example
   * ```ts
   * registry.require('NOPE'); // QuantumTraderError: unknown exit profile 'NOPE'; registered: STANDARD_LADDER, …
   * ```
   */
  require(name: string): ExitProfile {
    const p = this.byName.get(name);
    if (p === undefined) {
      throw new QuantumTraderError('CONFIG_INVALID', `unknown exit profile '${name}'; registered: ${this.names().join(', ')}`);
    }
    return p;
  }

  /**
   * The profile for a new position: the one registered under `profileName(symbol, leverage)` if any, else the
   * default.
   *
   * @example
   * ```ts
   * registry.resolve(symbolId('ETH/USDT:USDT'), 1); // DYNAMIC_ETHUSDT_1.0x if registered, else the default
   * ```
   */
  resolve(symbol: SymbolId, leverage: number): ExitProfile {
    return this.byName.get(profileName(symbol, leverage)) ?? this.defaultProfile();
  }

  /**
   * Registered names, in registration order.
   *
   * @example
   * ```ts
   * registry.names(); // ['STANDARD_LADDER', 'BREAKEVEN_AFTER_TP1', 'TRAILING_AFTER_TP2', 'TIME_STOP_24H']
   * ```
   */
  names(): string[] {
    return [...this.byName.keys()];
  }
}
