import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ReportInput } from './report-input.js';
import { renderReport } from './render-report.js';

/**
 * Renders the report (see {@link renderReport}) and writes it to `path` as UTF-8, creating missing directories.
 *
 * @example
 * ```ts
 * import { writeReport } from '@quantum-trader/report';
 *
 * await writeReport(input, 'reports/btc-momentum.html');
 * ```
 */
export async function writeReport(input: ReportInput, path: string): Promise<void> {
  const html = renderReport(input);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, html, 'utf8');
}
