import { defineConfig } from 'tsup';

export default defineConfig({
  // The sweep worker is its own entry: worker threads load it by file next to the bundle.
  entry: { index: 'src/index.ts', 'sweep-worker': 'src/sweep/sweep-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
  shims: true,
  // esbuild is only used when running from TypeScript sources; the report package is loaded on demand.
  external: ['esbuild', '@quantum-trader/report'],
});
