import { describe, expect, it } from 'vitest';
import { beside, cell, markdownTable } from './table.js';

describe('report tables', () => {
  it('formats cells and tables', () => {
    expect([cell(91.153), cell(null), cell(Number.NaN), beside(71.2, 71.49)]).toEqual(['91.15', '-', 'n/a', '71.20 (71.49)']);
    expect(markdownTable(['a', 'b'], [['x', '1']])).toBe('| a | b |\n| --- | ---: |\n| x | 1 |');
  });
});
