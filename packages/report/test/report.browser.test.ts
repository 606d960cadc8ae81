import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/index.js';
import { sampleInput } from './fixtures.js';

// Real headless Chromium from the system (never downloaded). CI installs it with
// `sudo apt-get update && sudo apt-get install -y chromium`; locally the test skips when it is missing.
const CHROMIUM = process.env.QT_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') {
  throw new Error(`report browser test: Chromium not found at ${CHROMIUM}; install it with \`apt-get update && apt-get install -y chromium\` (or set QT_CHROMIUM)`);
}
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

interface Summary {
  ready: boolean;
  charts: number;
  equity: number;
  drawdown: number;
  symbols: { symbol: string; candles: number; markers: number }[];
  error: string | null;
}

describe.skipIf(!available)('the report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qt-report-browser-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
      timeout: 20_000,
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('renders every chart with data, offline, without console or page errors', { timeout: 30_000 }, async () => {
    const input = sampleInput(25_000); // above REPORT_MAX_POINTS: the downsampled path is drawn too
    const path = join(dir, 'report.html');
    await writeReport(input, path);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`); // an injected alert() would land here
      void d.dismiss();
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      requests.push(url);
      return route.abort();
    });

    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    // (page functions as strings: this package is type-checked without the DOM lib)
    await page.waitForFunction('window.__qtReport && (window.__qtReport.ready || window.__qtReport.error !== null)', undefined, { timeout: 10_000 });
    const summary = (await page.evaluate('window.__qtReport')) as Summary;

    expect(summary.error).toBeNull();
    expect(summary.charts).toBe(2 + input.symbols.length);
    expect(summary.equity).toBeGreaterThan(5_000);
    expect(summary.equity).toBeLessThanOrEqual(20_000);
    expect(summary.drawdown).toBe(summary.equity);
    expect(summary.symbols).toHaveLength(2);
    for (const [k, s] of summary.symbols.entries()) {
      expect(s.symbol).toBe(input.symbols[k]!.symbol);
      expect(s.candles).toBeGreaterThan(10_000);
      expect(s.markers).toBe(2 * input.symbols[k]!.trades.length);
    }

    // every chart container holds canvases that were actually laid out
    const sizes = (await page.evaluate(
      `Array.from(document.querySelectorAll('.chart')).map((el) => Array.from(el.querySelectorAll('canvas')).reduce((m, c) => Math.max(m, c.width * c.height), 0))`,
    )) as number[];
    expect(sizes).toHaveLength(4);
    expect(sizes.every((s) => s > 0)).toBe(true);

    // escaped text shows as text, not markup
    expect(await page.title()).toBe(input.title);
    expect(await page.locator('h2', { hasText: '</script><script>alert(2)</script>' }).count()).toBe(1);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await context.close();
  });
});
