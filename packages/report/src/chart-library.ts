import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The standalone (IIFE, `window.LightweightCharts`) build of TradingView Lightweight Charts, read from the installed
 * package once and inlined into every report so the file opens without network access. Resolved through the
 * package's `package.json` (its `exports` map has no CommonJS entry), which works from `src`, from `dist` and
 * from an npm install. @internal
 */
export function chartLibrarySource(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('lightweight-charts/package.json');
  const source = readFileSync(join(dirname(pkg), 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
  // Defensive: nothing in the library may end the inline <script> early.
  cached = source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  return cached;
}
