export { liveFlagsSchema, isPostgresUrl, MAINNET_CONFIRMED_KEY } from './live-flags.js';
export type { LiveFlags, LiveFlagsInput } from './live-flags.js';
export { ensureMainnetConfirmed } from './mainnet-confirmation.js';
export { runLive, liveSymbols, LIVE_SESSION_KEY } from './run-live.js';
export type { RunLiveOptions, LiveRunSummary } from './run-live.js';
