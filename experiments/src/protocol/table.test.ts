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
  it('against chance (the constant 50) uses the one-sample bar 2 SE(50), not the two-model bar', () => {
    const c = { fake: 10, real: 10 };
    // 2 * sqrt(0.0175) * 100: a halved (13.2), doubled (52.9) or sqrt(2)-wide (37.4) bar fails.
    expect(compareAuc(70, 50, c).noise).toBeCloseTo(26.4575, 4);
    expect(compareAuc(70, 50, c, { reference: 'chance' }).noise).toBeCloseTo(26.4575, 4);
    expect(compareAuc(77, 50, c).verdict).toBe('better');
    expect(compareAuc(76, 50, c).verdict).toBe('tie');
    expect(compareAuc(24, 50, c).verdict).toBe('tie');
    expect(compareAuc(23, 50, c).verdict).toBe('worse');
    // A measured AUC of exactly 50 keeps its own error when the caller says so.
    expect(compareAuc(70, 50, c, { reference: 'model' }).noise).toBeCloseTo(2 * Math.hypot(aucStandardError(70, 10, 10), 13.2288), 3);
    // Model against model is unchanged: both errors, added in quadrature.
    expect(compareAuc(70, 60, c).noise).toBeCloseTo(2 * Math.hypot(aucStandardError(70, 10, 10), aucStandardError(60, 10, 10)), 12);
  });
  it('agrees with beyondChance about chance on every test set size', () => {
    for (const c of [{ fake: 4, real: 6 }, { fake: 10, real: 10 }, { fake: 120, real: 30 }, { fake: 500, real: 500 }]) {
      for (let a = 30; a <= 100; a += 0.5) expect(compareAuc(a, 50, c).verdict === 'better', `${a} ${c.fake}/${c.real}`).toBe(beyondChance(a, c));
    }
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
