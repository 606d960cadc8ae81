/**
 * Renders rows as a boxed text table; numbers-like cells (`align: 'right'`) are right-aligned.
 *
 * @example
 * ```ts
 * renderTable(['Symbol', 'Trades'], [['BTC/USDT', '12']], ['left', 'right']);
 * ```
 */
export function renderTable(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = [],
): string {
  const widths = columns.map((c, i) => Math.max(width(c), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const cells = (r: readonly string[]) =>
    `│${widths
      .map((w, i) => {
        const v = r[i] ?? '';
        const pad = ' '.repeat(w - width(v));
        return ` ${align[i] === 'right' ? pad + v : v + pad} `;
      })
      .join('│')}│`;
  return [line('┌', '┬', '┐'), cells(columns), line('├', '┼', '┤'), ...rows.map(cells), line('└', '┴', '┘')].join('\n');
}

function width(s: string): number {
  return [...s].length;
}
