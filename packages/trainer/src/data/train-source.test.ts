import { describe, expect, it } from 'vitest';
import { ConfigError, parseOverrides, resolveConfig } from '../config/index.js';
import { loaderOptionsOf, methodsFilter } from './train-source.js';

describe('dataset.synthesis and loaderOptionsOf', () => {
  it("defaults to MFS fakes and passes 'sbi' to the loader", () => {
    const mfs = resolveConfig({}, { profile: 'mini' });
    expect(mfs.dataset.synthesis).toBe('mfs');
    expect(loaderOptionsOf(mfs, '/cache').synthesis).toBe('mfs');
    const sbi = resolveConfig({}, { profile: 'mini', overrides: parseOverrides(['dataset.synthesis=sbi']) });
    expect(sbi.dataset.synthesis).toBe('sbi');
    const o = loaderOptionsOf(sbi, '/cache');
    expect(o.synthesis).toBe('sbi');
    expect(o.split).toBe('train');
    expect(o.canvasSize).toBe(112);
  });

  it('rejects an unknown synthesis, naming the key', () => {
    expect(() => resolveConfig({ dataset: { synthesis: 'xray' as never } })).toThrow(ConfigError);
    expect(() => resolveConfig({ dataset: { synthesis: 'xray' as never } })).toThrow(/dataset\.synthesis/);
  });
});

describe('dataset.methods', () => {
  it('keeps genuine videos and the fakes of the listed methods only', () => {
    const f = loaderOptionsOf(resolveConfig({ dataset: { methods: ['Deepfakes'] } }, { profile: 'mini' }), '/cache').filter!;
    const v = (label: 0 | 1, method: string) => ({ label, method }) as never;
    expect([f(v(0, 'youtube')), f(v(1, 'Deepfakes')), f(v(1, 'Face2Face'))]).toEqual([true, true, false]);
    expect(loaderOptionsOf(resolveConfig({}, { profile: 'mini' }), '/cache').filter).toBeUndefined();
    expect(methodsFilter(undefined)).toBeUndefined();
  });
});

describe('mfs.reject_genuine_swaps', () => {
  it('is on by default and reaches the loader; false reproduces the reference', () => {
    expect(loaderOptionsOf(resolveConfig({}, { profile: 'mini' }), '/c').rejectGenuineSwaps).toBe(true);
    expect(loaderOptionsOf(resolveConfig({ mfs: { reject_genuine_swaps: false } }, { profile: 'mini' }), '/c').rejectGenuineSwaps).toBe(false);
  });
});
