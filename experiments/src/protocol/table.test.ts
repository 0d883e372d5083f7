import { describe, expect, it } from 'vitest';
import { aucStandardError, beside, beyondChance, cell, compareAuc, markdownTable } from './table.js';

describe('report tables', () => {
  it('formats cells and tables', () => {
    expect([cell(91.153), cell(null), cell(Number.NaN), beside(71.2, 71.49)]).toEqual(['91.15', '-', 'n/a', '71.20 (71.49)']);
    expect(markdownTable(['a', 'b'], [['x', '1']])).toBe('| a | b |\n| --- | ---: |\n| x | 1 |');
  });
  it('computes the Hanley-McNeil standard error of an AUC', () => {
    // AUC 0.5 with 10 positives and 10 negatives: sqrt(0.0175) = 0.1323.
    expect(aucStandardError(50, 10, 10)).toBeCloseTo(13.23, 2);
    expect(aucStandardError(100, 10, 10)).toBe(0);
    expect(aucStandardError(80, 0, 10)).toBeNaN();
  });
  it('calls differences within two standard errors a tie', () => {
    expect(compareAuc(62.5, 37.5, { fake: 4, real: 4 }).verdict).toBe('tie');
    expect(compareAuc(99, 60, { fake: 200, real: 200 }).verdict).toBe('better');
    expect(compareAuc(60, 99, { fake: 200, real: 200 }).verdict).toBe('worse');
  });
  it('says whether an AUC is beyond chance for its test set size', () => {
    // 2 SE of AUC 50 with 10 + 10 items is 26.5 points.
    expect(beyondChance(75, { fake: 10, real: 10 })).toBe(false);
    expect(beyondChance(77, { fake: 10, real: 10 })).toBe(true);
    expect(beyondChance(60, { fake: 500, real: 500 })).toBe(true);
    expect(beyondChance(Number.NaN, { fake: 500, real: 500 })).toBe(false);
    expect(beyondChance(30, { fake: 500, real: 500 })).toBe(false);
  });
});
