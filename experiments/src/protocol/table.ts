/** Formats a number for a report cell: fixed decimals, `-` for missing, `n/a` for NaN. */
export function cell(v: number | null | undefined, digits = 2): string {
  if (v == null) return '-';
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

/** A Markdown table from a header and rows of cells. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** `ours (paper)` cell: our value beside the paper's. */
export function beside(ours: number | null | undefined, paper: number | null | undefined, digits = 2): string {
  return `${cell(ours, digits)} (${cell(paper, digits)})`;
}
