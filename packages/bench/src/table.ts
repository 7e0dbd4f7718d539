/** The same rows feed the console and the Markdown report, so both always agree. */
export interface Table {
  headers: string[];
  rows: string[][];
  /** Columns to right-align (numbers). */
  numeric: Set<number>;
}

export function renderText(table: Table): string {
  const widths = table.headers.map((h, c) => Math.max(h.length, ...table.rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (table.numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ');
  return [line(table.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}

export function renderMarkdown(table: Table): string {
  const align = table.headers.map((_, c) => (table.numeric.has(c) ? '---:' : '---'));
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(table.headers), line(align), ...table.rows.map(line)].join('\n');
}
