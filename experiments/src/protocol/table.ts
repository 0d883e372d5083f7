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

/**
 * Standard error of an AUC (in the AUC's own units, e.g. %) by Hanley &
 * McNeil (1982), from the AUC and the numbers of positives and negatives.
 * Used to say when a difference between two rows is within noise.
 */
export function aucStandardError(aucPct: number, positives: number, negatives: number): number {
  const a = aucPct / 100;
  if (!(positives > 0 && negatives > 0) || !Number.isFinite(a)) return Number.NaN;
  const q1 = a / (2 - a);
  const q2 = (2 * a * a) / (1 + a);
  const v = (a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a)) / (positives * negatives);
  return Math.sqrt(Math.max(v, 0)) * 100;
}

/** Options of {@link compareAuc}. */
export interface CompareAucOptions {
  /**
   * What `b` is. `'model'`: another model's AUC measured on the same test
   * set, with its own standard error. `'chance'`: a constant (chance, 50),
   * which has none, so the bar is two standard errors of an AUC equal to `b`
   * (for 50, the one-sample bar of {@link beyondChance}) instead of adding a
   * second, fictitious error. Default: `'chance'` when `b` is exactly 50,
   * `'model'` otherwise; pass `'model'` for a measured AUC that is exactly 50.
   */
  readonly reference?: 'model' | 'chance';
}

/**
 * Compares two AUCs (%) measured on the same test set: 'better', 'worse',
 * or 'tie' when the difference is within two standard errors of the
 * difference (a rough, conservative noise bar for small test sets: it
 * ignores the correlation of two models scored on the same items; the
 * paired DeLong test of `./stats.ts` accounts for it). Against chance
 * (`b = 50`, see {@link CompareAucOptions}) the bar is `2 SE(50)`, and on a
 * non-empty test set the verdict 'better' is exactly {@link beyondChance}.
 */
export function compareAuc(
  a: number,
  b: number,
  counts: { fake: number; real: number },
  options: CompareAucOptions = {},
): { verdict: 'better' | 'worse' | 'tie'; noise: number } {
  const reference = options.reference ?? (b === 50 ? 'chance' : 'model');
  const se =
    reference === 'chance'
      ? aucStandardError(b, counts.fake, counts.real)
      : Math.hypot(aucStandardError(a, counts.fake, counts.real), aucStandardError(b, counts.fake, counts.real));
  const noise = 2 * (Number.isFinite(se) ? se : 0);
  const d = a - b;
  return { verdict: d > noise ? 'better' : d < -noise ? 'worse' : 'tie', noise };
}

/**
 * Whether a model separated a test set beyond chance: its AUC (%) exceeds 50
 * by more than two standard errors of an AUC of 50 on that many fake and
 * genuine items. A model that did not says nothing about generalisation.
 */
export function beyondChance(aucPct: number, counts: { fake: number; real: number }): boolean {
  return Number.isFinite(aucPct) && aucPct - 50 > 2 * aucStandardError(50, counts.fake, counts.real);
}
