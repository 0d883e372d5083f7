import { readFileSync } from 'node:fs';
import { requireShared } from '@caddm/testkit';
import { describe, expect, it } from 'vitest';
import { LEVELS, PERTURBATIONS, PERTURBATION_TYPES, PerturbArgumentError, levels, parameter, resolveType } from './index.js';

/** The reference notes and the paper's text in the shared folder, or undefined (their tests are then skipped, with a message). */
const referenceNotes = requireShared('REFERENCE.md');
const paperText = requireShared('paper/implicit-identity-leakage-cvpr2023.txt');

describe('PERTURBATIONS table', () => {
  it('has the DeeperForensics parameters of levels 1..5', () => {
    expect(PERTURBATIONS.CS.params).toEqual([0.4, 0.3, 0.2, 0.1, 0.0]);
    expect(PERTURBATIONS.CC.params).toEqual([0.85, 0.725, 0.6, 0.475, 0.35]);
    expect(PERTURBATIONS.BW.params).toEqual([16, 32, 48, 64, 80]);
    expect(PERTURBATIONS.GNC.params).toEqual([0.001, 0.002, 0.005, 0.01, 0.05]);
    expect(PERTURBATIONS.GB.params).toEqual([7, 9, 13, 17, 21]);
    expect(PERTURBATIONS.JPEG.params).toEqual([2, 3, 4, 5, 6]);
    expect(PERTURBATIONS.VC.params).toEqual([30, 32, 35, 38, 40]);
    expect(PERTURBATION_TYPES).toEqual(Object.keys(PERTURBATIONS));
    for (const code of PERTURBATION_TYPES) expect(PERTURBATIONS[code].code).toBe(code);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(PERTURBATIONS)).toBe(true);
    expect(Object.isFrozen(PERTURBATIONS.GB)).toBe(true);
    expect(Object.isFrozen(PERTURBATIONS.GB.params)).toBe(true);
  });

  it.skipIf(referenceNotes == null)('agrees with the numbers of ../shared/REFERENCE.md', () => {
    const text = readFileSync(referenceNotes as string, 'utf8');
    const section = text.split(/^## /m).find((s) => s.startsWith('Robustness perturbations'));
    expect(section, 'REFERENCE.md has a "Robustness perturbations" section').toBeDefined();
    const nums = (label: string): number[] => {
      const m = new RegExp(`${label}:([^.]*(?:\\.\\d[^.]*)*?)\\.(?:\\s|$)`).exec(section!);
      expect(m, `REFERENCE.md names ${label}`).not.toBeNull();
      return (m![1].split('(')[0].match(/\d+(?:\.\d+)?/g) ?? []).map(Number);
    };
    expect(nums('Saturation')).toEqual([...PERTURBATIONS.CS.params]);
    expect(nums('Contrast')).toEqual([...PERTURBATIONS.CC.params]);
    expect(nums('Block-wise').slice(0, 5)).toEqual([...PERTURBATIONS.BW.params]);
    expect(nums('Gaussian noise').slice(0, 5)).toEqual([...PERTURBATIONS.GNC.params]);
    expect(nums('Gaussian blur').slice(0, 5)).toEqual([...PERTURBATIONS.GB.params]);
    expect(nums('Pixelation')).toEqual([...PERTURBATIONS.JPEG.params]);
    expect(nums('Video compression').slice(-5)) // after "H.264"
      .toEqual([...PERTURBATIONS.VC.params]);
  });

  it.skipIf(paperText == null)("names Table 4's columns in the paper's order", () => {
    const header = readFileSync(paperText as string, 'utf8').split(/\r?\n/).find((l) => l.startsWith('Method\tSaturation'));
    expect(header, 'Table 4 header line').toBeDefined();
    const columns = header!.split('\t').slice(1, -1); // drop "Method" and "Avg"
    expect(PERTURBATION_TYPES.filter((c) => PERTURBATIONS[c].inTable4).map((c) => PERTURBATIONS[c].column)).toEqual(columns);
    expect(PERTURBATIONS.VC.inTable4).toBe(false);
  });
});

describe('levels, parameter, resolveType', () => {
  it('lists five levels with their parameters', () => {
    expect(LEVELS).toEqual([1, 2, 3, 4, 5]);
    expect(levels('GB')).toEqual([
      { level: 1, param: 7 },
      { level: 2, param: 9 },
      { level: 3, param: 13 },
      { level: 4, param: 17 },
      { level: 5, param: 21 },
    ]);
    expect(levels('noise').map((l) => l.param)).toEqual([0.001, 0.002, 0.005, 0.01, 0.05]);
  });

  it('resolves codes and column names case-insensitively', () => {
    expect(resolveType('cs')).toBe('CS');
    expect(resolveType('Saturation')).toBe('CS');
    expect(resolveType('Pixel')).toBe('JPEG');
    expect(resolveType('PX')).toBe('JPEG');
    expect(resolveType('compress')).toBe('VC');
    expect(parameter('Blur', 3)).toBe(13);
    expect(parameter('VC', 5)).toBe(40);
  });

  it('rejects unknown types and levels outside 1..5 with clear errors', () => {
    expect(() => resolveType('JPEG2000')).toThrow(PerturbArgumentError);
    expect(() => resolveType('JPEG2000')).toThrow(/unknown perturbation type "JPEG2000"/);
    expect(() => levels('sharpen')).toThrow(/unknown perturbation type/);
    for (const bad of [0, 6, 2.5, -1, Number.NaN]) {
      expect(() => parameter('CS', bad)).toThrow(PerturbArgumentError);
      expect(() => parameter('CS', bad)).toThrow(/level must be an integer in 1\.\.5/);
    }
    expect(() => parameter('CS', '3' as unknown as number)).toThrow(/level must be an integer/);
  });
});
