import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@quantum-trader/core': src('core'),
      '@quantum-trader/report': src('report'),
      '@quantum-trader/ccxt': src('adapters/ccxt'),
      '@quantum-trader/redis': src('adapters/redis'),
      '@quantum-trader/exit-brain': src('exit-brain'),
      '@quantum-trader/clm': src('clm'),
      '@quantum-trader/sql': src('adapters/sql'),
      '@quantum-trader/runner': src('runner'),
      '@quantum-trader/backtest': src('backtest'),
    },
  },
  test: {
    include: [
      'packages/**/test/**/*.test.ts',
      'packages/**/src/**/__tests__/*.test.ts',
      'examples/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
